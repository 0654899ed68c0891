using System;

namespace Parley.Unity.Capture
{
    /// <summary>
    /// Streaming resampler by a ratio near 1 that may change at any call: output sample j is the input band-limited
    /// and read at input position <c>Σ Step</c> (a 32-tap Kaiser-windowed sinc, 256 phases interpolated linearly), so a
    /// stream at the microphone's nominal rate becomes one at its true rate (<c>Step = 1 / (1 + drift)</c>) without a
    /// seam when the drift estimate is refined. Output j holds the input at position j·Step exactly (no group delay in
    /// positions; each output waits for 16 inputs after its position). Allocates only in the constructor.
    /// </summary>
    public sealed class DriftResampler
    {
        const int Taps = 32, Half = Taps / 2, Phases = 256, Ring = 64;
        readonly float[] _table = new float[(Phases + 1) * Taps];
        readonly float[] _ring = new float[Ring];
        long _written;
        double _pos;
        double _step = 1;

        public unsafe DriftResampler()
        {
            fixed (float* t = _table) Parley.Audio.Kernels.FractionalDelayTable.Fill(t, Taps, Phases);
        }

        /// <summary>Input samples per output sample (0.9–1.1).</summary>
        public double Step
        {
            get => _step;
            set
            {
                if (!(value >= 0.9 && value <= 1.1)) throw new ArgumentOutOfRangeException(nameof(value), value, "Step must be within 0.9–1.1.");
                _step = value;
            }
        }

        /// <summary>Most output samples <paramref name="inputFrames"/> inputs can give.</summary>
        public static int MaxOutputFor(int inputFrames) => (int)Math.Ceiling(inputFrames / 0.9) + 2;

        /// <summary>Starts a new stream at input position 0.</summary>
        public void Reset()
        {
            Array.Clear(_ring, 0, Ring);
            _written = 0;
            _pos = 0;
        }

        /// <summary>Takes <paramref name="input"/>, writes what it allows to <paramref name="output"/> and returns the count.</summary>
        public int Process(ReadOnlySpan<float> input, Span<float> output)
        {
            var m = 0;
            for (var i = 0; i < input.Length; i++)
            {
                _ring[(int)(_written & (Ring - 1))] = input[i];
                _written++;
                while (m < output.Length && (long)Math.Floor(_pos) + Half <= _written - 1)
                {
                    output[m++] = Read(_pos);
                    _pos += _step;
                }
            }
            return m;
        }

        float Read(double pos)
        {
            var bas = (long)Math.Floor(pos);
            var ph = (pos - bas) * Phases;
            var q = (int)ph;
            if (q >= Phases) q = Phases - 1;
            var w = (float)(ph - q);
            int c0 = q * Taps, c1 = c0 + Taps;
            var first = bas - Half + 1;
            var y = 0f;
            for (var t = 0; t < Taps; t++)
            {
                var idx = first + t;
                var v = idx >= 0 ? _ring[(int)(idx & (Ring - 1))] : 0f;
                y += v * (_table[c0 + t] + w * (_table[c1 + t] - _table[c0 + t]));
            }
            return y;
        }
    }
}
