using System;

namespace Parley.Audio
{
    /// <summary>Shared argument checks of the kernel API boundary, so every entry point words its errors the same way.</summary>
    internal static class AudioArgs
    {
        /// <summary>Frames in an interleaved buffer; throws unless <paramref name="channels"/> ≥ 1 and the length is whole frames.</summary>
        public static int Frames(int length, int channels, string name)
        {
            if (channels < 1)
                throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channel count must be at least 1.");
            if (length % channels != 0)
                throw new ArgumentException("Interleaved buffer of " + length + " samples is not a whole number of " + channels + "-channel frames.", name);
            return length / channels;
        }

        public static void Fits(int destinationLength, int needed, string name)
        {
            if (destinationLength < needed)
                throw new ArgumentException("Destination holds " + destinationLength + " samples; " + needed + " needed.", name);
        }

        public static void Channel(int channel, int channels)
        {
            if (channel < 0 || channel >= channels)
                throw new ArgumentOutOfRangeException(nameof(channel), channel, "Channel must be between 0 and " + (channels - 1) + ".");
        }
    }
}
