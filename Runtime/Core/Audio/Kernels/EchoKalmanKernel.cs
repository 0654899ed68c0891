namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Frequency-domain Kalman update of the background filter (state-space partitioned-block filter after Enzner and
    /// Vary 2006, diagonal form as in Kuech et al. 2014), an alternative to the normalised step of
    /// <see cref="EchoFilterKernel.Adapt"/> (<see cref="EchoState.Kalman"/>). Per bin and partition a state-error variance P: the gain P·conj(X) / (½ Σ P|X|²
    /// + Ψ) takes each partition's share of the error by how unsure it still is, so a filter far from the path steps
    /// fully and one that has learned its partitions steps finely, with no step size to choose. Ψ, the observation noise
    /// (near end and what the filter cannot model), is estimated per bin from the error (<c>KalmanPosterior</c>). A full Partitions × Partitions
    /// covariance per bin (an RLS over the partitions) was tried and converged slower (BENCHMARKS.md).
    /// </summary>
    public static unsafe class EchoKalmanKernel
    {
        /// <summary>One update of the background from this block's background error (<c>ErrBg</c>).</summary>
        public static void Adapt(ref EchoState s, float* f, long aligned, float gain)
        {
            int k = s.Bins, n = s.FftSize, parts = s.Partitions;
            EchoFilterKernel.ErrorSpectrum(ref s, f);
            var er = f + s.SpecRe;
            var ei = f + s.SpecIm;
            var pv = f + s.KalP;
            var psi = f + s.KalPsi;
            var wr = f + s.BgRe;
            var wi = f + s.BgIm;
            if (s.KalmanReady == 0)
            {
                // A path of the reference's level spread evenly over the partitions, scaled by KalmanP0 (and after a
                // re-seed by the share of the path it still misses).
                for (var p = 0; p < parts; p++)
                {
                    var p0 = StartVariance(s, p) * s.KalmanStartScale;
                    for (var i = 0; i < k; i++) pv[p * k + i] = p0;
                }
                s.KalmanStartScale = 1f;
                for (var i = 0; i < k; i++) psi[i] = er[i] * er[i] + ei[i] * ei[i];
                s.KalmanReady = 1;
                // A restart after the first (a path that moved) spreads the process noise at KalmanSpread for
                // KalmanFreshSeconds, otherwise KalmanSpreadCalm (a cold start spread fully loses the 16 kHz conversation;
                // a re-seed that cancels 20 dB has its room in place: KalmanReseedCalmShare).
                s.KalmanFresh = s.KalmanInits > 0 && s.KalmanRestartCalm == 0 ? (int)(s.KalmanFreshSeconds * s.SampleRate / s.Block) : 0;
                s.KalmanRestartCalm = 0;
                s.KalmanInits++;
            }
            var spread = s.KalmanFresh > 0 ? s.KalmanSpread : s.KalmanSpreadCalm;
            if (s.KalmanFresh > 0) s.KalmanFresh--;
            // Σ_p P|X|² per bin (the echo the filter may still miss), in the FFT's scratch.
            var sum = f + s.Work;
            VarianceEcho(s, f, aligned, sum);
            // Overlap-save: the error holds half the frame, so the echo's share of |E|² is half of Σ P|X|².
            const float half = 0.5f;
            var power = f + s.Power;
            var low = f + s.KalLow;
            var track = s.KalmanTrack * s.Step;
            var powerFloor = n * parts * 1e-5f;
            var rate = s.KalmanSmooth;
            var g = s.KalmanRer != 0f ? gain : 1f;
            var mode = (int)s.KalmanPosterior;
            var onset = s.KalmanOnset;
            var miss = f + s.KalMiss;
            // The denominator per bin goes into sum (the gain's normaliser); Ψ is updated on the way.
            for (var i = 0; i < k; i++)
            {
                var e2 = er[i] * er[i] + ei[i] * ei[i];
                var echo = half * sum[i];
                miss[i] = echo;
                var floor = 1e-12f * n;
                if (mode == 0) psi[i] += rate * (e2 - psi[i]);
                // KalmanOnset × this block's |E|² when it exceeds the smoothed Ψ: a voice's onset counts as noise at once
                // (WebRTC AEC3's gain takes the block's |E|²), before the smoothing catches up.
                var noise = onset * e2 > psi[i] ? onset * e2 : psi[i];
                var d = echo + s.KalmanNoise * noise + floor;
                if (mode == 1)
                {
                    // The a-posteriori error: E·(1 − ½ Σ P|X|² / D) in the diagonal approximation.
                    var post = 1f - echo / d;
                    psi[i] += rate * (e2 * post * post - psi[i]);
                }
                else if (mode == 2)
                {
                    // The prior error less the echo the filter is still expected to miss.
                    var near = e2 - echo;
                    psi[i] += rate * ((near > 0.01f * e2 ? near : 0.01f * e2) - psi[i]);
                }
                sum[i] = g / d;
                // The step never falls under KalmanTrack × the normalised step's (its uniform share): once P is small
                // the Kalman gain alone stops following a path that moves (clock drift, a delay jump the filter must
                // relearn), where the normalised step keeps tracking.
                low[i] = g * track / (power[i] + powerFloor);
            }
            float a2 = s.KalmanA * s.KalmanA, q = 1f - a2;
            // Process noise: (1 − A²)·|W|² of the partition itself, mixed (KalmanSpread) with the mean over the partitions
            // of the bin (last block's), so partitions the path slides into (clock drift) do not stay sure of zero.
            var w2 = f + s.KalW2;
            float qOwn = q * (1f - spread), qMean = q * spread;
            var mean = low + k;
            var wrap = f + s.KalWrap;
            for (var i = 0; i < k; i++) { mean[i] = w2[i] / parts; w2[i] = 0f; }
            for (var p = 0; p < parts; p++)
            {
                if (!EchoFilterKernel.ReferenceSpectrum(s, f, aligned - p, out var xr, out var xi)) break;
                var pr = wr + p * k;
                var pi = wi + p * k;
                var pp = pv + p * k;
                var stepped = 0f;
                for (var i = 0; i < k; i++)
                {
                    // W += P·conj(X)·E / D;  P ← A²(1 − ½ P|X|² / D)·P + (1 − A²)|W|².
                    var mu = pp[i] * sum[i];
                    if (mu < low[i]) mu = low[i];
                    var dr = mu * (xr[i] * er[i] + xi[i] * ei[i]);
                    var di = mu * (xr[i] * ei[i] - xi[i] * er[i]);
                    pr[i] += dr;
                    pi[i] += di;
                    stepped += dr * dr + di * di;
                    var x2 = xr[i] * xr[i] + xi[i] * xi[i];
                    var keep = 1f - half * mu * x2;
                    if (keep < 0f) keep = 0f;
                    var wp = pr[i] * pr[i] + pi[i] * pi[i];
                    w2[i] += wp;
                    pp[i] = a2 * keep * pp[i] + qOwn * wp + qMean * mean[i] + 1e-20f;
                }
                // The steps add up at most in amplitude: their sum bounds what the partition may hold past its half.
                wrap[p] += (float)System.Math.Sqrt(stepped);
            }
            Constrain(ref s, f, wr, wi);
        }

        /// <summary>
        /// The expected miss (<see cref="EchoState.KalMiss"/>, ½ Σ_p P|X|²) of a block the background does not adapt on (the
        /// far end quiet now while its echo still arrives): it follows the aligned reference down instead of holding the
        /// last adapted block's value through the pause.
        /// </summary>
        internal static void Miss(ref EchoState s, float* f, long aligned)
        {
            var miss = f + s.KalMiss;
            VarianceEcho(s, f, aligned, miss);
            for (var i = 0; i < s.Bins; i++) miss[i] *= 0.5f;
        }

        /// <summary>Σ_p P|X|² per bin over the aligned reference into <paramref name="sum"/>.</summary>
        static void VarianceEcho(in EchoState s, float* f, long aligned, float* sum)
        {
            int k = s.Bins, parts = s.Partitions;
            var pv = f + s.KalP;
            for (var i = 0; i < k; i++) sum[i] = 0f;
            for (var p = 0; p < parts; p++)
            {
                if (!EchoFilterKernel.ReferenceSpectrum(s, f, aligned - p, out var xr, out var xi)) break;
                var pp = pv + p * k;
                for (var i = 0; i < k; i++) sum[i] += pp[i] * (xr[i] * xr[i] + xi[i] * xi[i]);
            }
        }

        /// <summary>
        /// The gradient constraint: <c>KalmanConstrain</c> partitions round robin (at least 2), and every partition whose
        /// summed steps since its last constraint exceed <c>KalmanWrapDb</c> of the whole filter (every stepped one from 0 dB).
        /// </summary>
        static void Constrain(ref EchoState s, float* f, float* wr, float* wi)
        {
            int k = s.Bins, parts = s.Partitions;
            var wrap = f + s.KalWrap;
            var count = s.KalmanConstrain < 2 ? 2 : s.KalmanConstrain > parts ? parts : s.KalmanConstrain;
            for (var c = 0; c < count; c++)
            {
                EchoFilterKernel.Constrain(ref s, f, wr + s.ConstrainNext * k, wi + s.ConstrainNext * k);
                wrap[s.ConstrainNext] = 0f;
                s.ConstrainNext = (s.ConstrainNext + 1) % parts;
            }
            s.KalmanConstraints += count;
            var w2 = f + s.KalW2;
            var total = 0f;
            for (var i = 0; i < k; i++) total += w2[i];
            var bar = s.KalmanWrapDb >= 0f ? -1f : total * (float)System.Math.Pow(10.0, 0.1 * s.KalmanWrapDb);
            for (var p = 0; p < parts; p++)
            {
                if (wrap[p] == 0f || wrap[p] * wrap[p] <= bar) continue;
                EchoFilterKernel.Constrain(ref s, f, wr + p * k, wi + p * k);
                wrap[p] = 0f;
                s.KalmanConstraints++;
            }
        }

        /// <summary>
        /// Evidence that the path moved (<see cref="EchoState.KalmanEvidence"/>'s bit <paramref name="why"/>): the process
        /// noise spreads at KalmanSpread for KalmanFreshSeconds, so partitions that held nothing may learn the new taps.
        /// </summary>
        internal static void Moved(ref EchoState s, int why)
        {
            if (((int)s.KalmanEvidence & why) != 0) s.KalmanFresh = (int)(s.KalmanFreshSeconds * s.SampleRate / s.Block);
        }

        /// <summary>
        /// Re-indexes the variances and the wrap-around bounds with the filters (<see cref="EchoDelayKernel"/>'s
        /// W'[p] = W[p + by]): partitions that come in new start unsure (the initial variance) and unstepped; after a fine
        /// step earlier <see cref="EarlierByOne"/> then makes the one that came in as sure as its neighbour.
        /// </summary>
        public static void Shift(ref EchoState s, float* f, int by)
        {
            int k = s.Bins, parts = s.Partitions;
            // The wrap-around bounds go with their taps; partitions that come in new are cleared.
            var wrap = f + s.KalWrap;
            for (var j = 0; j < parts; j++)
            {
                var p = by > 0 ? j : parts - 1 - j;
                var src = p + by;
                wrap[p] = src >= 0 && src < parts ? wrap[src] : 0f;
            }
            if (s.KalmanReady == 0) return;
            var pv = f + s.KalP;
            for (var j = 0; j < parts; j++)
            {
                // Forward for a positive move, backward for a negative one, so no source is overwritten before use.
                var p = by > 0 ? j : parts - 1 - j;
                var src = p + by;
                if (src >= 0 && src < parts) EchoFilterKernel.Copy(pv + src * k, pv + p * k, k);
                else
                {
                    var p0 = StartVariance(s, p);
                    for (var i = 0; i < k; i++) pv[p * k + i] = p0;
                }
            }
        }

        /// <summary>
        /// After the fine steering moved a converged filter one block earlier: the partition that came in, before the direct
        /// path, starts as sure as its neighbour rather than with the initial variance. Unsure (20–28 dB above the learnt
        /// partitions), the background learnt noise there faster than the echo elsewhere, the foreground took it, and that
        /// partition's peak moved the window earlier again, block after block (<see cref="EchoState.FineEarlierSure"/>).
        /// </summary>
        internal static void EarlierByOne(ref EchoState s, float* f)
        {
            if (s.KalmanReady == 0 || s.Partitions < 2) return;
            EchoFilterKernel.Copy(f + s.KalP + s.Bins, f + s.KalP, s.Bins);
        }

        /// <summary>
        /// Initial variance of partition <paramref name="p"/>: KalmanP0 (the path's energy) shared over the partitions,
        /// flat up to the margin (where a placed alignment puts the direct path) and falling KalmanDecay dB per second
        /// after it, as a room's response does; the shares sum to KalmanP0.
        /// </summary>
        static float StartVariance(in EchoState s, int p)
        {
            int parts = s.Partitions, m = s.Margin;
            // Only once the alignment was placed (Delay > 0: a move put the direct path on the margin); a cold start
            // does not know where the echo is and spreads evenly.
            if (s.KalmanDecay <= 0f || s.Delay == 0) return s.KalmanP0 / parts;
            var r = (float)System.Math.Pow(10.0, -0.1 * s.KalmanDecay * s.Block / s.SampleRate);
            // Σ = (m + 1) + r + r² + … + r^(parts − 1 − m).
            var total = m + (1f - (float)System.Math.Pow(r, parts - m)) / (1f - r);
            var at = p <= m ? 1f : (float)System.Math.Pow(r, p - m);
            return s.KalmanP0 * at / total;
        }
    }
}
