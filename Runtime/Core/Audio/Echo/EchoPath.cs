using System;
using Parley.Audio.Kernels;

namespace Parley.Audio
{
    /// <summary>
    /// A simulated acoustic echo path: what a speaker plays, convolved with a room impulse response, as it reaches
    /// the microphone. The hosts (`parley talk --echo`, `parley scene`) add it to the microphone input so a whole
    /// conversation runs with the agent's voice leaking back. Streaming and exact (sample for sample the full linear
    /// convolution, no added latency): the first block of taps directly in time, the rest uniformly partitioned in
    /// the frequency domain (<see cref="FftKernel"/>), one block behind, which is exactly when their output is due.
    /// Buffers are allocated at construction; <see cref="Process"/> allocates nothing. One thread.
    /// </summary>
    public sealed unsafe class EchoPath
    {
        readonly int m_Block;
        readonly int m_Fft;
        readonly float[] m_Head;          // taps [0, block)
        readonly int m_HeadTaps;          // non-zero extent of the head (0: the direct path is a block or more late)
        readonly float[] m_History;       // the last block of input, for the head's taps
        readonly int m_Partitions;
        readonly float[] m_TailRe, m_TailIm;  // spectra of the tail's partitions, P × (fft/2 + 1)
        readonly float[] m_LineRe, m_LineIm;  // spectra of the last P input frames, a ring
        readonly float[] m_Table, m_Work, m_Frame, m_AccRe, m_AccIm, m_Time;
        readonly float[] m_Input;         // the last 2 blocks of input (overlap-save frame)
        readonly float[] m_Tail;          // tail output for the current block
        int m_Line;
        int m_Staged;
        int m_HistoryAt;

        /// <param name="impulse">Impulse response at <paramref name="sampleRate"/>; its leading zeros are the path's delay.</param>
        /// <param name="gainDb">Gain applied to the whole response, dB.</param>
        public EchoPath(ReadOnlySpan<float> impulse, int sampleRate, double gainDb = 0)
        {
            if (sampleRate < 8000 || sampleRate > 192000) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "Sample rate must be between 8000 and 192000 Hz.");
            if (impulse.Length == 0) throw new ArgumentException("The impulse response is empty.", nameof(impulse));
            if (double.IsNaN(gainDb) || double.IsInfinity(gainDb)) throw new ArgumentOutOfRangeException(nameof(gainDb), gainDb, "The gain must be finite.");
            SampleRate = sampleRate;
            var g = (float)Math.Pow(10, gainDb / 20);
            var block = 64;
            while (block * 100 < sampleRate) block <<= 1;   // ≥ 10 ms
            m_Block = block;
            m_Fft = 2 * block;
            var bins = block + 1;
            Length = impulse.Length;
            var firstNonZero = 0;
            while (firstNonZero < impulse.Length && impulse[firstNonZero] == 0f) firstNonZero++;
            DelaySamples = firstNonZero == impulse.Length ? 0 : firstNonZero;

            m_Head = new float[block];
            for (var i = 0; i < Math.Min(block, impulse.Length); i++)
            {
                m_Head[i] = impulse[i] * g;
                if (m_Head[i] != 0f) m_HeadTaps = i + 1;
            }
            m_History = new float[block];
            m_Partitions = Math.Max(0, (impulse.Length - block + block - 1) / block);
            m_TailRe = new float[Math.Max(1, m_Partitions) * bins];
            m_TailIm = new float[Math.Max(1, m_Partitions) * bins];
            m_LineRe = new float[Math.Max(1, m_Partitions) * bins];
            m_LineIm = new float[Math.Max(1, m_Partitions) * bins];
            m_Table = new float[FftKernel.TableLength(m_Fft)];
            m_Work = new float[m_Fft];
            m_Frame = new float[m_Fft];
            m_AccRe = new float[bins];
            m_AccIm = new float[bins];
            m_Time = new float[m_Fft];
            m_Input = new float[m_Fft];
            m_Tail = new float[block];
            fixed (float* t = m_Table) FftKernel.Init(t, m_Fft);
            // Partition k holds taps [block·(k+1), block·(k+2)): zero-padded to the FFT size.
            for (var k = 0; k < m_Partitions; k++)
            {
                Array.Clear(m_Frame, 0, m_Fft);
                var from = block * (k + 1);
                var n = Math.Min(block, impulse.Length - from);
                for (var i = 0; i < n; i++) m_Frame[i] = impulse[from + i] * g;
                fixed (float* t = m_Table) fixed (float* x = m_Frame) fixed (float* w = m_Work)
                fixed (float* re = &m_TailRe[k * bins]) fixed (float* im = &m_TailIm[k * bins])
                    FftKernel.Forward(t, m_Fft, x, re, im, w);
            }
        }

        /// <summary>Reads a mono impulse response at any rate and brings it to <paramref name="sampleRate"/> (its delay kept).</summary>
        public static EchoPath FromImpulse(ReadOnlySpan<float> impulse, int impulseRate, int sampleRate, double gainDb = 0)
        {
            if (impulseRate == sampleRate) return new EchoPath(impulse, sampleRate, gainDb);
            if (impulseRate < 8000 || impulseRate > 192000) throw new ArgumentOutOfRangeException(nameof(impulseRate), impulseRate, "Impulse rate must be between 8000 and 192000 Hz.");
            var converted = new Resampler(impulseRate, sampleRate).ConvertClip(impulse);
            // The resampler keeps the taps' values, but a response's taps are per sample: at 3 times the rate there are 3
            // times as many of them, so its gain (the sum of its taps at DC) must be scaled by the rate ratio to stay the
            // same. Unscaled, a 16 kHz room at 48 kHz put the echo 9.5 dB over the gain asked for.
            var keep = (int)Math.Min(converted.Length, (long)impulse.Length * sampleRate / impulseRate + 1);
            var rateGainDb = 20 * Math.Log10((double)impulseRate / sampleRate);
            return new EchoPath(new ReadOnlySpan<float>(converted, 0, Math.Max(1, keep)), sampleRate, gainDb + rateGainDb);
        }

        public int SampleRate { get; }

        /// <summary>Taps of the response at <see cref="SampleRate"/>.</summary>
        public int Length { get; }

        /// <summary>Leading zeros of the response (its acoustic delay), samples.</summary>
        public int DelaySamples { get; }

        public double DelayMs => DelaySamples * 1000.0 / SampleRate;

        /// <summary>Echo of <paramref name="played"/> (continuing the stream) into <paramref name="echo"/> (same length; may alias).</summary>
        public void Process(ReadOnlySpan<float> played, Span<float> echo)
        {
            if (echo.Length < played.Length) throw new ArgumentException("The echo buffer holds " + echo.Length + " samples, needs " + played.Length + ".", nameof(echo));
            var b = m_Block;
            for (var i = 0; i < played.Length; i++)
            {
                var x = played[i];
                if (float.IsNaN(x) || float.IsInfinity(x)) x = 0f;
                m_History[m_HistoryAt] = x;
                float y = m_Tail[m_Staged];
                // Head taps: y += Σ h[m]·x[t − m] over the last block of input.
                for (var m = 0; m < m_HeadTaps; m++)
                {
                    var at = m_HistoryAt - m;
                    if (at < 0) at += b;
                    y += m_Head[m] * m_History[at];
                }
                m_HistoryAt = m_HistoryAt + 1 == b ? 0 : m_HistoryAt + 1;
                m_Input[b + m_Staged] = x;
                echo[i] = y;
                if (++m_Staged == b)
                {
                    m_Staged = 0;
                    NextTail();
                }
            }
        }

        /// <summary>Forgets the played history (silence before the next sample).</summary>
        public void Reset()
        {
            Array.Clear(m_History, 0, m_History.Length);
            Array.Clear(m_LineRe, 0, m_LineRe.Length);
            Array.Clear(m_LineIm, 0, m_LineIm.Length);
            Array.Clear(m_Input, 0, m_Input.Length);
            Array.Clear(m_Tail, 0, m_Tail.Length);
            m_Staged = 0;
            m_HistoryAt = 0;
            m_Line = 0;
        }

        /// <summary>
        /// The block just completed joins the frequency-domain line; the tail's output for the next block is
        /// Σ_k X(j − k)·H_k, the last half of the inverse transform (overlap-save).
        /// </summary>
        void NextTail()
        {
            var b = m_Block;
            var bins = b + 1;
            if (m_Partitions == 0)
            {
                Array.Copy(m_Input, b, m_Input, 0, b);
                return;
            }
            m_Line = m_Line == 0 ? m_Partitions - 1 : m_Line - 1;
            fixed (float* t = m_Table) fixed (float* x = m_Input) fixed (float* w = m_Work)
            fixed (float* re = &m_LineRe[m_Line * bins]) fixed (float* im = &m_LineIm[m_Line * bins])
                FftKernel.Forward(t, m_Fft, x, re, im, w);
            Array.Copy(m_Input, b, m_Input, 0, b);
            Array.Clear(m_AccRe, 0, bins);
            Array.Clear(m_AccIm, 0, bins);
            for (var k = 0; k < m_Partitions; k++)
            {
                var line = (m_Line + k) % m_Partitions * bins;
                var h = k * bins;
                for (var f = 0; f < bins; f++)
                {
                    float xr = m_LineRe[line + f], xi = m_LineIm[line + f], hr = m_TailRe[h + f], hi = m_TailIm[h + f];
                    m_AccRe[f] += xr * hr - xi * hi;
                    m_AccIm[f] += xr * hi + xi * hr;
                }
            }
            fixed (float* t = m_Table) fixed (float* re = m_AccRe) fixed (float* im = m_AccIm) fixed (float* o = m_Time)
                FftKernel.Inverse(t, m_Fft, re, im, o);
            Array.Copy(m_Time, b, m_Tail, 0, b);
        }
    }
}
