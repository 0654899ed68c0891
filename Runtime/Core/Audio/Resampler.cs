using System;
using System.Runtime.InteropServices;
using Parley.Audio.Kernels;

namespace Parley.Audio
{
    /// <summary>
    /// Streaming sample-rate converter: a Kaiser-windowed sinc polyphase filter at the exact rational ratio
    /// (rates reduced by their gcd), for interleaved float PCM with 1–8 channels. State carries across calls,
    /// so feeding a signal in chunks of any size (including 0 and 1 frames) gives the same output, sample for
    /// sample, as feeding it in one piece. Tables are built once here; <see cref="Process"/> allocates nothing.
    /// The arithmetic lives in <see cref="PolyphaseKernel"/>; this class validates and pins.
    /// </summary>
    /// <remarks>
    /// Non-finite input (NaN, ±Inf) is replaced by silence before it enters the filter, so one bad sample cannot
    /// poison the stream; <see cref="NonFiniteSamples"/> counts replacements since the last reset.
    /// Output is delayed by <see cref="GroupDelayMs"/> (linear phase); <see cref="Flush"/> emits the tail.
    /// </remarks>
    public sealed unsafe class Resampler
    {
        // Input frames staged per kernel pass; bounds the line buffer at (taps − 1 + this) frames per channel.
        const int BlockFrames = 512;
        // Largest coefficient table (floats) a rate pair may need; near-coprime rates (e.g. 44100 → 44101) exceed it.
        const int MaxTableFloats = 1 << 21;

        readonly float[] m_Coefficients;
        readonly float[] m_Line;
        PolyphaseState m_State;

        public int InputRate { get; }
        public int OutputRate { get; }
        public int Channels { get; }
        public ResamplerQuality Quality { get; }
        /// <summary>Interpolation factor of the reduced ratio OutputRate/InputRate = Up/Down.</summary>
        public int Up => m_State.Up;
        /// <summary>Decimation factor of the reduced ratio.</summary>
        public int Down => m_State.Down;
        /// <summary>Filter span in input frames (multiply-adds per output sample).</summary>
        public int Taps => m_State.Taps;
        /// <summary>Delay of the linear-phase filter, in input frames (may be fractional).</summary>
        public double GroupDelayInputFrames { get; }
        public double GroupDelayMs => GroupDelayInputFrames * 1000.0 / InputRate;
        /// <summary>Group delay in output frames (exact: filters are centred on a whole output frame).</summary>
        public int LatencyFrames => (int)Math.Round(GroupDelayInputFrames * OutputRate / InputRate);
        /// <summary>Most frames <see cref="Flush"/> writes.</summary>
        public int MaxFlushFrames => MaxOutputFor(Taps - 1);
        /// <summary>NaN/±Inf input samples replaced by 0 since construction or the last <see cref="Reset"/>.</summary>
        public int NonFiniteSamples => m_State.NonFinite;

        public Resampler(int inputRate, int outputRate, int channels = 1, ResamplerQuality quality = ResamplerQuality.Default)
        {
            CheckRate(inputRate, nameof(inputRate));
            CheckRate(outputRate, nameof(outputRate));
            if (channels < 1 || channels > AudioFormat.MaxChannels)
                throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channel count must be between 1 and " + AudioFormat.MaxChannels + ".");
            if (quality < ResamplerQuality.Fast || quality > ResamplerQuality.High)
                throw new ArgumentOutOfRangeException(nameof(quality), quality, "Unknown resampler quality.");

            InputRate = inputRate;
            OutputRate = outputRate;
            Channels = channels;
            Quality = quality;
            var g = Gcd(inputRate, outputRate);
            var up = outputRate / g;
            var down = inputRate / g;
            int taps;
            double delay;
            if (up == down)
            {
                // Same rate: a single unit tap passes samples through bit-exact with no delay.
                up = down = taps = 1;
                delay = 0;
                m_Coefficients = new[] { 1f };
            }
            else m_Coefficients = Design(inputRate, outputRate, up, quality, out taps, out delay);
            GroupDelayInputFrames = delay;
            PolyphaseKernel.Init(ref m_State, up, down, taps, channels, BlockFrames);
            m_Line = new float[PolyphaseKernel.LineLength(m_State)];
        }

        /// <summary>Upper bound of frames any <see cref="Process"/> of <paramref name="inputFrames"/> frames writes, whatever the state.</summary>
        public int MaxOutputFor(int inputFrames)
        {
            if (inputFrames < 0) throw new ArgumentOutOfRangeException(nameof(inputFrames), inputFrames, "Must not be negative.");
            return (int)(((long)inputFrames * m_State.Up + m_State.Down - 1) / m_State.Down);
        }

        /// <summary>Exact frames the next <see cref="Process"/> of <paramref name="inputFrames"/> frames writes.</summary>
        public int OutputFramesFor(int inputFrames)
        {
            if (inputFrames < 0) throw new ArgumentOutOfRangeException(nameof(inputFrames), inputFrames, "Must not be negative.");
            return PolyphaseKernel.OutputFrames(m_State, inputFrames);
        }

        /// <summary>
        /// Fewest input frames whose <see cref="Process"/> writes at least <paramref name="outputFrames"/> frames from
        /// the current state (what a playout drain pulls from its source to fill N engine frames).
        /// </summary>
        public int InputNeededFor(int outputFrames)
        {
            if (outputFrames < 0) throw new ArgumentOutOfRangeException(nameof(outputFrames), outputFrames, "Must not be negative.");
            return PolyphaseKernel.InputFramesFor(m_State, outputFrames);
        }

        /// <summary>
        /// Consumes all of <paramref name="input"/> (interleaved frames) and writes every completed output frame to
        /// <paramref name="output"/>; returns frames written (<see cref="OutputFramesFor"/> of the input's frames).
        /// </summary>
        /// <exception cref="ArgumentException">Input is not whole frames, or output is too small (nothing is consumed).</exception>
        public int Process(ReadOnlySpan<float> input, Span<float> output)
        {
            var frames = input.Length / Channels;
            if (frames * Channels != input.Length)
                throw new ArgumentException("Input holds " + input.Length + " samples, not a whole number of " + Channels + "-channel frames.", nameof(input));
            if (frames == 0) return 0;
            var needed = PolyphaseKernel.OutputFrames(m_State, frames);
            CheckOutput(output, needed);
            fixed (PolyphaseState* st = &m_State)
            fixed (float* c = m_Coefficients)
            fixed (float* l = m_Line)
            fixed (float* i = &MemoryMarshal.GetReference(input))
            fixed (float* o = &MemoryMarshal.GetReference(output))
                return FrameKernels.Current.Resample(st, c, l, i, frames, o);
        }

        /// <summary>
        /// Writes the filter tail (the last <see cref="GroupDelayMs"/> of the stream, and the ring-out) as if
        /// silence followed, then resets for a new stream. Returns frames written (at most <see cref="MaxFlushFrames"/>).
        /// </summary>
        /// <exception cref="ArgumentException">Output is too small (nothing is changed).</exception>
        public int Flush(Span<float> output)
        {
            var frames = Taps - 1;
            var needed = PolyphaseKernel.OutputFrames(m_State, frames);
            CheckOutput(output, needed);
            int written;
            fixed (float* c = m_Coefficients)
            fixed (float* l = m_Line)
            fixed (float* o = &MemoryMarshal.GetReference(output))
                written = PolyphaseKernel.Process(ref m_State, c, l, null, frames, o);
            Reset();
            return written;
        }

        /// <summary>
        /// Offline conversion of a whole clip (allocates its result; not for the audio thread): starts a new stream,
        /// processes <paramref name="interleaved"/>, flushes the tail and drops the first <see cref="LatencyFrames"/>
        /// frames, so output frame k lines up with input time k / <see cref="OutputRate"/>. The result ends with the
        /// filter's ring-out; trim it to the input's duration if that is wanted.
        /// </summary>
        /// <exception cref="ArgumentException">Input is not whole frames.</exception>
        public float[] ConvertClip(ReadOnlySpan<float> interleaved)
        {
            var frames = interleaved.Length / Channels;
            if (frames * Channels != interleaved.Length)
                throw new ArgumentException("Input holds " + interleaved.Length + " samples, not a whole number of " + Channels + "-channel frames.", nameof(interleaved));
            Reset();
            var output = new float[((long)MaxOutputFor(frames) + MaxFlushFrames) * Channels];
            var n = Process(interleaved, output);
            n += Flush(new Span<float>(output, n * Channels, output.Length - n * Channels));
            var skip = Math.Min(LatencyFrames, n);
            return new ReadOnlySpan<float>(output, skip * Channels, (n - skip) * Channels).ToArray();
        }

        /// <summary>Forgets all history (the next input starts after silence).</summary>
        public void Reset()
        {
            fixed (float* l = m_Line)
                PolyphaseKernel.Reset(ref m_State, l);
        }

        void CheckOutput(Span<float> output, int frames)
        {
            if (output.Length < (long)frames * Channels)
                throw new ArgumentException("Output holds " + output.Length + " samples; " + (long)frames * Channels + " needed.", nameof(output));
        }

        static void CheckRate(int rate, string name)
        {
            if (rate < AudioFormat.MinSampleRate || rate > AudioFormat.MaxSampleRate)
                throw new ArgumentOutOfRangeException(name, rate,
                    "Sample rate must be between " + AudioFormat.MinSampleRate + " and " + AudioFormat.MaxSampleRate + " Hz.");
        }

        static int Gcd(int a, int b)
        {
            while (b != 0)
            {
                var t = a % b;
                a = b;
                b = t;
            }
            return a;
        }

        /// <summary>Passband edge, stopband edge (fractions of the lower rate) and design attenuation (dB) of a preset.</summary>
        static void Spec(ResamplerQuality q, out double pass, out double stop, out double attenuationDb)
        {
            switch (q)
            {
                case ResamplerQuality.Fast:
                    pass = 0.45; stop = 0.55; attenuationDb = 64;
                    break;
                case ResamplerQuality.High:
                    pass = 0.45; stop = 0.50; attenuationDb = 115;
                    break;
                default:
                    pass = 0.45; stop = 0.55; attenuationDb = 95.5;
                    break;
            }
        }

        /// <summary>
        /// Kaiser-windowed sinc prototype at Up·InputRate, cut off midway through the transition band, split into
        /// Up phases of <paramref name="taps"/> input frames (rows stored oldest-first for the kernel).
        /// </summary>
        static float[] Design(int inputRate, int outputRate, int up, ResamplerQuality quality, out int taps, out double delayInputFrames)
        {
            Spec(quality, out var pass, out var stop, out var atten);
            var low = Math.Min(inputRate, outputRate);
            // Kaiser's length estimate, in frames of the lower rate, then in input frames.
            var lowTaps = (atten - 7.95) / (14.36 * (stop - pass)) + 1;
            // Centre the prototype on a whole number of output frames, so the delay is an exact LatencyFrames.
            var down = (long)inputRate * up / outputRate;
            var delayFrames = (int)Math.Ceiling(lowTaps / 2 * outputRate / low);
            var length = 2L * delayFrames * down + 1;
            taps = (int)((length + up - 1) / up);
            if ((long)taps * up > MaxTableFloats)
                throw new NotSupportedException("Resampling " + inputRate + " Hz to " + outputRate + " Hz needs a " + (long)taps * up +
                    "-coefficient table (rates too close to coprime); convert through a common rate such as 48000 Hz.");

            var center = (double)delayFrames * down;
            var fc = (pass + stop) / 2 * low / ((double)up * inputRate);  // cycles per prototype sample
            var beta = atten > 50 ? 0.1102 * (atten - 8.7) : 0.5842 * Math.Pow(atten - 21, 0.4) + 0.07886 * (atten - 21);
            var i0Beta = BesselI0(beta);
            // Zero past the odd-length window: the table is whole rows of taps.
            var proto = new double[taps * up];
            double sum = 0;
            for (var j = 0; j < length; j++)
            {
                var x = j - center;
                var sinc = x == 0 ? 2 * fc : Math.Sin(2 * Math.PI * fc * x) / (Math.PI * x);
                var r = x / center;
                var w = BesselI0(beta * Math.Sqrt(Math.Max(0, 1 - r * r))) / i0Beta;
                proto[j] = sinc * w;
                sum += proto[j];
            }
            // Each phase sees every Up-th coefficient, so unity gain needs the whole prototype to sum to Up.
            var gain = up / sum;
            var rows = new float[proto.Length];
            for (var p = 0; p < up; p++)
                for (var k = 0; k < taps; k++)
                    rows[p * taps + (taps - 1 - k)] = (float)(proto[p + k * up] * gain);
            delayInputFrames = center / up;
            return rows;
        }

        static double BesselI0(double x)
        {
            double sum = 1, term = 1, half = x / 2;
            for (var k = 1; k < 64; k++)
            {
                term *= half / k * (half / k);
                sum += term;
                if (term < sum * 1e-17) break;
            }
            return sum;
        }
    }
}
