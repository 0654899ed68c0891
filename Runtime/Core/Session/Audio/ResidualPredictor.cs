namespace Parley.Session.Audio
{
    /// <summary>
    /// A frame's residual echo energy predicted per channel from the played energy of the frames before it
    /// (<see cref="PlayedEnergyRing"/>): one non-negative weight per lag, learned by normalised LMS. The echo guard's
    /// broadband predictor and each band of <see cref="EchoBandPredictor"/> are one of these: the room's tail beyond
    /// the canceller's filter, as the canceller leaves it. Sized at construction.
    /// </summary>
    internal sealed class ResidualPredictor
    {
        readonly PlayedEnergyRing _played;
        readonly double[] _w;   // lags × channels
        readonly int _lags, _channels;
        readonly double _step;

        public ResidualPredictor(PlayedEnergyRing played, int lags, int channels, double step)
        {
            _played = played;
            _lags = lags;
            _channels = channels;
            _step = step;
            _w = new double[lags * channels];
        }

        /// <summary>The residual predicted for frame <paramref name="frame"/> in <paramref name="channel"/>; <paramref name="power"/>: Σ of the squared inputs.</summary>
        public double Predict(long frame, int channel, out double power)
        {
            double y = 0, pw = 0;
            for (var k = 0; k < _lags; k++)
            {
                var x = _played.At(frame - k, channel);
                y += _w[k * _channels + channel] * x;
                pw += x * x;
            }
            power = pw;
            return y;
        }

        /// <summary>One step towards <paramref name="residual"/>, the energy frame <paramref name="frame"/> left in <paramref name="channel"/>.</summary>
        public void Learn(long frame, int channel, double residual)
        {
            var y = Predict(frame, channel, out var pw);
            if (pw <= 0) return;
            var g = _step * (residual - y) / pw;
            for (var k = 0; k < _lags; k++)
            {
                var i = k * _channels + channel;
                var w = _w[i] + g * _played.At(frame - k, channel);
                _w[i] = w > 0 ? w : 0;
            }
        }
    }
}
