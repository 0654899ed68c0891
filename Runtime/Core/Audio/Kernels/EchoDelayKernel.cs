namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Where the echo is, for <see cref="EchoKernel"/>: a band-pattern matcher (24-bit binary spectra of reference and
    /// microphone, mismatch averaged at every lag, WebRTC's binary-spectrum idea) for the coarse delay, the
    /// foreground filter's strongest partition for the fine alignment, and the moves of alignment and coefficients.
    /// </summary>
    public static unsafe class EchoDelayKernel
    {
        internal const int Bands = 24;
        internal const float BandLowHz = 250f;
        internal const float BandWidthHz = 125f;
        /// <summary>The foreground's gauge (dB) above which Converged and Held latch.</summary>
        internal const float LatchErleDb = 6f;

        /// <summary>24-bit pattern of bands above their running log-mean (the delay matcher's fingerprint).</summary>
        internal static int Binarize(ref EchoState s, float* f, int* iw, float* re, float* im, float* mean, bool active)
        {
            var edges = iw + s.BandEdges;
            var bits = 0;
            for (var band = 0; band < Bands; band++)
            {
                float e = 1e-12f;
                for (var i = edges[band]; i < edges[band + 1]; i++) e += re[i] * re[i] + im[i] * im[i];
                var l = (float)System.Math.Log(e);
                if (!active) continue;
                if (l > mean[band]) bits |= 1 << band;
                mean[band] += (l - mean[band]) * (s.Blocks < 8 * s.Sub ? 0.5f : s.BandMeanRate);
            }
            return bits;
        }

        /// <summary>Updates the mismatch score of every lag and promotes a lag that stays best to the estimate.</summary>
        internal static void Vote(ref EchoState s, float* f, int* iw, int micBits)
        {
            var score = f + s.Score;
            var best = -1;
            var bestScore = 2f;
            float sum = 0f;
            var lags = s.Blocks + 1 < s.MaxDelayBlocks ? (int)s.Blocks + 1 : s.MaxDelayBlocks;
            for (var d = 0; d < lags; d++)
            {
                var rb = RefBitsAt(s, iw, d);
                if (rb >= 0) score[d] += s.VoteRate * (PopCount(rb ^ micBits) * (1f / Bands) - score[d]);
                sum += score[d];
                if (score[d] < bestScore) { bestScore = score[d]; best = d; }
            }
            if (best < 0) return;
            var mean = sum / lags;
            var clear = bestScore < mean - 0.08f;
            if (clear && s.Candidate >= 0 && System.Math.Abs(best - s.Candidate) <= s.Sub) s.CandidateVotes++;
            else { s.Candidate = best; s.CandidateVotes = 0; }
            if (s.CandidateVotes >= (s.Estimate < 0 ? s.FirstVotesToTrust : s.VotesToTrust) * s.Sub) s.Estimate = s.Candidate;
        }

        static int PopCount(int v)
        {
            var u = (uint)v;
            u -= (u >> 1) & 0x55555555u;
            u = (u & 0x33333333u) + ((u >> 2) & 0x33333333u);
            u = (u + (u >> 4)) & 0x0F0F0F0Fu;
            return (int)((u * 0x01010101u) >> 24);
        }

        /// <summary>
        /// Moves the alignment: to the coarse estimate when the echo is found ≥ 3 blocks away from the filter's window,
        /// and by one block when the foreground's peak partition drifts off the margin (clock drift).
        /// </summary>
        internal static void Steer(ref EchoState s, float* f)
        {
            var peak = PeakPartition(s, f, out var peakShare);
            s.FgPeak = peak;
            // Converged latches above 6 dB and releases under 2 dB, so quiet passages do not unlock the matcher.
            if (s.FgErleDb > LatchErleDb && peakShare > 0.1f) s.Converged = 1;
            if (s.FgErleDb > LatchErleDb && (peakShare > s.HeldPeakShare || s.Converged != 0)) s.Held = 1;
            else if (s.FgErleDb < 2f && s.Held != 0)
            {
                s.Converged = s.Held = 0;
                s.LetGoLeft = s.DropAfterLetGoBlocks;
                EchoReseedKernel.Open(ref s);
                EchoKalmanKernel.Moved(ref s, 2);
                // A foreground dropped for adding echo just before (it let the latch go) is a path that moved: no hold.
                if (s.Kalman != 0 && s.KalmanDropped == 0) s.KalmanHold = (int)(s.KalmanHoldMove * s.SampleRate / s.Block);
                s.KalmanDropped = 0;
            }
            var converged = s.Held != 0;
            if (s.KalmanHold > 0) s.KalmanHold--;
            if (s.LetGoLeft > 0) s.LetGoLeft--;
            // While the filter holds the echo, learn how far the matcher's lag sits from the filter's peak (reverberation
            // drags the matcher late by a room-dependent amount), so a later jump lands on the direct path.
            if (converged && s.Estimate >= 0)
            {
                s.MatchBias += s.BiasRate * (s.Estimate - (s.Delay + peak) - s.MatchBias);
                s.GoodScore += s.BiasRate * (f[s.Score + s.Estimate] - s.GoodScore);
            }
            // A converged filter is the better judge of the delay; the matcher takes over when the filter has lost the
            // echo (a device change moved it) or never found it, and the echo is clearly elsewhere.
            if (s.Estimate >= 0 && !converged)
            {
                var bias = (int)System.Math.Round(s.MatchBias);
                var path = s.Estimate - bias;
                var here = s.Delay + s.Margin;
                // Double talk also breaks the gauge; then the echo is still where it was and the matcher's score there
                // stays as good as anywhere. Only a lag clearly better than the current one moves the alignment.
                var current = here + bias;
                var score = f + s.Score;
                // And the new lag must match nearly as well as the echo did while the filter held it (within 0.03): with
                // the player talking every lag matches poorly, and a lag the player's voice happens to favour scores
                // ≈ 0.05 worse than the echo (measured in Keeps_the_players_voice_in_double_talk: 0.35 against 0.30).
                var better = (current < 0 || current >= s.MaxDelayBlocks || score[s.Estimate] + 0.05f < score[current])
                    && score[s.Estimate] < s.GoodScore + 0.03f && s.KalmanHold == 0;
                if (better && (path < s.Delay + 1 || path > s.Delay + s.Margin + s.Partitions / 3 || System.Math.Abs(path - here) >= 4 * s.Sub))
                {
                    var target = path - s.Margin;
                    if (target < 0) target = 0;
                    if (target > s.MaxDelayBlocks - 1) target = s.MaxDelayBlocks - 1;
                    // A lag under the margin clamps to where the filter already is: nothing to move, and clearing the
                    // background there every block kept a filter from learning a short path (250 -> 30 ms).
                    if (target == s.Delay) return;
                    // So does a cold filter whose gauge reached 2 dB and dipped (ColdMoveByGaugePeak): it found the echo.
                    var found = s.FgErleDb >= 2f || (s.ColdMoveByGaugePeak != 0 && !EchoReseedKernel.HeldHere(s)
                        && s.GaugePeakDb >= 2f && peakShare > s.MovePeakShare);
                    if (found)
                    {
                        // The filter already holds some of the echo (it learns in the first window before the matcher is
                        // sure): both copies keep every tap on its lag, W'[p] = W[p + move]. Moving the shape onto the
                        // margin instead put the taps blocks off their lags, and the filter added echo and was dropped.
                        // Its peak is the better clue to the direct path than the matcher, which reverberation drags late
                        // (its bias is learned only once converged): a later move stops a tuning block before the peak,
                        // so the direct path stays in the window (RT60 0.8 s: 8 blocks past it, and the echo leaked).
                        var move = target - s.Delay;
                        if (move > 0 && peakShare > s.MovePeakShare && move > peak - s.Sub) move = peak - s.Sub;
                        if (move <= 0 && target > s.Delay) return;
                        Shift(ref s, f, move);
                        EchoKalmanKernel.Moved(ref s, 1);
                        if (s.KalmanMoveRestart != 0f && s.KalmanReady != 0)
                        {
                            s.KalmanReady = 0;
                            if (s.KalmanMoveRestart == 1f) s.KalmanInits = 0;
                        }
                        target = s.Delay + move;
                    }
                    else
                    {
                        // Lost or never found: keep the room's shape, its strongest partition on the margin, where the new
                        // alignment puts the direct path (after a device change the room is usually the same). The
                        // background starts from zero, so if the shape was wrong a fresh filter converges (and takes
                        // over) instead of unlearning the old one.
                        if (peakShare > 0.1f) Shift(ref s, f, peak - s.Margin);
                        EchoFilterKernel.Clear(f + s.BgRe, s.Partitions * s.Bins);
                        EchoFilterKernel.Clear(f + s.BgIm, s.Partitions * s.Bins);
                        s.KalmanReady = 0;
                        s.FilterMoves++;
                        // No room held on this stream: the background learns the echo from the microphone already heard.
                        // After a path this stream held moved, those blocks carry the old path's echo.
                        if (!EchoReseedKernel.HeldHere(s)) s.ReplayPending = 1;
                    }
                    s.Delay = target;
                    s.FineCounter = 0;
                    EchoReseedKernel.Open(ref s);
                    // Off a path the filter held (its taps are saved): the filter re-learns, the output removes what it misses.
                    // A handed-in room not yet held here is no such path: a cold start stays one.
                    if (EchoReseedKernel.HeldHere(s)) EchoSuppressorKernel.PathMoved(ref s);
                    return;
                }
            }
            if (++s.FineCounter < s.FineBlocks || !converged) return;
            s.FineCounter = 0;
            if (peak >= s.Margin + 2 * s.Sub)
            {
                // A converged filter whose peak sits 2 tuning blocks or more after the margin moves at once (FineJump 1, the
                // default; 0: one block at a time) to a tuning block before the peak, and not past the room's onset (the
                // earliest partition within FineJumpOnset of the peak's energy). Onto the peak itself: a relearning filter's
                // peak can be the first reflection, a block after a direct path that sits before the margin (16 kHz seed 71);
                // early in learning a long room's peak can be a late lobe, and the move dropped the direct path out of the
                // window (the barge-in sweep's RT60 0.6 s / 200 ms / −12 dB player; BENCHMARKS.md, stop 48).
                var by = 1;
                if (s.FineJump != 0)
                {
                    by = peak - s.Sub - s.Margin;
                    if (s.FineJumpOnset > 0f) by = System.Math.Min(by, FirstPartition(s, f + s.FgRe, f + s.FgIm, peak, s.FineJumpOnset) - s.Margin);
                    if (by < 1) by = 1;
                }
                if (by > s.MaxDelayBlocks - 1 - s.Delay) by = s.MaxDelayBlocks - 1 - s.Delay;
                if (by > 0) { Shift(ref s, f, by); s.Delay += by; }
            }
            else if (peak <= s.Margin - 2 * s.Sub && s.Delay > 0)
            {
                Shift(ref s, f, -1);
                s.Delay--;
                if (s.FineEarlierSure != 0) EchoKalmanKernel.EarlierByOne(ref s, f);
            }
        }

        /// <summary>
        /// Echo path delay in samples: the strongest tap of the foreground filter when it has converged (sample
        /// accurate), else the matcher's estimate corrected by its learned bias, −1 before either knows.
        /// Uses the scratch buffers: call between blocks.
        /// </summary>
        public static int PathDelay(ref EchoState s, float* f)
        {
            // The resampled reference runs Lag raw samples behind the raw one: part of the path.
            var lag = (int)System.Math.Round(EchoDriftKernel.Lag(s));
            if (s.Held == 0)
                return s.Estimate < 0 ? -1 : (s.Estimate - (int)System.Math.Round(s.MatchBias)) * s.Block + lag;
            var peak = PeakPartition(s, f, out _);
            var time = f + s.Time;
            FftKernel.Inverse(f + s.Table, s.FftSize, f + s.FgRe + peak * s.Bins, f + s.FgIm + peak * s.Bins, time);
            var best = 0;
            var most = 0f;
            for (var i = 0; i < s.Block; i++)
            {
                var a = time[i] < 0f ? -time[i] : time[i];
                if (a > most) { most = a; best = i; }
            }
            return (s.Delay + peak) * s.Block + best + lag;
        }

        /// <summary>
        /// Whether the reference block at the foreground's direct path (<see cref="EchoState.FgPeak"/> ± 1 partition behind
        /// the alignment) was active, by the matcher's ring of reference blocks; true where the ring does not reach.
        /// </summary>
        internal static bool DirectPathPlayed(in EchoState s, int* iw)
        {
            for (var p = s.FgPeak - 1; p <= s.FgPeak + 1; p++)
            {
                var lag = s.Delay + p;
                if (lag < 0 || lag >= s.MaxDelayBlocks || lag > s.Blocks) return true;
                if (RefBitsAt(s, iw, lag) >= 0) return true;
            }
            return false;
        }

        /// <summary>
        /// The reference block <paramref name="lag"/> blocks before this one in the matcher's ring (0 ≤ lag ≤ Blocks,
        /// lag &lt; MaxDelayBlocks): its band bits, or −1 if it was not active.
        /// </summary>
        static int RefBitsAt(in EchoState s, int* iw, int lag) => iw[s.RefBits + (int)((s.Blocks - lag) % s.MaxDelayBlocks)];

        /// <summary>Partition of the foreground with the most energy, and its share of the total.</summary>
        static int PeakPartition(in EchoState s, float* f, out float share) => PeakPartition(s, f + s.FgRe, f + s.FgIm, out share);

        /// <summary>Partition of filter (wr, wi) with the most energy, and its share of the total.</summary>
        internal static int PeakPartition(in EchoState s, float* wr, float* wi, out float share)
        {
            var best = 0;
            float bestE = 0f, total = 1e-20f;
            for (var p = 0; p < s.Partitions; p++)
            {
                var e = PartitionEnergy(s, wr, wi, p);
                total += e;
                if (e > bestE) { bestE = e; best = p; }
            }
            share = bestE / total;
            return best;
        }

        /// <summary>
        /// The earliest partition of filter (wr, wi) holding at least <paramref name="fraction"/> of the energy of its
        /// strongest, <paramref name="peak"/> (<see cref="PeakPartition(in EchoState, float*, float*, out float)"/>).
        /// </summary>
        static int FirstPartition(in EchoState s, float* wr, float* wi, int peak, float fraction)
        {
            var bar = fraction * PartitionEnergy(s, wr, wi, peak);
            for (var p = 0; p < s.Partitions; p++)
                if (PartitionEnergy(s, wr, wi, p) >= bar) return p;
            return 0;
        }

        static float PartitionEnergy(in EchoState s, float* wr, float* wi, int p)
        {
            int k = s.Bins;
            var re = wr + p * k;
            var im = wi + p * k;
            float e = 0f;
            for (var i = 0; i < k; i++) e += re[i] * re[i] + im[i] * im[i];
            return e;
        }

        /// <summary>Re-indexes both filters for an alignment moved by <paramref name="by"/> blocks: W'[p] = W[p + by].</summary>
        static void Shift(ref EchoState s, float* f, int by)
        {
            if (by == 0) return;
            s.FilterMoves++;
            ShiftOne(s, f + s.FgRe, by);
            ShiftOne(s, f + s.FgIm, by);
            ShiftOne(s, f + s.BgRe, by);
            ShiftOne(s, f + s.BgIm, by);
            EchoKalmanKernel.Shift(ref s, f, by);
        }

        static void ShiftOne(in EchoState s, float* w, int by)
        {
            int k = s.Bins, parts = s.Partitions;
            if (by > 0)
            {
                for (var p = 0; p < parts; p++)
                {
                    var src = p + by;
                    if (src < parts) EchoFilterKernel.Copy(w + src * k, w + p * k, k);
                    else EchoFilterKernel.Clear(w + p * k, k);
                }
            }
            else
            {
                for (var p = parts - 1; p >= 0; p--)
                {
                    var src = p + by;
                    if (src >= 0) EchoFilterKernel.Copy(w + src * k, w + p * k, k);
                    else EchoFilterKernel.Clear(w + p * k, k);
                }
            }
        }
    }
}
