namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Clock-drift compensation for <see cref="EchoKernel"/>. The reference is resampled before the adaptive filter sees
    /// it: reference sample j is read at raw position <c>ReadPos + Ratio·j</c> by a windowed-sinc fractional-delay
    /// interpolator, so when the microphone's clock runs (1 + d) × the output's, Ratio = 1/(1 + d) keeps the echo path
    /// still for the filter. The resampled stream has its own block count (<c>RefHead</c>): a block is produced whenever
    /// enough raw samples have arrived (0, 1 or 2 per microphone block), and the alignment moves by the difference, so
    /// the filter's window advances exactly one block per microphone block and never sees a seam.
    /// Ratio comes from the caller (<see cref="EchoCanceller.ClockDriftPpm"/>), who can count both clocks' samples; it
    /// is not learned from the echo here (see Documentation~/echo-cancellation.md).
    /// </summary>
    public static unsafe class EchoDriftKernel
    {
        /// <summary>Interpolator taps (even) and table phases.</summary>
        internal const int Taps = 32, Phases = 128;
        /// <summary>Raw samples the interpolator reads after the position it interpolates.</summary>
        internal const int Lookahead = Taps / 2;

        /// <summary>Raw history length: a power of two holding the interpolator's reach plus three blocks.</summary>
        internal static int HistoryLength(int block)
        {
            var h = 1;
            while (h < 4 * block + 2 * Taps) h <<= 1;
            return h;
        }

        /// <summary>Kaiser-windowed sinc table: (Phases + 1) rows of Taps coefficients, row q for fraction q / Phases.</summary>
        internal static void InitTable(float* table) => FractionalDelayTable.Fill(table, Taps, Phases);

        internal static void Reset(ref EchoState s)
        {
            s.RawWritten = 0;
            // The first resampled sample reads raw sample −Lookahead: the interpolator's reach is then just available.
            s.ReadPos = -Lookahead;
            s.Ratio = 1.0;
            s.RefHead = -1;
        }

        /// <summary>
        /// Takes one microphone block of raw reference <paramref name="x"/> and produces the resampled blocks it allows
        /// (spectra into the ring). Returns how many (0–2); the caller's alignment has already been moved to match.
        /// </summary>
        internal static int Produce(ref EchoState s, float* f, float* x)
        {
            int b = s.Block, hist = s.HistoryLength;
            var raw = f + s.RawHistory;
            var mask = hist - 1;
            for (var i = 0; i < b; i++) raw[(int)((s.RawWritten + i) & mask)] = x[i];
            s.RawWritten += b;
            var produced = 0;
            while (produced < 2)
            {
                var last = s.ReadPos + s.Ratio * (b - 1);
                if ((long)System.Math.Floor(last) + Lookahead > s.RawWritten - 1) break;
                // A second block only while the alignment can take one more block of delay.
                if (produced == 1 && s.Delay >= s.MaxDelayBlocks - 1) break;
                Block(ref s, f);
                produced++;
            }
            // Behind by more than the history can hold (only at the edge of the delay range): skip ahead.
            var behind = s.RawWritten - s.ReadPos;
            if (behind > hist - 2 * b - Taps) s.ReadPos += b;
            // The filter's window advances one block per microphone block whatever was produced.
            if (produced == 0 && s.Delay > 0) s.Delay--;
            if (produced == 2) s.Delay++;
            return produced;
        }

        /// <summary>Interpolates one block at the current read position and stores its spectrum (previous + this block).</summary>
        static void Block(ref EchoState s, float* f)
        {
            int b = s.Block, k = s.Bins;
            var raw = f + s.RawHistory;
            var mask = s.HistoryLength - 1;
            var table = f + s.InterpTable;
            var time = f + s.Time;
            var prev = f + s.RefPrev;
            var pos = s.ReadPos;
            for (var i = 0; i < b; i++)
            {
                var at = pos + s.Ratio * i;
                var bas = (long)System.Math.Floor(at);
                var ph = (float)((at - bas) * Phases);
                var q = (int)ph;
                if (q >= Phases) q = Phases - 1;
                var w = ph - q;
                var c0 = table + q * Taps;
                var c1 = c0 + Taps;
                var first = bas - Lookahead + 1;
                float y = 0f;
                for (var t = 0; t < Taps; t++)
                {
                    var idx = first + t;
                    var v = idx >= 0 ? raw[(int)(idx & mask)] : 0f;
                    y += v * (c0[t] + w * (c1[t] - c0[t]));
                }
                time[i] = prev[i];
                time[b + i] = y;
                prev[i] = y;
            }
            s.ReadPos = pos + s.Ratio * b;
            s.RefHead++;
            var slot = (int)(s.RefHead % s.RingBlocks) * k;
            FftKernel.Forward(f + s.Table, s.FftSize, time, f + s.RefRe + slot, f + s.RefIm + slot, f + s.Work);
        }

        /// <summary>Raw samples between the newest raw sample and the newest resampled one (part of the path delay).</summary>
        internal static float Lag(in EchoState s) => (float)(s.RawWritten - 1 - (s.ReadPos - s.Ratio));

    }
}
