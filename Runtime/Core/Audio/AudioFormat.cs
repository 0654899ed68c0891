using System;

namespace Parley.Audio
{
    /// <summary>
    /// A PCM stream's shape: sample rate and interleaved channel count. Every buffer boundary in Parley
    /// (engine mic, provider input/output, engine output) is described by one of these.
    /// </summary>
    [Serializable]
    public readonly struct AudioFormat : IEquatable<AudioFormat>
    {
        /// <summary>Lowest and highest rates Parley accepts; outside this range a device or server is misreporting.</summary>
        public const int MinSampleRate = 8000;
        public const int MaxSampleRate = 192000;
        public const int MaxChannels = 8;

        public readonly int SampleRate;
        public readonly int Channels;

        public AudioFormat(int sampleRate, int channels)
        {
            if (sampleRate < MinSampleRate || sampleRate > MaxSampleRate)
                throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate,
                    "Sample rate must be between " + MinSampleRate + " and " + MaxSampleRate + " Hz.");
            if (channels < 1 || channels > MaxChannels)
                throw new ArgumentOutOfRangeException(nameof(channels), channels,
                    "Channel count must be between 1 and " + MaxChannels + ".");
            SampleRate = sampleRate;
            Channels = channels;
        }

        public static AudioFormat Mono(int sampleRate) => new AudioFormat(sampleRate, 1);

        /// <summary>Frames (one sample per channel) in <paramref name="milliseconds"/>, rounded down.</summary>
        public int FramesIn(double milliseconds) => (int)(milliseconds * SampleRate / 1000.0);

        /// <summary>Interleaved samples in <paramref name="milliseconds"/>, rounded down to whole frames.</summary>
        public int SamplesIn(double milliseconds) => FramesIn(milliseconds) * Channels;

        /// <summary>Duration of <paramref name="frames"/> frames in milliseconds.</summary>
        public double Milliseconds(long frames) => frames * 1000.0 / SampleRate;

        /// <summary>Bytes of PCM16 for <paramref name="frames"/> frames.</summary>
        public int Pcm16Bytes(int frames) => frames * Channels * 2;

        public bool Equals(AudioFormat other) => SampleRate == other.SampleRate && Channels == other.Channels;
        public override bool Equals(object obj) => obj is AudioFormat other && Equals(other);
        public override int GetHashCode() => SampleRate * 16 + Channels;
        public static bool operator ==(AudioFormat a, AudioFormat b) => a.Equals(b);
        public static bool operator !=(AudioFormat a, AudioFormat b) => !a.Equals(b);
        public override string ToString() => SampleRate + " Hz x" + Channels;
    }
}
