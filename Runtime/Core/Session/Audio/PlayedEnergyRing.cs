using System;

namespace Parley.Session.Audio
{
    /// <summary>
    /// The played signal's energy per 10 ms frame of the capture clock, per channel (the echo guard's broadband sum, or
    /// one per band of <see cref="EchoBandPredictor"/>), for the last <c>frames</c> frames. A slot holds the frame it
    /// was started for; reading another frame there (overwritten, or never played) gives 0. Sized at construction.
    /// </summary>
    internal sealed class PlayedEnergyRing
    {
        readonly double[] _energy;   // frames × channels
        readonly long[] _frame;
        readonly int _frames, _channels;

        public PlayedEnergyRing(int frames, int channels)
        {
            _frames = frames;
            _channels = channels;
            _energy = new double[frames * channels];
            _frame = new long[frames];
            for (var i = 0; i < frames; i++) _frame[i] = -1;
        }

        /// <summary>The energies, frame by frame (<see cref="Start"/> gives where a frame's channels begin).</summary>
        public double[] Energy => _energy;

        /// <summary>Where frame <paramref name="frame"/>'s channels begin in <see cref="Energy"/>, cleared if its slot held an older frame.</summary>
        public int Start(long frame)
        {
            var slot = (int)(frame % _frames);
            var at = slot * _channels;
            if (_frame[slot] != frame)
            {
                _frame[slot] = frame;
                Array.Clear(_energy, at, _channels);
            }
            return at;
        }

        /// <summary>Adds <paramref name="energy"/> to frame <paramref name="frame"/> of a one-channel ring.</summary>
        public void Add(long frame, double energy) => _energy[Start(frame)] += energy;

        /// <summary>The played energy of frame <paramref name="frame"/> in <paramref name="channel"/> (0 if not kept).</summary>
        public double At(long frame, int channel)
        {
            if (frame < 0) return 0;
            var slot = (int)(frame % _frames);
            return _frame[slot] == frame ? _energy[slot * _channels + channel] : 0;
        }

        /// <summary>The loudest of the <paramref name="window"/> frames that end at <paramref name="frame"/>, in <paramref name="channel"/>.</summary>
        public double Loudest(long frame, int window, int channel)
        {
            double loudest = 0;
            for (var k = 0; k < window; k++)
            {
                var x = At(frame - k, channel);
                if (x > loudest) loudest = x;
            }
            return loudest;
        }
    }
}
