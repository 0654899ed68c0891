namespace Parley.Audio.Kernels
{
    /// <summary>
    /// A faster cold start for <see cref="EchoKernel"/>: the last <see cref="ReplayMs"/> of microphone blocks are kept, and
    /// when the matcher moves the alignment onto an echo the canceller never found (a delay past the filter's first window:
    /// the background starts over there), the background adapts once over those blocks at the new alignment before the
    /// next block, as if it had been there all along. A 200 ms room's filter otherwise starts learning only when the
    /// matcher is sure (0.85 s into the first reply) and has removed nothing 150 ms later; replayed, 4–10 dB (BENCHMARKS.md,
    /// "The canceller's cold start learns from what it already heard"). Only on a stream that has held no room: after a
    /// path it held moved, the kept blocks carry the old path's echo. The reference's ring keeps
    /// <see cref="EchoState.ReplayBlocks"/> more blocks for it. Cost: one background update per kept block, once.
    /// </summary>
    public static unsafe class EchoReplayKernel
    {
        /// <summary>Microphone kept for a replay, ms.</summary>
        internal const int ReplayMs = 400;

        /// <summary>
        /// Blocks kept at <paramref name="sampleRate"/> with blocks of <paramref name="block"/> samples; none where the block
        /// is the tuned one (<paramref name="sub"/> 1: 16 kHz), where the replay changed how a later move of the matcher went
        /// in two aec-compare rooms and cost one 7 dB of ERLE (BENCHMARKS.md, as above).
        /// </summary>
        internal static int Blocks(int sampleRate, int block, int sub) => sub > 1 ? (ReplayMs * sampleRate + 1000 * block - 1) / (1000 * block) : 0;

        /// <summary>Keeps this block's microphone (sanitised) and where its reference sits in the ring.</summary>
        internal static void Keep(ref EchoState s, float* f, int* iw, float* mic, bool refActive)
        {
            if (s.ReplayBlocks == 0) return;
            var slot = (int)(s.Blocks % s.ReplayBlocks);
            var kept = f + s.ReplayMic + slot * s.Block;
            for (var i = 0; i < s.Block; i++) kept[i] = mic[i];
            iw[s.ReplayHeads + slot] = refActive ? (int)(s.RefHead - s.Blocks) : int.MinValue;
        }

        /// <summary>
        /// The background's update over every kept block whose reference sounded and is still in the ring, oldest first,
        /// at the alignment just moved to (the Kalman update only; the normalised step has no replay).
        /// </summary>
        internal static void Run(ref EchoState s, float* f, int* iw)
        {
            s.ReplayPending = 0;
            if (s.ReplayBlocks == 0 || s.Kalman == 0) return;
            var oldest = s.RefHead - s.RingBlocks + 1;
            var kept = s.Blocks + 1 < s.ReplayBlocks ? (int)s.Blocks + 1 : s.ReplayBlocks;
            var done = 0;
            for (var j = kept - 1; j >= 0; j--)
            {
                var block = s.Blocks - j;
                var slot = (int)(block % s.ReplayBlocks);
                var head = iw[s.ReplayHeads + slot];
                if (head == int.MinValue) continue;
                var aligned = block + head - s.Delay;
                if (aligned < 0 || aligned - s.Partitions + 1 < oldest) continue;
                EchoFilterKernel.UpdatePower(ref s, f, aligned);
                EchoFilterKernel.Filter(ref s, f, f + s.BgRe, f + s.BgIm, aligned, f + s.ReplayMic + slot * s.Block, f + s.ErrBg);
                EchoKalmanKernel.Adapt(ref s, f, aligned, 1f);
                done++;
            }
            // The next block's power sum starts over at its own alignment.
            s.PowerAligned = -2;
            s.ReplayedBlocks += done;
        }
    }
}
