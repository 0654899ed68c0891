namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Clock drift between a microphone and the reference it hears, learned from the two raw streams (not from the echo
    /// canceller's filter, which a drifting path keeps from converging, nor from its aligned reference, which moves when
    /// the alignment does). Both are averaged down to about 8 kHz; every half second the microphone's window is
    /// cross-correlated with the reference over 0–0.46 s of lag (GCC-PHAT over 100 Hz–2 kHz: the cross-spectrum's phase
    /// only, so a speech spectrum's slope does not widen the peak), the reference read warped by the drift fitted so far
    /// so a moving lag stays one sharp peak. The peak's lag, interpolated, joins a history of up to 64 s. A line through
    /// the history (Theil–Sen, then least squares over the entries near it) gives the drift: the lag grows by
    /// 1 − 1/(1 + drift) per microphone sample. A lag 20 ms off the line three windows running is a new path (a device
    /// change): the history restarts. Measured: Documentation~/echo-cancellation.md, "Delay jumps and clock drift".
    /// </summary>
    public static unsafe class DriftEstimateKernel
    {
        /// <summary>Least ratio of the correlation peak to the mean |correlation| over the lags for a window to count.</summary>
        const float Clear = 8f;

        /// <summary>Geometry and offsets for input at <paramref name="sampleRate"/>; returns the floats of memory needed.</summary>
        public static int Init(ref DriftEstimateState s, int sampleRate)
        {
            s.Decimation = sampleRate / 8000 > 1 ? sampleRate / 8000 : 1;
            var rate = sampleRate / s.Decimation;
            s.Rate = rate;
            // Half a second: at 0.5 % the lag moves 2.5 ms across it (the warp below takes out most of that).
            s.Window = 4096;
            s.MaxLag = (int)(0.46 * rate) + 1;
            var n = 1;
            while (n < s.Window + s.MaxLag) n <<= 1;
            s.FftSize = n;
            // The three steps run on the blocks after a window ends: the rings keep a window, its lags and some blocks more.
            var r = 1;
            while (r < s.Window + s.MaxLag + 4096) r <<= 1;
            s.RingLength = r;
            s.HistoryCapacity = 64 * 8192 / s.Window;
            // The canceller's trim (EchoTrimKernel) takes what is left once its filter settles; at −83 and ±167 ppm at
            // 24 kHz a filter following the path alone never does, so the estimate must come first (was 200).
            s.MinPpm = 50;
            // The lag must have moved 1.6 ms over the fit's span (200 ppm over its least 8 s, 50 ppm over 32 s): over 8–10 s
            // a drift-free 30 ms path at 16 kHz once fitted −72 ppm (seed 44) and the canceller lost the echo.
            s.MinShiftSeconds = 0.0016;
            s.SignificantErrors = 3;
            // A fit less sure than ±50 ppm is not applied: 12 s in at +0.5 %, a fit of 3,157 ppm for 5,000 cost the
            // canceller 5 dB against following the path by re-alignment alone (15 dB). ±25 applied the 24 kHz +0.5 %
            // minute 10 s later and kept 0.4 dB less over its last 10 s.
            s.MaxErrorPpm = 50;
            var bins = n / 2 + 1;
            var o = 0;
            s.Table = o; o += FftKernel.TableLength(n);
            s.Work = o; o += n;
            s.Time = o; o += n;
            s.MicRe = o; o += bins;
            s.MicIm = o; o += bins;
            s.RefRe = o; o += bins;
            s.RefIm = o; o += bins;
            s.MicRing = o; o += r;
            s.RefRing = o; o += r;
            s.HistWindow = o; o += s.HistoryCapacity;
            s.HistLag = o; o += s.HistoryCapacity;
            s.Pairs = o; o += s.HistoryCapacity * (s.HistoryCapacity - 1) / 2;
            return o;
        }

        /// <summary>Clears the running values and builds the FFT table.</summary>
        public static void Reset(ref DriftEstimateState s, float* f)
        {
            FftKernel.Init(f + s.Table, s.FftSize);
            for (var i = 0; i < s.RingLength; i++) { f[s.MicRing + i] = 0f; f[s.RefRing + i] = 0f; }
            s.Phase = 0;
            s.MicAcc = s.RefAcc = 0f;
            s.Written = 0;
            s.NextWindow = 0;
            s.Stage = 0;
            s.HistCount = s.HistHead = s.Misses = s.Accepted = 0;
            s.FitPpm = s.FitErrorPpm = double.NaN;
            s.CompensationPpm = 0;
        }

        /// <summary>Takes <paramref name="count"/> samples of microphone and reference (the same instants) and does at most one step of analysis.</summary>
        public static void Feed(ref DriftEstimateState s, float* f, float* mic, float* reference, int count)
        {
            var mask = s.RingLength - 1;
            var d = s.Decimation;
            var inv = 1f / d;
            for (var i = 0; i < count; i++)
            {
                s.MicAcc += mic[i];
                s.RefAcc += reference[i];
                if (++s.Phase < d) continue;
                var at = (int)(s.Written & mask);
                f[s.MicRing + at] = s.MicAcc * inv;
                f[s.RefRing + at] = s.RefAcc * inv;
                s.MicAcc = s.RefAcc = 0f;
                s.Phase = 0;
                s.Written++;
            }
            // Some samples past the window's end: the warped reference reads up to drift × half a window beyond it.
            if (s.Stage == 0 && s.Written >= WindowEnd(s) + Slack) s.Stage = 1;
            switch (s.Stage)
            {
                case 1:
                    // The microphone's window, zero-padded.
                    Spectrum(s, f, s.MicRing, WindowEnd(s) - s.Window, s.Window, f + s.MicRe, f + s.MicIm);
                    s.Stage = 2;
                    break;
                case 2:
                    // The reference from MaxLag before the window to its end: lag τ puts the microphone's sample t on reference t − τ.
                    // Warped about its centre by the drift fitted so far (none before a fit: NaN), so a drifting lag stays one sharp peak.
                    s.Warp = s.FitErrorPpm >= 0 ? 1.0 / (1.0 + s.FitPpm * 1e-6) : 1.0;
                    WarpedSpectrum(s, f, WindowEnd(s) - s.Window - s.MaxLag, s.Window + s.MaxLag, s.Warp, f + s.RefRe, f + s.RefIm);
                    s.Stage = 3;
                    break;
                case 3:
                    Correlate(ref s, f);
                    s.NextWindow++;
                    s.Stage = 0;
                    break;
            }
        }

        static long WindowEnd(in DriftEstimateState s) => (s.NextWindow + 1) * s.Window + s.MaxLag;

        /// <summary>Analysis samples a window waits for past its end before it is analysed.</summary>
        const int Slack = 256;

        /// <summary>The reference segment read at centre + warp · (i − centre), linearly interpolated, into a spectrum.</summary>
        static void WarpedSpectrum(in DriftEstimateState s, float* f, long start, int length, double warp, float* re, float* im)
        {
            var mask = s.RingLength - 1;
            var x = f + s.Time;
            var ring = f + s.RefRing;
            var centre = start + 0.5 * length;
            for (var i = 0; i < length; i++)
            {
                var p = centre + warp * (start + i - centre);
                var k = (long)System.Math.Floor(p);
                var a = (float)(p - k);
                x[i] = (1f - a) * ring[(int)(k & mask)] + a * ring[(int)((k + 1) & mask)];
            }
            for (var i = length; i < s.FftSize; i++) x[i] = 0f;
            FftKernel.Forward(f + s.Table, s.FftSize, x, re, im, f + s.Work);
        }

        static void Spectrum(in DriftEstimateState s, float* f, int ring, long start, int length, float* re, float* im)
        {
            var mask = s.RingLength - 1;
            var x = f + s.Time;
            for (var i = 0; i < length; i++) x[i] = f[ring + (int)((start + i) & mask)];
            for (var i = length; i < s.FftSize; i++) x[i] = 0f;
            FftKernel.Forward(f + s.Table, s.FftSize, x, re, im, f + s.Work);
        }

        /// <summary>GCC-PHAT of the two spectra, the peak's lag, and the history and fit it updates.</summary>
        static void Correlate(ref DriftEstimateState s, float* f)
        {
            int n = s.FftSize, bins = n / 2 + 1;
            float* mr = f + s.MicRe, mi = f + s.MicIm, rr = f + s.RefRe, ri = f + s.RefIm;
            double me = 0, re = 0;
            for (var k = 0; k < bins; k++)
            {
                me += mr[k] * mr[k] + mi[k] * mi[k];
                re += rr[k] * rr[k] + ri[k] * ri[k];
            }
            // Silence on either side has no lag to find.
            if (!(me > 1e-6 * n * s.Window && re > 1e-6 * n * s.Window)) return;
            // 100 Hz–2 kHz only: averaging down lets 4–12 kHz fold into the top of the band, and at 24 kHz the fit over
            // the whole band was 5–10× less sure (±25 against ±2–4 ppm after 40 s of speech at ±0.5 %).
            var top = (int)(2000L * n / s.Rate);
            var bottom = (int)(100L * n / s.Rate);
            for (var k = 0; k < bins; k++)
            {
                if (k > top || k < bottom) { rr[k] = ri[k] = 0f; continue; }
                // conj(M)·R, whitened.
                var pr = mr[k] * rr[k] + mi[k] * ri[k];
                var pi = mr[k] * ri[k] - mi[k] * rr[k];
                var mag = (float)System.Math.Sqrt(pr * pr + pi * pi) + 1e-20f;
                rr[k] = pr / mag;
                ri[k] = pi / mag;
            }
            var x = f + s.Time;
            FftKernel.Inverse(f + s.Table, n, rr, ri, x);
            // x[m] = Σ mic[t]·ref'[t + m], ref' starting MaxLag early: lag τ = MaxLag − m.
            var best = 0;
            var most = float.MinValue;
            double sum = 0;
            for (var m = 0; m <= s.MaxLag; m++)
            {
                var v = x[m];
                sum += v < 0f ? -v : v;
                if (v > most) { most = v; best = m; }
            }
            if (!(most > Clear * sum / (s.MaxLag + 1))) return;
            double frac = 0;
            if (best > 0 && best < s.MaxLag)
            {
                double y0 = x[best - 1], y1 = x[best], y2 = x[best + 1];
                var den = y0 - 2 * y1 + y2;
                if (den < 0) frac = 0.5 * (y0 - y2) / den;
            }
            // The lag in the warped reference, back on the raw one at the microphone window's centre (MaxLag / 2 after the
            // reference segment's centre, which the warp keeps in place).
            var warped = s.MaxLag - (best + frac);
            Add(ref s, f, s.NextWindow, (float)(0.5 * s.MaxLag * (1 - s.Warp) + s.Warp * warped));
        }

        static void Add(ref DriftEstimateState s, float* f, long window, float lag)
        {
            s.Accepted++;
            // A lag 20 ms off the robust line three windows running is a new path (a device change): start again from it.
            if (s.HistCount >= 8 && Robust(s, f, out var slope, out var at, out _))
            {
                var off = lag - (at + slope * (window - s.HistOrigin));
                if (System.Math.Abs(off) > 0.02 * s.Rate)
                {
                    if (++s.Misses < 3) return;
                    s.HistCount = 0;
                }
            }
            s.Misses = 0;
            if (s.HistCount == 0) { s.HistOrigin = window; s.HistHead = 0; }
            f[s.HistWindow + s.HistHead] = window - s.HistOrigin;
            f[s.HistLag + s.HistHead] = lag;
            s.HistHead = (s.HistHead + 1) % s.HistoryCapacity;
            if (s.HistCount < s.HistoryCapacity) s.HistCount++;
            Update(ref s, f);
        }

        /// <summary>
        /// The robust line through the history, then least squares over the entries within 3 robust deviations of it
        /// (at least 1 ms); compensation when those span 8 windows, and the slope is
        /// <see cref="DriftEstimateState.SignificantErrors"/> standard errors from zero and at least
        /// <see cref="DriftEstimateState.MinPpm"/> (the canceller's filter follows less).
        /// </summary>
        static void Update(ref DriftEstimateState s, float* f)
        {
            if (s.HistCount < 8 || !Robust(s, f, out var rs, out var ra, out var dev)) return;
            var reject = 3 * dev > 0.001 * s.Rate ? 3 * dev : 0.001 * s.Rate;
            double n = 0, sw = 0, sl = 0;
            float lo = float.MaxValue, hi = float.MinValue;
            float* hw = f + s.HistWindow, hl = f + s.HistLag;
            for (var i = 0; i < s.HistCount; i++)
            {
                if (System.Math.Abs(hl[i] - (ra + rs * hw[i])) > reject) continue;
                n++; sw += hw[i]; sl += hl[i];
                if (hw[i] < lo) lo = hw[i];
                if (hw[i] > hi) hi = hw[i];
            }
            if (n < 8 || (hi - lo) * s.Window < 8 * s.Rate) return;
            double mw = sw / n, ml = sl / n, sxx = 0, sxy = 0;
            for (var i = 0; i < s.HistCount; i++)
            {
                if (System.Math.Abs(hl[i] - (ra + rs * hw[i])) > reject) continue;
                sxx += (hw[i] - mw) * (hw[i] - mw);
                sxy += (hw[i] - mw) * (hl[i] - ml);
            }
            var slope = sxy / sxx;
            double sse = 0;
            for (var i = 0; i < s.HistCount; i++)
            {
                if (System.Math.Abs(hl[i] - (ra + rs * hw[i])) > reject) continue;
                var r = hl[i] - (ml + slope * (hw[i] - mw));
                sse += r * r;
            }
            // The lag grows by 1 − 1/(1 + drift) per microphone sample: drift = g / (1 − g).
            var g = slope / s.Window;
            s.FitPpm = g / (1 - g) * 1e6;
            s.FitErrorPpm = System.Math.Sqrt(sse / (n - 2) / sxx) / s.Window / ((1 - g) * (1 - g)) * 1e6;
            var span = (double)(hi - lo) * s.Window / s.Rate;
            if (System.Math.Abs(s.FitPpm) >= s.SignificantErrors * s.FitErrorPpm && System.Math.Abs(s.FitPpm) >= s.MinPpm && s.FitErrorPpm <= s.MaxErrorPpm
                && System.Math.Abs(s.FitPpm) * 1e-6 * span >= s.MinShiftSeconds)
                s.CompensationPpm = s.FitPpm;
        }

        /// <summary>
        /// Theil–Sen line through the history: the median of the slopes between every two entries, the median
        /// intercept under it, and the median absolute deviation (× 1.4826, a standard deviation for Gaussian scatter).
        /// A wrong peak now and then moves none of them.
        /// </summary>
        static bool Robust(in DriftEstimateState s, float* f, out double slope, out double at, out double deviation)
        {
            slope = at = deviation = 0;
            float* hw = f + s.HistWindow, hl = f + s.HistLag, pairs = f + s.Pairs;
            var count = 0;
            for (var i = 0; i < s.HistCount; i++)
                for (var j = i + 1; j < s.HistCount; j++)
                {
                    var dw = hw[j] - hw[i];
                    if (dw != 0f) pairs[count++] = (hl[j] - hl[i]) / dw;
                }
            if (count < 3) return false;
            slope = Median(pairs, count);
            for (var i = 0; i < s.HistCount; i++) pairs[i] = (float)(hl[i] - slope * hw[i]);
            at = Median(pairs, s.HistCount);
            for (var i = 0; i < s.HistCount; i++)
            {
                var r = hl[i] - (at + slope * hw[i]);
                pairs[i] = (float)(r < 0 ? -r : r);
            }
            deviation = 1.4826 * Median(pairs, s.HistCount);
            return true;
        }

        /// <summary>Median of a[0..n) by selection (reorders a).</summary>
        static float Median(float* a, int n)
        {
            int lo = 0, hi = n - 1, k = n / 2;
            while (lo < hi)
            {
                var pivot = a[(lo + hi) >> 1];
                int i = lo, j = hi;
                while (i <= j)
                {
                    while (a[i] < pivot) i++;
                    while (a[j] > pivot) j--;
                    if (i <= j) { var t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
                }
                if (k <= j) hi = j;
                else if (k >= i) lo = i;
                else break;
            }
            return a[k];
        }
    }
}
