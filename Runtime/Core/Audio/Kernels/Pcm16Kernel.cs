namespace Parley.Audio.Kernels
{
    /// <summary>
    /// float [-1, 1) ⇄ PCM16 (the wire format of every provider). Scale is 32768 both ways, so
    /// PCM16 → float → PCM16 is lossless; +1.0 clips to 32767. Rounding is to nearest, ties to even. Non-finite input
    /// follows <see cref="Sample.Sanitize"/>: NaN → 0, ±Inf → ±full scale. The little-endian byte order
    /// on the wire is the host's order on every platform Unity ships to (checked by <see cref="Parley.Audio.Pcm16Base64"/>).
    /// </summary>
    public static unsafe class Pcm16Kernel
    {
        /// <summary>One float sample to PCM16: scale, round to nearest (ties to even), clip.</summary>
        public static short FromFloat(float x)
        {
            var v = x * 32768f;
            // One predictable branch for the in-range case; MathF.Round is a single instruction (roundss).
            if (v > -32768f && v < 32767f) return (short)(int)System.MathF.Round(v);
            if (v >= 32767f) return 32767;
            if (v <= -32768f) return -32768;
            return 0; // NaN fails every comparison
        }

        public static void FromFloat(float* src, int count, short* dst)
        {
            for (var i = 0; i < count; i++) dst[i] = FromFloat(src[i]);
        }

        /// <summary>
        /// Float to PCM16 with TPDF dither of ±1 LSB peak: the quantisation error becomes signal-independent
        /// noise (3× the power of plain rounding, +4.8 dB) instead of distortion that follows the signal.
        /// </summary>
        public static void FromFloatDithered(float* src, int count, short* dst, ref DitherState rng)
        {
            const float lsb = 1f / 32768f;
            for (var i = 0; i < count; i++)
            {
                var x = src[i];
                // Dither only finite samples so NaN/Inf keep their documented mapping.
                if (x - x == 0f) x += DitherState.Triangular(ref rng) * lsb;
                dst[i] = FromFloat(x);
            }
        }

        public static void ToFloat(short* src, int count, float* dst)
        {
            const float scale = 1f / 32768f;
            for (var i = 0; i < count; i++) dst[i] = src[i] * scale;
        }

        /// <summary>
        /// Capture hot path in one pass: interleaved float frames → mono PCM16 (equal-gain average as
        /// <see cref="ChannelKernel.Downmix"/>, then <see cref="FromFloat(float)"/>).
        /// </summary>
        public static void DownmixFromFloat(float* src, int frames, int channels, short* dst)
        {
            if (channels == 1)
            {
                FromFloat(src, frames, dst);
                return;
            }
            var scale = 1f / channels;
            var s = src;
            for (var i = 0; i < frames; i++)
            {
                dst[i] = FromFloat(ChannelKernel.AverageFrame(s, channels, scale));
                s += channels;
            }
        }
    }
}
