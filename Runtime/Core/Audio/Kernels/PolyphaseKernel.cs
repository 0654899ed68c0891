namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Streaming polyphase FIR resampler over caller-owned unmanaged buffers (Burst-friendly: no allocation,
    /// no throw, no virtual calls). Coefficients are <c>Up</c> rows of <c>Taps</c> floats, each row stored
    /// oldest-first so the inner loop is a forward dot product. The line holds, per channel (planar), the last
    /// Taps − 1 input frames followed by the block being processed. Every output is computed from the same
    /// values in the same order however the input is chunked, so chunked output equals one-piece output bit for bit.
    /// </summary>
    public static unsafe class PolyphaseKernel
    {
        public static void Init(ref PolyphaseState s, int up, int down, int taps, int channels, int blockFrames)
        {
            s.Up = up;
            s.Down = down;
            s.Taps = taps;
            s.Channels = channels;
            s.BlockFrames = blockFrames;
            s.Stride = taps - 1 + blockFrames;
            s.Phase = 0;
            s.Lead = 0;
            s.NonFinite = 0;
        }

        /// <summary>Floats the caller allocates for the line buffer.</summary>
        public static int LineLength(in PolyphaseState s) => s.Stride * s.Channels;

        /// <summary>Clears the history (silence before the next input) and the output position.</summary>
        public static void Reset(ref PolyphaseState s, float* line)
        {
            var n = s.Stride * s.Channels;
            for (var i = 0; i < n; i++) line[i] = 0f;
            s.Phase = 0;
            s.Lead = 0;
            s.NonFinite = 0;
        }

        /// <summary>Exact number of frames the next <see cref="Process"/> of <paramref name="inputFrames"/> frames writes.</summary>
        public static int OutputFrames(in PolyphaseState s, int inputFrames)
        {
            // Outputs j = 0.. with Lead + floor((Phase + j·Down)/Up) < inputFrames.
            var room = (long)(inputFrames - s.Lead) * s.Up - s.Phase;
            if (room <= 0) return 0;
            return (int)((room + s.Down - 1) / s.Down);
        }

        /// <summary>Fewest input frames after which <paramref name="outputFrames"/> more frames are available.</summary>
        public static int InputFramesFor(in PolyphaseState s, int outputFrames)
        {
            if (outputFrames <= 0) return 0;
            var last = s.Phase + (long)(outputFrames - 1) * s.Down;
            return (int)(s.Lead + last / s.Up + 1);
        }

        /// <summary>
        /// Consumes <paramref name="frames"/> interleaved input frames and writes every output they complete
        /// (exactly <see cref="OutputFrames"/>) interleaved to <paramref name="output"/>; returns frames written.
        /// A null <paramref name="input"/> feeds silence (used to flush the tail).
        /// </summary>
        public static int Process(ref PolyphaseState s, float* coeffs, float* line, float* input, int frames, float* output)
        {
            var taps = s.Taps;
            var channels = s.Channels;
            var history = taps - 1;
            var written = 0;
            var consumed = 0;
            while (consumed < frames)
            {
                var block = frames - consumed;
                if (block > s.BlockFrames) block = s.BlockFrames;
                s.NonFinite += Load(line, s.Stride, history, input, consumed, block, channels);

                var lead = s.Lead;
                var phase = s.Phase;
                while (lead < block)
                {
                    var row = coeffs + (long)phase * taps;
                    var o = output + (long)written * channels;
                    for (var c = 0; c < channels; c++)
                        o[c] = Dot(row, line + (long)c * s.Stride + lead, taps);
                    written++;
                    phase += s.Down;
                    while (phase >= s.Up)
                    {
                        phase -= s.Up;
                        lead++;
                    }
                }
                s.Lead = lead - block;
                s.Phase = phase;

                // Keep the newest Taps − 1 frames as history for the next block.
                for (var c = 0; c < channels; c++)
                {
                    var l = line + (long)c * s.Stride;
                    for (var i = 0; i < history; i++) l[i] = l[block + i];
                }
                consumed += block;
            }
            return written;
        }

        /// <summary>Deinterleaves a block into the line after the history; non-finite samples become 0. Returns how many did.</summary>
        static int Load(float* line, int stride, int history, float* input, int offset, int block, int channels)
        {
            var bad = 0;
            for (var c = 0; c < channels; c++)
            {
                var l = line + (long)c * stride + history;
                if (input == null)
                {
                    for (var i = 0; i < block; i++) l[i] = 0f;
                    continue;
                }
                var src = input + (long)offset * channels + c;
                for (var i = 0; i < block; i++)
                {
                    var v = src[(long)i * channels];
                    // v − v is 0 for finite v and NaN for NaN/±Inf.
                    if (v - v == 0f) l[i] = v;
                    else
                    {
                        l[i] = 0f;
                        bad++;
                    }
                }
            }
            return bad;
        }

        /// <summary>
        /// Σ a[i]·b[i]. Four independent accumulators break the add dependency chain (the .NET JIT does not
        /// vectorise; Burst does), combined in a fixed order so the result never depends on the call site.
        /// </summary>
        public static float Dot(float* a, float* b, int n)
        {
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
            var i = 0;
            for (; i <= n - 8; i += 8)
            {
                s0 += a[i] * b[i];
                s1 += a[i + 1] * b[i + 1];
                s2 += a[i + 2] * b[i + 2];
                s3 += a[i + 3] * b[i + 3];
                s0 += a[i + 4] * b[i + 4];
                s1 += a[i + 5] * b[i + 5];
                s2 += a[i + 6] * b[i + 6];
                s3 += a[i + 7] * b[i + 7];
            }
            for (; i < n; i++) s0 += a[i] * b[i];
            return (s0 + s1) + (s2 + s3);
        }
    }
}
