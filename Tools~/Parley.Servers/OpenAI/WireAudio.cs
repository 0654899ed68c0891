using System;
using Parley.Audio;

namespace Parley.Servers.OpenAI
{
    /// <summary>
    /// The GA audio formats as the emulator handles them: `audio/pcm` is 24 kHz PCM16 little-endian,
    /// `audio/pcmu` / `audio/pcma` are 8 kHz G.711 (one byte a sample). Uses the package's own resampler and
    /// G.711 kernels, so the emulator's 8 kHz speech is what a client built on Parley.Core would produce.
    /// </summary>
    public static class WireAudio
    {
        public const string Pcm = "audio/pcm";
        public const string Pcmu = "audio/pcmu";
        public const string Pcma = "audio/pcma";

        public static int SampleRate(string format) => format == Pcmu || format == Pcma ? 8000 : 24000;

        /// <summary>Wire bytes → PCM16 at the format's rate.</summary>
        public static short[] ToPcm(string format, byte[] bytes)
        {
            if (format == Pcmu || format == Pcma)
            {
                var pcm = new short[bytes.Length];
                if (format == Pcmu) G711.MuLawDecode(bytes, pcm);
                else G711.ALawDecode(bytes, pcm);
                return pcm;
            }
            var samples = new short[bytes.Length / 2];
            for (var i = 0; i < samples.Length; i++) samples[i] = (short)(bytes[2 * i] | (bytes[2 * i + 1] << 8));
            return samples;
        }

        /// <summary>24 kHz PCM16 → the format's wire bytes (resampled to 8 kHz first for G.711).</summary>
        public static byte[] FromPcm24k(string format, short[] pcm24k)
        {
            if (format == Pcmu || format == Pcma)
            {
                var pcm8k = Resample(pcm24k, 24000, 8000);
                var codes = new byte[pcm8k.Length];
                if (format == Pcmu) G711.MuLawEncode(pcm8k, codes);
                else G711.ALawEncode(pcm8k, codes);
                return codes;
            }
            var bytes = new byte[pcm24k.Length * 2];
            Buffer.BlockCopy(pcm24k, 0, bytes, 0, bytes.Length);
            return bytes;
        }

        /// <summary>
        /// A whole clip through the core <see cref="Resampler"/>, its filter delay removed so the result lines up
        /// with the input sample for sample (length = input length × to / from, rounded down).
        /// </summary>
        public static short[] Resample(short[] pcm, int from, int to)
        {
            var input = new float[pcm.Length];
            PcmConvert.Pcm16ToFloat(pcm, input);
            var output = new Resampler(from, to).ConvertClip(input);
            var length = (int)((long)pcm.Length * to / from);
            var result = new short[length];
            var available = Math.Min(length, output.Length);
            PcmConvert.FloatToPcm16(new ReadOnlySpan<float>(output, 0, available), result);
            return result;
        }
    }
}
