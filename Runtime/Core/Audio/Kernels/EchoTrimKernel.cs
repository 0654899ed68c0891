namespace Parley.Audio.Kernels
{
    /// <summary>
    /// The drift the compensation left over, read from the adaptive filter itself. A path whose delay grows by δ
    /// samples turns every bin of the filter by −ωδ; over an interval of <see cref="EchoState.TrimBlocks"/> the
    /// background filter's turn against a snapshot, fitted over the bins (weighted by their cross-power), gives how
    /// far the echo moved. The caller (<see cref="EchoCanceller"/>) trims the resampling ratio by it: a few ppm at
    /// 24 kHz move the path a sample in 10 s, which the filter's adaptation trails.
    /// </summary>
    public static unsafe class EchoTrimKernel
    {
        internal static void Reset(ref EchoState s)
        {
            s.TrimCounter = s.TrimActive = s.TrimSnapped = s.TrimFresh = 0;
            s.TrimRate = 0;
        }

        /// <summary>Counts one block; at the end of an interval measures the turn (when the snapshot still applies) and snapshots again.</summary>
        internal static void Step(ref EchoState s, float* f, bool refActive)
        {
            if (s.TrimBlocks <= 0) return;
            if (refActive) s.TrimActive++;
            if (++s.TrimCounter < s.TrimBlocks) return;
            // The snapshot is comparable only with the same alignment, the same Kalman run and no re-seed in between,
            // a filter that holds the echo and a reference heard for most of the interval.
            var same = s.TrimSnapped != 0 && s.TrimMoves == s.FilterMoves && s.TrimInits == s.KalmanInits && s.TrimReseeds == s.Reseeds;
            if (same && s.Converged != 0 && 2 * s.TrimActive >= s.TrimBlocks)
            {
                s.TrimRate = Turn(s, f, out var match) / ((double)s.TrimBlocks * s.Block);
                s.TrimMatch = (float)match;
                s.TrimFresh = match >= s.TrimMinMatch ? 1 : 0;
            }
            s.TrimCounter = s.TrimActive = 0;
            s.TrimSnapped = s.Converged;
            if (s.Converged == 0) return;
            var count = s.Partitions * s.Bins;
            EchoFilterKernel.Copy(f + s.BgRe, f + s.TrimRe, count);
            EchoFilterKernel.Copy(f + s.BgIm, f + s.TrimIm, count);
            s.TrimMoves = s.FilterMoves;
            s.TrimInits = s.KalmanInits;
            s.TrimReseeds = s.Reseeds;
        }

        /// <summary>
        /// Samples the background's echo moved since the snapshot (positive: later), and how well the snapshot turned by
        /// that matches the filter now (normalised correlation over the bins read: 1 for a path that only moved).
        /// </summary>
        static double Turn(in EchoState s, float* f, out double match)
        {
            int k = s.Bins, parts = s.Partitions;
            var hi = (int)(s.TrimHighHz * s.FftSize / s.SampleRate);
            if (hi > s.Block - 1) hi = s.Block - 1;   // the cross-power goes in Work (FftSize floats)
            float* wr = f + s.BgRe, wi = f + s.BgIm, sr = f + s.TrimRe, si = f + s.TrimIm;
            var cross = f + s.Work;   // per bin: the cross-power summed over the partitions (re, im)
            double num = 0, den = 0, ew = 0, es = 0;
            for (var i = 1; i <= hi; i++)
            {
                double cr = 0, ci = 0;
                for (var p = 0; p < parts; p++)
                {
                    var at = p * k + i;
                    double ar = wr[at], ai = wi[at], br = sr[at], bi = si[at];
                    cr += ar * br + ai * bi;
                    ci += ai * br - ar * bi;
                    ew += ar * ar + ai * ai;
                    es += br * br + bi * bi;
                }
                cross[2 * i] = (float)cr;
                cross[2 * i + 1] = (float)ci;
                var mag = System.Math.Sqrt(cr * cr + ci * ci);
                if (!(mag > 0)) continue;
                var w = System.Math.PI * i / s.Block;
                num += mag * w * System.Math.Atan2(ci, cr);
                den += mag * w * w;
            }
            var delta = den > 0 ? -num / den : 0;
            double mr = 0, mi = 0;
            for (var i = 1; i <= hi; i++)
            {
                // Undo the fitted turn: a filter that only moved lines up with its snapshot in every bin.
                var ph = System.Math.PI * i / s.Block * delta;
                double c = System.Math.Cos(ph), sn = System.Math.Sin(ph), cr = cross[2 * i], ci = cross[2 * i + 1];
                mr += cr * c - ci * sn;
                mi += cr * sn + ci * c;
            }
            match = ew > 0 && es > 0 ? System.Math.Sqrt(mr * mr + mi * mi) / System.Math.Sqrt(ew * es) : 0;
            return delta;
        }
    }
}
