namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Channel layout kernels over interleaved float buffers (frame = one sample per channel). Callers
    /// guarantee the buffer sizes; <see cref="Parley.Audio.ChannelMixer"/> is the checked API.
    /// </summary>
    public static unsafe class ChannelKernel
    {
        /// <summary>
        /// Equal-gain average of all channels into mono: a signal present identically in every channel keeps
        /// its level, one present in a single channel of N drops by 20·log10(N) dB, uncorrelated channels by
        /// 10·log10(N) dB. Averaging (not summing) can never clip. Non-finite samples are sanitized.
        /// </summary>
        public static void Downmix(float* src, int frames, int channels, float* dst)
        {
            if (channels == 1)
            {
                for (var i = 0; i < frames; i++) dst[i] = Sample.Sanitize(src[i]);
                return;
            }
            if (channels == 2)
            {
                for (var i = 0; i < frames; i++)
                    dst[i] = (Sample.Sanitize(src[2 * i]) + Sample.Sanitize(src[2 * i + 1])) * 0.5f;
                return;
            }
            var scale = 1f / channels;
            var s = src;
            for (var i = 0; i < frames; i++)
            {
                dst[i] = AverageFrame(s, channels, scale);
                s += channels;
            }
        }

        /// <summary>Sanitized sum of one frame's <paramref name="channels"/> samples times <paramref name="scale"/> (1/channels).</summary>
        public static float AverageFrame(float* frame, int channels, float scale)
        {
            var sum = 0f;
            for (var c = 0; c < channels; c++) sum += Sample.Sanitize(frame[c]);
            return sum * scale;
        }

        /// <summary>Copies channel <paramref name="channel"/> of an interleaved buffer into a mono buffer.</summary>
        public static void Deinterleave(float* src, int frames, int channels, int channel, float* dst)
        {
            var s = src + channel;
            for (var i = 0; i < frames; i++)
            {
                dst[i] = *s;
                s += channels;
            }
        }

        /// <summary>Writes a mono buffer into channel <paramref name="channel"/> of an interleaved buffer (others untouched).</summary>
        public static void Interleave(float* src, int frames, int channels, int channel, float* dst)
        {
            var d = dst + channel;
            for (var i = 0; i < frames; i++)
            {
                *d = src[i];
                d += channels;
            }
        }

        /// <summary>Copies a mono buffer into every channel of an interleaved buffer (playout to an N-channel mixer).</summary>
        public static void Upmix(float* src, int frames, int channels, float* dst)
        {
            var d = dst;
            for (var i = 0; i < frames; i++)
            {
                var v = src[i];
                for (var c = 0; c < channels; c++) d[c] = v;
                d += channels;
            }
        }
    }
}
