using System;

namespace Parley.Unity.Voice
{
    /// <summary>
    /// The agent's played signal, as the speaker rendered it (after the source's volume), mono at the output
    /// rate, time-stamped on the DSP clock: what an echo canceller subtracts from the microphone. Opened by its
    /// consumer (nothing is recorded before); one consumer reads it.
    /// </summary>
    public interface IEchoReference
    {
        /// <summary>Output rate of the samples (AudioSettings.outputSampleRate when the voice was attached).</summary>
        int SampleRate { get; }

        /// <summary>Starts recording the played signal into a ring of <paramref name="seconds"/>; idempotent.</summary>
        void OpenEchoReference(double seconds);

        /// <summary>
        /// Copies the oldest unread played samples into <paramref name="destination"/>; returns how many, and in
        /// <paramref name="dspTime"/> the AudioSettings.dspTime at which the first of them was rendered.
        /// </summary>
        int ReadEchoReference(Span<float> destination, out double dspTime);

        /// <summary>Played samples lost because the consumer did not read in time.</summary>
        long EchoReferenceDropped { get; }
    }
}
