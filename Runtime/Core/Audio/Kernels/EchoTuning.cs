namespace Parley.Audio.Kernels
{
    /// <summary>
    /// The echo canceller's tuning: the default of every <see cref="EchoState"/> knob, each with why it has that value
    /// (the measurements are in BENCHMARKS.md). Rates and block counts were tuned on blocks of 8–10.7 ms and scale by
    /// <c>Sub</c> for smaller ones; geometry and the memory layout stay in <see cref="EchoKernel.Init"/>.
    /// </summary>
    static class EchoTuning
    {
        /// <summary>Sets every tuning field for the rate and block; <c>Sub</c> is already set.</summary>
        internal static void Defaults(ref EchoState s, int sampleRate, int block)
        {
            var sub = s.Sub;
            s.SmoothRate = PerBlock(0.3, sub);
            s.PeakKeep = 1f - PerBlock(0.001, sub);
            s.ErleFallRate = PerBlock(0.1, sub);
            s.ErleRiseRate = PerBlock(0.05, sub);
            s.BandMeanRate = PerBlock(0.02, sub);
            s.VoteRate = PerBlock(0.03, sub);
            s.BiasRate = PerBlock(0.02, sub);
            s.AvgRate = PerBlock(0.1, sub);
            s.NoiseFallRate = PerBlock(0.2, sub);
            s.NoiseRise = (float)System.Math.Pow(1.004, 1.0 / sub);
            s.Margin = 3 * sub;
            s.Step = 0.5f;
            // The guard's view (and the output with StrongerOutputSuppression off): subtracted 4 times at every rate; the
            // guard's bars were learnt on it. 4 was chosen with the 3 ms gain filter (aec-compare, BENCHMARKS.md) when it was
            // also the 24 kHz output, before stop 34; the outputs now subtract 6 (24 kHz) or 8 times (16 kHz), the send
            // suppression below.
            s.OverSubtraction = 4f;
            // The gain filter's delay: 3 ms, at most half a block (its 2·delay + 1 taps must fit overlap-save's block + 1).
            s.GainDelay = System.Math.Min((int)(0.003 * sampleRate + 0.5), block / 2);
            s.MinGain = 0.01f;
            // speexdsp's preprocessor suppresses echo by at most 15 dB while it hears the near end (−40 dB otherwise);
            // the player is heard when half the speech band is not the echo estimate's (aec-compare: near end in
            // double talk +0.3 to +1.1 dB in the RT60 0.2–0.6 s rooms at both rates, the 0.8 s room unchanged; single-talk
            // ERLE and convergence unchanged in every room).
            s.DoubleTalkShare = 0.5f;
            s.DoubleTalkGain = (float)System.Math.Pow(10, -15 / 20.0);
            s.DoubleTalkArmDb = 10f;
            // The floors arm on a gauge that holds 10 dB for 8 tuned blocks, 64 or 85 ms (aec-robust into another room at
            // 16 kHz, seeds 50-59 and 60-69: 1 → 0 of 50 over 2 s each; BENCHMARKS.md, "Every arming needs a gauge that
            // holds").
            s.DoubleTalkArmBlocks = 8 * sub;
            // A drop up to 1 s after the latch let go opens the expected-miss window too (BENCHMARKS.md, "A drop just after
            // the latch let go is a path move").
            s.DropAfterLetGoBlocks = sampleRate / block;
            // At 16 kHz, whose output keeps speexdsp's floor, a foreground drop disarms the floor too (aec-robust into
            // another room, seeds 50-59: 2 → 1 of 50 over 2 s). At 24 and 48 kHz the send floor's rise already covers the
            // output, and disarming cost a player after the drop 1.6 dB (BENCHMARKS.md, "A dropped foreground disarms the floor").
            if (sub == 1) s.DisarmOnDrop = 1;
            // A pause at a held filter's direct path is no stale path (aec-robust into another room, 16 kHz seed 83: 4.75 →
            // 0.75 s; BENCHMARKS.md, "Seeds never tuned on").
            s.DropNeedsDirectPath = 1;
            EchoCoherenceKernel.Init(ref s);
            // Held echo power falls 60 dB in 1 s: the reverberation the filter does not model, generously.
            s.EchoDecay = (float)System.Math.Exp(-6.91 * 2 * block / (1.0 * sampleRate));
            // What the provider hears at 24 kHz (and 48): subtracted 6 times, held 3 s, and in a block 40 % incoherent with
            // the estimate once, removing at most 10 dB. It reaches WebRTC's ERLE in every aec-compare room with the near end
            // above speexdsp's; the guard, which learns its bars from the residual, keeps judging the suppression above
            // (stronger for it, the bars fell under the bursts a converging filter leaks: BENCHMARKS.md, "Two
            // suppressions").
            if (sub > 1)
            {
                s.SendOverSubtraction = 6f;
                s.SendEchoDecay = (float)System.Math.Exp(-6.91 * 2 * block / (3.0 * sampleRate));
                s.SendDoubleTalkShare = 0.4f;
                s.SendDoubleTalkGain = (float)System.Math.Pow(10, -10 / 20.0);
                s.SendDoubleTalkOverSubtraction = 1f;
                // In the window after a path move the floor holds off in a block whose incoherent power the expected miss
                // explains: after a far-end pause the new room's echo returns incoherent with an estimate not yet learnt
                // (aec-robust into another room at 24 kHz, seeds 60-69: 4 → 2 of 50 over 2 s; BENCHMARKS.md, "The send
                // floor holds off where the expected miss explains"). The player's rise, once needed too, is not since
                // the bar below (every measure the same without it; BENCHMARKS.md, stop 53).
                s.SendDoubleTalkMiss = 2f;
                // Nor where the background's error is under 0.7 × the foreground's: the relearning background removes
                // what the foreground misses, the room not yet learnt, while the player raises both errors alike
                // (aec-robust into another room at 24 kHz, seeds 40-119: 3 -> 1 of 400 jumps over 2 s; BENCHMARKS.md,
                // "The background explains the window's miss").
                s.WindowBgBar = 0.7f;
            }
            else
            {
                // At 16 kHz (and wherever the block is the tuned one) the output is the one suppression that met the target
                // there until stop 67: 8 times, held 1 s, speexdsp's double-talk floor, and the gauge's residual and the
                // expected miss below. The guard had judged that output too, and its bars, learnt under the stronger
                // suppression, fell under what a cold canceller leaks where its estimate misses a new sound: the agent
                // interrupted itself in 10 of 1,536 of the barge-in sweep's replies at 16 kHz (BENCHMARKS.md, "The guard
                // at 16 kHz").
                s.SendOverSubtraction = 8f;
                s.SendEchoDecay = s.EchoDecay;
                s.SendDoubleTalkShare = s.DoubleTalkShare;
                s.SendDoubleTalkGain = s.DoubleTalkGain;
                s.SendDoubleTalkOverSubtraction = s.SendOverSubtraction;
            }
            // For 6 s after the path moved (a device change) the output's suppression also takes what the Kalman update
            // expects the filter still to miss: the re-learning filter's transients leave the leak estimate behind, and bins
            // the reference had not yet sounded in the new room leak seconds later. 64 times where the echo estimate
            // explains the microphone (the echo alone), 4 times where it does not (the player may be talking): aec-robust
            // into another room 38 → 0 of 50 jumps over 2 s at 16 kHz, 27 → 2 at 24 kHz, and the player's voice in the
            // window costs less than at one weight of 8 (BENCHMARKS.md, "After the path moves"). The send suppression takes
            // it; the guard's view keeps the suppression above.
            s.SendMissWeight = 4f;
            s.MissEchoScale = 16f;
            s.MissEchoShare = 0.5f;
            s.MissSeconds = 6f;
            // And 4 × the echo the reference explains in the error at the direct path's partition, less 4 × its chance
            // coherence: where P under-reads a new room's miss (24 kHz seeds 61 and 62, 20 → 400 ms; 16 kHz seed 70,
            // 250 → 30 ms) the output leaked for 30 ms two to three seconds after the jump. Those three jumps 2.25–2.75 →
            // 0.75–1.25 s; a player in the window pays 0.06–0.21 dB (BENCHMARKS.md, "The reference explains what P misses").
            s.RefCoherentWeight = 4f;
            s.RefCoherentBias = 4f;
            s.RefCoherentRate = 0.1f;
            // The echo is alone also where the incoherent power is under 4 × what the reference explains: at an onset in
            // bins the new room's filter has not learnt, its estimate turns incoherent with the echo and the share read it
            // as the player (aec-robust into another room, seeds 40-119: 16 kHz 3 -> 0 of 400 jumps over 2 s with the
            // re-alignment fix in EchoDelayKernel.Steer, 24 kHz seed 86 2.75 -> 0.75 s; the 24 kHz players in the window
            // unchanged; BENCHMARKS.md, "A non-move restarted the filter").
            s.MissEchoReference = 4f;
            // The residual the filter's own gauge implies, 3 times (over-subtracted as the rest), in the output's suppression:
            // the send one (the guard keeps the view its bars were learnt on). aec-compare's
            // ERLE +2 to +6 dB in the reverberant rooms with the near end within 0.6 dB (BENCHMARKS.md, "The gauge's residual").
            s.SendGaugeLeakWeight = 3f;
            s.ActiveLevel = 1e-6f;
            s.ComfortNoise = 1f;
            s.StepRer = 8f;
            s.StepFloor = 0.1f;
            s.CopyBlocks = 8 * sub;
            // In the window after a path move, 8 at every rate (43 ms at 24 kHz; 16 kHz as before): aec-robust into another
            // room at 24 kHz, seeds 40-119, 6 -> 3 of 400 jumps over 2 s. Not in a re-seed's window: there it took the
            // background over the saved room before it was refined, and the guard's view of two same-room re-seeds from
            // 0.50 to 2.50-2.75 s (BENCHMARKS.md, "The slow rooms").
            s.WindowCopyBlocks = 8;
            s.FineBlocks = 16 * sub;
            // A converged filter's window moves towards its peak at once: block by block it walked through the first reply
            // with the room's tail cut (aec-scene: 20 dB after 2.87 s of speech, 4.83 s walking; BENCHMARKS.md).
            s.FineJump = 1;
            s.FineJumpOnset = 0.25f;
            // A step earlier brings in a partition as sure as its neighbour: with the initial variance the background learnt
            // noise there, and the peak it made walked the window off the direct path block after block (the barge-in
            // sweep at 16 kHz: 6 -> 4 of 2,048 echo-only replies interrupting the agent; BENCHMARKS.md, "A step earlier").
            s.FineEarlierSure = 1;
            // A first estimate at 10 reached aec-scene's 20 dB after 2.87 s of speech before the window's move (4.83 s
            // at 20), but it moves seven test controls' cold starts and the RT60 0.8 s room's ERLE: not the default.
            s.VotesToTrust = s.FirstVotesToTrust = 20;
            // The Kalman update by default (issue 13: faster linear convergence, the guard's barge-ins sooner; BENCHMARKS.md).
            s.Kalman = 1;
            s.KalmanA = 0.9995f;
            s.KalmanP0 = 1f;
            s.KalmanSmooth = PerBlock(0.05, sub);
            s.KalmanNoise = 1f;
            s.KalmanRer = 1f;
            // Ψ from the prior error: the subtraction of the expected echo (2) converges a little faster at the right
            // path level but collapses when P0 overestimates the path, and fails the double-talk test (BENCHMARKS.md).
            s.KalmanPosterior = 0f;
            // Two partitions a block round robin, and every partition whose steps since its last constraint add up to
            // more than −40 dB of the filter: the Kalman steps are large while it converges, and circular wrap-around
            // left for 19 blocks then costs 1.5–2 dB (aec-scene); a settled filter's small steps need few constraints
            // (2 FFTs each; BENCHMARKS.md, "CPU").
            s.KalmanConstrain = 2;
            s.KalmanWrapDb = -40f;
            // Tracking (issue 13, BENCHMARKS.md): the step never under the normalised step's, and the process noise
            // from the bin's mean |W|² over the partitions, so taps can slide into partitions that held little.
            s.KalmanTrack = 1f;
            // Spread fully only for 3 s after evidence the path moved (a restart that is not the first, the convergence
            // latch let go, a far better background copied while converged), 0.3 otherwise: spread always loses the
            // 16 kHz conversation.
            s.KalmanSpread = 1f;
            s.KalmanSpreadCalm = 0.3f;
            s.KalmanFreshSeconds = 3f;
            s.KalmanEvidence = 6f;
            // A re-seed that already cancels 20 dB restarts calm. Spread for 3 s after it, the taps of a placed room
            // wandered: 1 s spans 6–8 dB under a settled canceller's 1–2 s after the jump (24 kHz 44: 120 → 180 ms,
            // 46: 20 → 400 ms; their candidates cancelled 23.4 and 20.7 dB). Candidates that cancel less (11.6–19.6 dB
            // measured) still need the spread to learn what they miss: calm after every re-seed broke three of them.
            s.KalmanReseedCalmShare = 0.01f;
            // A move that keeps the taps restarts the variances in the room's shape at the new alignment (as a first
            // start), and for 2 s after the latch lets go only a dropped foreground or a far better background lets the
            // matcher move (double talk broke the gauge, the path is still there).
            s.KalmanMoveRestart = 1f;
            s.KalmanHoldMove = 2f;
            // A re-seed keeps the saved room where the converged filter held it in the window (400 → 120 ms at 16 kHz).
            s.ReseedPlace = 1f;
            // A half-learned background's strongest tap can sit blocks off the new direct path (24 kHz, 400 → 120 ms,
            // RT60 0.6 s: on partition edges, 3.5 blocks early), out of the strongest-tap search's reach.
            s.ReseedMatched = 1f;
            // Measured in the barge-in sweep's RT60 0.8 s rooms (peak 7–8 %): at 0.1 the matcher, dragged late by the
            // reverberation, moved a filter that held 10 dB past its direct path (4 self-interruptions in 1,536 scenes).
            // The convergence latch keeps 0.1: lowered to 0.05–0.08 it closed on filters that were not there yet (a 24 kHz
            // delay jump re-converged in 2.75 s, the broadband guard interrupted itself); at 7 % at 24 kHz (stop 28) the
            // converged step control made an echo alone rise like the player on the coherence relief's measure.
            s.MovePeakShare = 0.05f;
            // A cold filter that found the echo (its gauge reached 2 dB) and dipped under 2 dB is not lost: the matcher,
            // dragged late by the room's tail before its bias is learnt, moved it past the direct path, and the agent
            // interrupted itself (16 kHz barge-in sweep, RT60 0.6-0.8 s / 100 ms rooms: 3 of 2,048; BENCHMARKS.md).
            s.ColdMoveByGaugePeak = 1;
            // A 5.3 ms partition (24 kHz) holds 8–9 % of an RT60 0.8 s room where an 8 ms one (16 kHz) holds 12 %: with
            // the convergence latch open there the matcher moved a filter that held 6 dB three times in 10 s. Held at 7 %
            // stops it; the converged step control keeps 0.1.
            s.HeldPeakShare = sub > 1 ? 0.07f : 0.1f;
            // The drift trim reads the filter's turn over 2 s, below 4 kHz (where speech puts the reference's energy).
            s.TrimBlocks = (int)(2.0 * sampleRate / block);
            s.TrimHighHz = 4000f;
            // A filter that changed shape, not only place (convergence, double talk: 0.85–0.89), is not read.
            s.TrimMinMatch = 0.8f;
            // The initial variance falls as a room's response does after the margin (75 dB/s, RT60 0.8 s): the filter's
            // energy gathers on the direct path early, so the delay steering reads its peak (24 kHz aec-compare rooms).
            s.KalmanDecay = 75f;
            // Leak averaging: rate LeakRate·(echo/error power) capped at LeakRateMax per block (≈ 0.5 s).
            s.LeakRate = 8f * block / sampleRate;
            s.LeakRateMax = 2f * block / sampleRate;
        }

        /// <summary>The per-block rate that smooths like <paramref name="rate"/> did per tuning block, for blocks 1/sub as long.</summary>
        static float PerBlock(double rate, int sub) => (float)(1 - System.Math.Pow(1 - rate, 1.0 / sub));
    }
}
