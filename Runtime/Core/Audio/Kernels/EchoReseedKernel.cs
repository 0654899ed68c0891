namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Re-convergence after an echo-path delay jump, for <see cref="EchoKernel"/>. A device change usually moves the
    /// delay and keeps the room, so the converged filter that the jump made useless is saved (as taps) when it is
    /// dropped; while the background re-learns from zero, the place where the saved room matches it best gives the new
    /// direct path to the sample, and the saved taps moved there (gain fitted) are tried against both filters. A
    /// candidate clearly better than both becomes the filter. Sample accuracy is the point: the old room shape moved by
    /// whole blocks (what the alignment can do alone) cancels nothing.
    /// </summary>
    public static unsafe class EchoReseedKernel
    {
        /// <summary>Blocks between trials while the window is open.</summary>
        const int TrialEvery = 2;

        /// <summary>Trials between matched searches over the whole window; those between look within <see cref="MatchNear"/> of the last.</summary>
        const int MatchEvery = 4;

        /// <summary>Samples either side of the last matched shift searched between full searches.</summary>
        const int MatchNear = 4;

        /// <summary>
        /// Every 32 blocks while the foreground clearly holds the echo (gauge above 10 dB and this block 10 dB under the
        /// microphone), its taps are saved: by the time a jump is noticed the foreground has been dropped or replaced.
        /// </summary>
        internal static void Track(ref EchoState s, float* f, float dd, float ef)
        {
            if (s.Blocks % (32 * s.Sub) != 0 || s.Held == 0 || s.FgErleDb < 10f || !(dd > 10f * ef)) return;
            Save(ref s, f, f + s.FgRe, f + s.FgIm);
        }

        /// <summary>Saves the filter (wr, wi) as taps (the re-seed source).</summary>
        static void Save(ref EchoState s, float* f, float* wr, float* wi)
        {
            ToTaps(ref s, f, wr, wi, f + s.SeedTaps, f + s.Time);
            Saved(ref s, f, s.Delay);
            s.SeedLoaded = 0;
        }

        /// <summary>The filter (wr, wi) as <see cref="EchoState.Partitions"/> × block taps, through <paramref name="time"/> (FftSize scratch).</summary>
        internal static void ToTaps(ref EchoState s, float* f, float* wr, float* wi, float* taps, float* time)
        {
            int b = s.Block, k = s.Bins;
            for (var p = 0; p < s.Partitions; p++)
            {
                FftKernel.Inverse(f + s.Table, s.FftSize, wr + p * k, wi + p * k, time);
                for (var i = 0; i < b; i++) taps[p * b + i] = time[i];
            }
        }

        /// <summary>
        /// A room saved by an earlier canceller (<paramref name="count"/> taps at alignment <paramref name="delay"/>; the
        /// rest of the filter silent) becomes the re-seed source and is tried when the far end next sounds: where the
        /// matcher places it, and where it was held (a new conversation on the same devices: the same delay).
        /// </summary>
        internal static void Load(ref EchoState s, float* f, float* room, int count, int delay)
        {
            var total = s.Partitions * s.Block;
            var taps = f + s.SeedTaps;
            for (var i = 0; i < total; i++) taps[i] = i < count ? room[i] : 0f;
            Saved(ref s, f, delay < 0 ? 0 : delay > s.MaxDelayBlocks - 1 ? s.MaxDelayBlocks - 1 : delay);
            s.SeedWarm = s.SeedLoaded = s.SeedPeak >= 0 ? 1 : 0;
            s.SeedBlocks = 0;
        }

        /// <summary>The saved taps' strongest tap and the alignment they were held at.</summary>
        static void Saved(ref EchoState s, float* f, int delay)
        {
            var taps = f + s.SeedTaps;
            var total = s.Partitions * s.Block;
            var most = 0f;
            s.SeedPeak = -1;
            s.SeedLagDelay = int.MinValue;
            s.SeedDelay = delay;
            for (var i = 0; i < total; i++)
            {
                var a = taps[i] < 0f ? -taps[i] : taps[i];
                if (a > most) { most = a; s.SeedPeak = i; }
            }
        }

        /// <summary>Whether this stream held a room (its taps are saved), not only was handed one it never held.</summary>
        internal static bool HeldHere(in EchoState s) => s.SeedPeak >= 0 && s.SeedLoaded == 0;

        /// <summary>Opens (or keeps open) the trial window for 2 s: the filter lost the echo, or the matcher moved the alignment.</summary>
        internal static void Open(ref EchoState s)
        {
            if (s.SeedPeak < 0) return;
            if (s.SeedBlocks <= 0) s.SeedLagDelay = int.MinValue;
            s.SeedBlocks = 2 * s.SampleRate / s.Block;
        }

        /// <summary>
        /// One trial (every <see cref="TrialEvery"/> blocks while the window is open and the far end is loud): the saved
        /// taps placed where they match the background (<see cref="Match"/>; with <see cref="EchoState.ReseedMatched"/>
        /// off, at its strongest tap), gain fitted on this block; installed in both filters when its error is 10 dB under
        /// both filters' errors and under the microphone's.
        /// </summary>
        internal static void Try(ref EchoState s, float* f, long aligned, float* mic, float dd, float ef, float eb, bool refLoud)
        {
            // A handed-in room waits for the far end (a conversation may open on the player's turn).
            if (s.SeedWarm != 0 && s.SeedBlocks <= 0 && refLoud) Open(ref s);
            if (s.SeedBlocks <= 0) return;
            if (--s.SeedBlocks == 0) s.SeedWarm = 0;
            if (!refLoud || s.SeedBlocks % TrialEvery != 0) return;
            // Where it was held first: the same devices keep the delay, and the background has learnt nothing to match yet.
            if (s.SeedWarm != 0 && Candidate(ref s, f, aligned, mic, dd, ef, eb, (s.SeedDelay - s.Delay) * s.Block)) return;
            int shift;
            if (s.ReseedMatched != 0f) shift = Match(ref s, f);
            else
            {
                var at = StrongestTap(ref s, f, f + s.BgRe, f + s.BgIm);
                if (at < 0) return;
                shift = Refine(ref s, f, at - s.SeedPeak);
            }
            Candidate(ref s, f, aligned, mic, dd, ef, eb, shift);
        }

        /// <summary>
        /// The saved taps shifted by <paramref name="shift"/> samples, gain fitted on this block; installed in both filters
        /// (true) when the error is 10 dB under both filters' errors and under the microphone's.
        /// </summary>
        static bool Candidate(ref EchoState s, float* f, long aligned, float* mic, float dd, float ef, float eb, int shift)
        {
            int b = s.Block, k = s.Bins, n = s.FftSize;
            // Whole blocks of the shift may move the alignment instead of the taps (Place): the trial then reads the
            // reference that many blocks further back.
            var move = Place(s, shift);
            shift -= move * b;
            var taps = f + s.SeedTaps;
            var time = f + s.Time;
            var total = s.Partitions * b;
            for (var p = 0; p < s.Partitions; p++)
            {
                for (var i = 0; i < b; i++)
                {
                    var src = p * b + i - shift;
                    time[i] = src >= 0 && src < total ? taps[src] : 0f;
                    time[b + i] = 0f;
                }
                FftKernel.Forward(f + s.Table, n, time, f + s.CandRe + p * k, f + s.CandIm + p * k, f + s.Work);
            }
            var err = f + s.ErrCand;
            EchoFilterKernel.Filter(ref s, f, f + s.CandRe, f + s.CandIm, aligned - move, mic, err);
            // Gain fit: the device change may also change the level. y = mic − err is the candidate's echo estimate.
            double ym = 0, yy = 0;
            for (var i = 0; i < b; i++)
            {
                var y = mic[i] - err[i];
                ym += (double)y * mic[i];
                yy += (double)y * y;
            }
            if (yy <= 0 || ym <= 0) return false;
            var g = ym / yy;
            var ec = dd - ym * g;
            if (!(ec < 0.1 * ef && ec < 0.1 * eb && ec < 0.1 * dd)) return false;
            var count = s.Partitions * k;
            var cr = f + s.CandRe;
            var ci = f + s.CandIm;
            var gf = (float)g;
            for (var i = 0; i < count; i++)
            {
                cr[i] *= gf;
                ci[i] *= gf;
            }
            EchoFilterKernel.Copy(cr, f + s.FgRe, count);
            EchoFilterKernel.Copy(ci, f + s.FgIm, count);
            EchoFilterKernel.Copy(cr, f + s.BgRe, count);
            EchoFilterKernel.Copy(ci, f + s.BgIm, count);
            var warm = s.SeedWarm != 0;
            if (move != 0 || warm)
            {
                s.Delay += move;
                s.FineCounter = 0;
                // The candidate just cancelled 10 dB or more: the filter holds the echo. Latched at once, or the matcher
                // (not yet stopped by the gauge, which rises over some blocks) would move the alignment back onto its
                // margin, dropping the partition the placement kept.
                var erle = 10f * (float)System.Math.Log10(dd / ec);
                if (s.FgErleDb < erle) s.FgErleDb = erle;
                s.Converged = s.Held = 1;
            }
            s.ErrFgSmooth = s.ErrBgSmooth = (float)ec;
            s.SeedBlocks = 0;
            s.KalmanDropped = 0;
            s.Reseeds++;
            s.DoubleTalkArmed = s.DoubleTalkArmRun = 0;
            EchoSuppressorKernel.PathMoved(ref s);
            s.ReseedWindow = 1;
            // The Kalman variances restart at the share of the path the candidate still misses (its error over the
            // microphone's): restarted at the full initial variance the update stepped a re-seeded room off its taps.
            s.KalmanReady = 0;
            s.KalmanStartScale = (float)(ec / dd);
            s.KalmanRestartCalm = ec < s.KalmanReseedCalmShare * dd ? 1 : 0;
            if (warm) s.WarmStarts++;
            s.SeedWarm = s.SeedLoaded = 0;
            return true;
        }

        /// <summary>
        /// Blocks the alignment moves with a re-seed shifted by <paramref name="shift"/> samples (with
        /// <see cref="EchoState.ReseedPlace"/>; 0 otherwise): the shift's whole blocks, so the saved room lands on the
        /// partitions where the converged filter held it and only the remainder (at most half a block, and never the
        /// direct path off the window's start) moves the taps. The matcher's move puts the new direct path on the margin,
        /// two partitions later than a converged filter holds it at 16 kHz: the saved taps moved there lose the room's
        /// last 16 ms off the window's end, and the output stays ≈ 3 dB under a canceller converged on the new path
        /// (400 → 120 ms, RT60 0.6 s: 21.8 against 24.7 dB over 2–10 s; with the normalised step 22.1 against 24.6).
        /// </summary>
        static int Place(in EchoState s, int shift)
        {
            if (s.ReseedPlace == 0f) return 0;
            int b = s.Block;
            var move = (int)System.Math.Floor((double)shift / b + 0.5);
            if (s.SeedPeak + shift - move * b < 0) move--;
            if (s.Delay + move < 0) move = -s.Delay;
            if (s.Delay + move > s.MaxDelayBlocks - 1) move = s.MaxDelayBlocks - 1 - s.Delay;
            return move;
        }

        /// <summary>
        /// The shift within ±Block samples of <paramref name="shift"/> at which the saved taps around their peak (direct
        /// path and early reflections) correlate best with the background's: early on the background's single strongest
        /// tap may be a reflection or a sample off the direct path, and a sample is 6 dB of cancellation at 2 kHz.
        /// </summary>
        static int Refine(ref EchoState s, float* f, int shift)
        {
            BackgroundTaps(ref s, f);
            int b = s.Block, total = s.Partitions * b;
            Excerpt(s, out var i0, out var i1);
            var taps = f + s.SeedTaps;
            var bg = f + s.BgTaps;
            var best = shift;
            var most = double.MinValue;
            for (var lag = shift - b; lag <= shift + b; lag++)
            {
                double c = 0;
                for (var i = i0; i < i1; i++)
                {
                    var j = i + lag;
                    if (j < 0 || j >= total) continue;
                    c += (double)taps[i] * bg[j];
                }
                if (c > most) { most = c; best = lag; }
            }
            return best;
        }

        /// <summary>
        /// The shift at which the saved taps around their peak best match the background's anywhere in the window: the
        /// correlation squared over the background's energy under the excerpt, so a loud stretch of a half-learned
        /// background (traced: on partition edges) does not draw the room. The whole window every
        /// <see cref="MatchEvery"/> trials or when the alignment moved; near the last shift between (CPU: 4,864 lags of
        /// 80 taps at 24 kHz).
        /// </summary>
        static int Match(ref EchoState s, float* f)
        {
            BackgroundTaps(ref s, f);
            var total = s.Partitions * s.Block;
            Excerpt(s, out var i0, out var i1);
            int lo = -i0, hi = total - i1;
            if (s.SeedLagDelay == s.Delay && s.SeedBlocks % (MatchEvery * TrialEvery) != 0)
            {
                lo = System.Math.Max(lo, s.SeedLag - MatchNear);
                hi = System.Math.Min(hi, s.SeedLag + MatchNear);
            }
            var taps = f + s.SeedTaps;
            var bg = f + s.BgTaps;
            double e = 0;
            for (var i = i0; i < i1; i++) e += (double)bg[i + lo] * bg[i + lo];
            var best = lo;
            var most = -1.0;
            for (var lag = lo; lag <= hi; lag++)
            {
                double c = 0;
                var w = bg + lag;
                for (var i = i0; i < i1; i++) c += (double)taps[i] * w[i];
                var score = c > 0 && e > 1e-30 ? c * c / e : 0;
                if (score > most) { most = score; best = lag; }
                if (lag < hi) e += (double)w[i1] * w[i1] - (double)w[i0] * w[i0];
            }
            s.SeedLag = best;
            s.SeedLagDelay = s.Delay;
            return best;
        }

        /// <summary>The saved taps both searches correlate, [i0, i1): the direct path (a quarter of a half block before the
        /// saved peak) and the early reflections (half a block after it), within the filter.</summary>
        static void Excerpt(in EchoState s, out int i0, out int i1)
        {
            var span = s.Block / 2;
            i0 = System.Math.Max(0, s.SeedPeak - span / 4);
            i1 = System.Math.Min(s.Partitions * s.Block, s.SeedPeak + span);
        }

        /// <summary>The background's taps into BgTaps.</summary>
        static void BackgroundTaps(ref EchoState s, float* f)
        {
            int b = s.Block, k = s.Bins;
            var bg = f + s.BgTaps;
            var time = f + s.Time;
            for (var p = 0; p < s.Partitions; p++)
            {
                FftKernel.Inverse(f + s.Table, s.FftSize, f + s.BgRe + p * k, f + s.BgIm + p * k, time);
                for (var i = 0; i < b; i++) bg[p * b + i] = time[i];
            }
        }

        /// <summary>Index (partition × Block + tap) of the strongest tap of filter (wr, wi); −1 when no partition stands out.</summary>
        static int StrongestTap(ref EchoState s, float* f, float* wr, float* wi)
        {
            int k = s.Bins, b = s.Block;
            var best = 0;
            float bestE = 0f, total = 1e-20f;
            for (var p = 0; p < s.Partitions; p++)
            {
                float e = 0f;
                for (var i = 0; i < k; i++) e += wr[p * k + i] * wr[p * k + i] + wi[p * k + i] * wi[p * k + i];
                total += e;
                if (e > bestE) { bestE = e; best = p; }
            }
            if (bestE < 0.1f * total) return -1;
            var time = f + s.Time;
            FftKernel.Inverse(f + s.Table, s.FftSize, wr + best * k, wi + best * k, time);
            var tap = 0;
            var most = 0f;
            for (var i = 0; i < b; i++)
            {
                var a = time[i] < 0f ? -time[i] : time[i];
                if (a > most) { most = a; tap = i; }
            }
            return best * b + tap;
        }
    }
}
