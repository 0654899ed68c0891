using System;
using Parley.Audio;

namespace Parley.Session.Audio
{
    /// <summary>
    /// The first step every capture front end takes on an engine block: check it fits the buffers sized at
    /// construction (they are never grown on the capture path), downmix it to mono and measure its level.
    /// </summary>
    static class CaptureBlock
    {
        /// <summary>The block's frames downmixed into <paramref name="mono"/> (sized for the largest block); its RMS level in dBFS.</summary>
        public static Span<float> ToMono(AudioFormat format, ReadOnlySpan<float> interleaved, float[] mono, out float levelDbfs)
        {
            var frames = interleaved.Length / format.Channels;
            if (frames > mono.Length)
                throw new ArgumentException("Block of " + frames + " frames exceeds the " + mono.Length + " this front end was sized for.", nameof(interleaved));
            var block = new Span<float>(mono, 0, frames);
            ChannelMixer.Downmix(interleaved.Slice(0, frames * format.Channels), format.Channels, block);
            levelDbfs = AudioLevel.RmsDbfs(block);
            return block;
        }
    }
}
