using System.Runtime.InteropServices;

namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Everything <see cref="PlayoutKernel"/> keeps between audio callbacks, plus the counters other threads read.
    /// Blittable; the 64-bit counters come first so they are 8-byte aligned for Interlocked on 32-bit targets.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PlayoutState
    {
        // Counters, updated with Interlocked and read with Interlocked.Read by observers.
        public long Underruns;
        public long Dropped;
        public long Discarded;
        public long Rendered;
        /// <summary>Output samples inserted by time-stretch expansion (pitch periods repeated).</summary>
        public long Expanded;
        /// <summary>Output samples removed by time-stretch acceleration (pitch periods dropped).</summary>
        public long Accelerated;

        // Configuration, fixed at construction. The pre-roll adapts between the two bounds when the maximum is
        // above the minimum (see PlayoutKernel); otherwise it stays at PrerollSamples.
        public int FadeLength;
        public int MinPrerollSamples;
        public int MaxPrerollSamples;
        public int ItemMask;
        /// <summary>Time-stretch staging capacity in samples; 0 turns time-stretching off.</summary>
        public int StretchCapacity;
        /// <summary>Pitch-period search range in samples (2.5–15 ms).</summary>
        public int StretchMinLag;
        public int StretchMaxLag;

        /// <summary>Audio buffered before playback starts; consumer-written when adaptive, read by observers.</summary>
        public int PrerollSamples;

        /// <summary>Ring <c>Written</c> count up to which no more audio is coming (producer release, consumer acquire).</summary>
        public int CompleteThrough;
        /// <summary>Items with a handle at or below this are flushed (CAS-raised by any thread).</summary>
        public int FlushThrough;
        /// <summary>Jitter estimate in samples (producer-written, consumer-read): how late the latest chunks of an item
        /// came, at the audio thread's clock, beyond one render block; it persists across items and decays slowly.</summary>
        public int JitterSamples;
        /// <summary>The audio thread's clock: samples requested by every render so far (consumer release, producer acquire; wraps).</summary>
        public int Clock;

        // Consumer-owned.
        public int Phase;
        public int ResumeWithFadeIn;
        public int FadeInPosition;
        public int FadeOutPosition;
        public int FadeOutLength;
        public int FadeOutIsFlush;
        /// <summary>Largest request seen (one render block): an adaptive start waits for a block plus the fade reserve.</summary>
        public int LargestRequest;
        /// <summary>An underrun happened and no audio has arrived since: the next arrival is late.</summary>
        public int AwaitingLate;
        /// <summary>Audio arrived late since the last clean end of playout: no decay at the next end.</summary>
        public int ArrivedLate;

        // Time-stretch staging (consumer-owned): output samples [StretchStart, StretchEnd) of item StretchItem play
        // before the ring; they stand for StretchSource source samples, credited to the played cursor pro rata.
        public int StretchStart;
        public int StretchEnd;
        public int StretchItem;
        /// <summary>Source samples the staged output stands for (published for <c>BufferedSamples</c>).</summary>
        public int StretchSource;
        /// <summary>Net samples inserted since playback (re)started; acceleration gives back at most this.</summary>
        public int StretchDebt;

        // Published by the consumer for observers.
        public int IsPlaying;
        public int CurrentItem;

        // Consumer-owned, for read-ahead (PlayoutReadAhead, same thread): cuts of flushed audio performed so far, and
        // the Clock value at which the latest one falls silent (the end of its fade-out).
        public int Cuts;
        public int CutClock;
    }
}
