using System;

namespace Parley.Unity.Capture
{
    /// <summary>
    /// Clock drift of a microphone against the output device, from the microphone's frame count against
    /// <c>AudioSettings.dspTime</c> (the output's clock): a least-squares line through (dspTime, frames / nominal rate)
    /// over a sliding window of up to <see cref="WindowSeconds"/>; its slope is 1 + drift. Both readings step (the
    /// position by device packets, dspTime by DSP blocks), by at most a few tens of ms: errors that a fit over tens of
    /// seconds of points averages down to ppm, where one count since a start (<see cref="CaptureRateMeter"/>) is off by
    /// step / elapsed. Points are summed in <see cref="BucketSeconds"/> buckets, each about its own origin (the sums stay
    /// exact over hours), so the window slides by dropping the oldest bucket. A break in the count (overrun, lost device)
    /// starts a new segment: the last estimate stays until the new one spans <see cref="MinSpanSeconds"/>.
    /// Main thread; allocates only in the constructor.
    /// </summary>
    public sealed class ClockDriftMeter
    {
        public const double BucketSeconds = 2;
        public const int Buckets = 30;
        /// <summary>Longest span the fit covers.</summary>
        public const double WindowSeconds = BucketSeconds * Buckets;
        /// <summary>Span a segment needs before its fit is reported.</summary>
        public const double MinSpanSeconds = 10;

        // Per bucket: origin (t0, y0), count and the sums of u = t − t0, v = y − y0.
        readonly double[] _t0 = new double[Buckets], _y0 = new double[Buckets];
        readonly double[] _n = new double[Buckets], _su = new double[Buckets], _sv = new double[Buckets];
        readonly double[] _suu = new double[Buckets], _suv = new double[Buckets], _svv = new double[Buckets];
        readonly double _nominal;
        int _head = -1, _count;
        double _segmentStart = double.NaN, _lastT;

        /// <param name="nominalRate">The rate the microphone was asked for (frames per second of its own clock).</param>
        public ClockDriftMeter(double nominalRate)
        {
            if (!(nominalRate > 0)) throw new ArgumentOutOfRangeException(nameof(nominalRate), nominalRate, "Nominal rate must be positive.");
            _nominal = nominalRate;
            DriftPpm = double.NaN;
            UncertaintyPpm = double.NaN;
        }

        /// <summary>Microphone clock against the output's, in ppm (positive: the microphone runs fast); NaN until known.</summary>
        public double DriftPpm { get; private set; }
        /// <summary>The rate the fit divides frames by.</summary>
        public double NominalRate => _nominal;
        /// <summary>Whether <see cref="DriftPpm"/> holds a fit spanning at least <see cref="MinSpanSeconds"/>.</summary>
        public bool IsKnown => !double.IsNaN(DriftPpm);
        /// <summary>Standard error of the slope from the fit's residuals, in ppm (NaN until known).</summary>
        public double UncertaintyPpm { get; private set; }
        /// <summary>
        /// The drift to compensate: <see cref="DriftPpm"/> once it is at least <see cref="SignificantErrors"/> standard
        /// errors from zero, else 0 (NaN until known). A fit that cannot be told from no drift is noise: compensating it
        /// slides the echo reference under the canceller at the fit's error (`parley scene --echo` on a drift-free device:
        /// 131.6 ± 97.7 ppm after 10 s, the canceller's linear ERLE 8–11 → 1–5 dB; BENCHMARKS.md).
        /// </summary>
        public double CompensationPpm => Math.Abs(DriftPpm) >= SignificantErrors * UncertaintyPpm ? DriftPpm : IsKnown ? 0 : double.NaN;
        /// <summary>Standard errors a fit must be from zero for <see cref="CompensationPpm"/> to use it.</summary>
        public const double SignificantErrors = 2;
        /// <summary>Seconds of dspTime the last reported fit spans.</summary>
        public double SpanSeconds { get; private set; }
        /// <summary>Times a break in the count started a new segment.</summary>
        public int Segments { get; private set; }
        /// <summary>Fits reported so far (one per completed bucket once the segment is long enough).</summary>
        public int Updates { get; private set; }

        /// <summary>Starts a new segment: the frame count restarts at 0 at the next <see cref="Add"/>.</summary>
        public void Restart()
        {
            _head = -1;
            _count = 0;
            _segmentStart = double.NaN;
            Segments++;
        }

        /// <summary>
        /// One reading: <paramref name="frames"/> the device has recorded since the segment started, at
        /// <paramref name="dspTime"/>. True when a fit was reported.
        /// </summary>
        public bool Add(long frames, double dspTime)
        {
            var y = frames / _nominal;
            if (double.IsNaN(_segmentStart) || _head < 0) { _segmentStart = dspTime; Open(dspTime, y); }
            else if (dspTime < _lastT) return false;   // dspTime never goes back; ignore a reading that did
            var reported = false;
            if (dspTime - _t0[_head] >= BucketSeconds)
            {
                reported = Fit();
                Open(dspTime, y);
            }
            _lastT = dspTime;
            var u = dspTime - _t0[_head];
            var v = y - _y0[_head];
            _n[_head] += 1;
            _su[_head] += u;
            _sv[_head] += v;
            _suu[_head] += u * u;
            _suv[_head] += u * v;
            _svv[_head] += v * v;
            return reported;
        }

        void Open(double t, double y)
        {
            _head = (_head + 1) % Buckets;
            if (_count < Buckets) _count++;
            _t0[_head] = t;
            _y0[_head] = y;
            _n[_head] = _su[_head] = _sv[_head] = _suu[_head] = _suv[_head] = _svv[_head] = 0;
        }

        /// <summary>Fits the buckets in the window (all complete: called as the newest one closes).</summary>
        bool Fit()
        {
            var oldest = (_head - _count + 1 + Buckets) % Buckets;
            double ta = _t0[oldest], ya = _y0[oldest];
            double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
            for (var k = 0; k < _count; k++)
            {
                var b = (oldest + k) % Buckets;
                double m = _n[b], dt = _t0[b] - ta, dy = _y0[b] - ya;
                n += m;
                sx += _su[b] + m * dt;
                sy += _sv[b] + m * dy;
                sxx += _suu[b] + 2 * dt * _su[b] + m * dt * dt;
                sxy += _suv[b] + dt * _sv[b] + dy * _su[b] + m * dt * dy;
                syy += _svv[b] + 2 * dy * _sv[b] + m * dy * dy;
            }
            if (n < 3) return false;
            var cxx = sxx - sx * sx / n;
            var cxy = sxy - sx * sy / n;
            var cyy = syy - sy * sy / n;
            var span = _lastT - ta;
            if (cxx <= 0 || _lastT - _segmentStart < MinSpanSeconds) return false;
            var slope = cxy / cxx;
            var ssr = Math.Max(0, cyy - cxy * slope);
            DriftPpm = (slope - 1) * 1e6;
            UncertaintyPpm = Math.Sqrt(ssr / Math.Max(1, n - 2) / cxx) * 1e6;
            SpanSeconds = span;
            Updates++;
            return true;
        }
    }
}
