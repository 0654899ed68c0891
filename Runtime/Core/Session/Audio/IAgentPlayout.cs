using System;

namespace Parley.Session.Audio
{
    /// <summary>
    /// The speaker side as the session sees it: a playout buffer the provider's receive task writes into and
    /// the audio thread (or the CLI's virtual speaker) drains, advancing a played cursor per response item.
    /// A lipsync analyser taps the drained audio behind it. Read members are lock-free snapshots and may be
    /// called from any thread.
    /// </summary>
    public interface IAgentPlayout
    {
        /// <summary>Rate of the PCM16 written with <see cref="Write"/> (the provider's output rate).</summary>
        int SampleRate { get; }

        /// <summary>Queues audio of <paramref name="itemId"/>; returns false when it did not fit (counted as overflow).
        /// Producer side: one thread (the provider's receive task).</summary>
        bool Write(string itemId, ReadOnlySpan<short> pcm);

        /// <summary>No more audio will come for <paramref name="itemId"/> (it may play out without counting as an underrun).</summary>
        void EndItem(string itemId);

        /// <summary>Fades out what is playing and drops everything queued (interruption).</summary>
        void Flush();

        /// <summary>Length of the fade <see cref="Flush"/> applies, in ms (part of the interruption latency).</summary>
        int FlushFadeMs { get; }

        /// <summary>Milliseconds of <paramref name="itemId"/> the speaker has rendered (the played cursor), 0 if unknown.</summary>
        int PlayedMs(string itemId);

        /// <summary>The item the speaker rendered most recently, or null before any.</summary>
        string CurrentItemId { get; }

        /// <summary>True while the speaker is rendering agent audio (not silence, not underrun).</summary>
        bool IsPlaying { get; }

        /// <summary>Queued samples not rendered yet.</summary>
        int QueuedSamples { get; }

        /// <summary>Times the speaker needed audio mid-item and the buffer was empty.</summary>
        long Underruns { get; }
    }
}
