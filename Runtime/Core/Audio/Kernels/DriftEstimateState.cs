namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Blittable state of one <see cref="DriftEstimateKernel"/> stream: geometry, offsets into the caller's float memory,
    /// the decimator, the window schedule, the history of lags and the fit.
    /// </summary>
    public struct DriftEstimateState
    {
        /// <summary>Input samples averaged into one analysis sample (the analysis rate is about 8 kHz).</summary>
        public int Decimation;
        /// <summary>Analysis rate (Hz).</summary>
        public int Rate;
        /// <summary>Analysis samples per window (and between windows), the lags searched, the FFT size, the rings' length.</summary>
        public int Window, MaxLag, FftSize, RingLength;
        /// <summary>Float memory offsets.</summary>
        public int Table, Work, Time, MicRe, MicIm, RefRe, RefIm, MicRing, RefRing, HistWindow, HistLag, Pairs;
        /// <summary>Entries the lag history holds.</summary>
        public int HistoryCapacity;
        /// <summary>
        /// Least |drift| applied, the standard errors it must be from zero, the largest standard error applied, and the
        /// least the lag must have moved over the fitted span (seconds): a small drift is applied only over a long span.
        /// </summary>
        public double MinPpm, SignificantErrors, MaxErrorPpm, MinShiftSeconds;

        // Running values.
        public int Phase;
        public float MicAcc, RefAcc;
        /// <summary>Analysis samples written to the rings.</summary>
        public long Written;
        /// <summary>Index of the next window (ends at (index + 1) · Window + MaxLag analysis samples).</summary>
        public long NextWindow;
        /// <summary>0: idle; 1–3: the steps of the window being analysed (one per block, so no block carries all three FFTs).</summary>
        public int Stage;
        public int HistCount, HistHead, Misses;
        /// <summary>Window index the history's entries count from.</summary>
        public long HistOrigin;
        /// <summary>Windows whose cross-correlation peak was clear enough to use, since the last reset.</summary>
        public int Accepted;
        /// <summary>The latest fit (ppm) and its standard error; NaN before a fit.</summary>
        public double FitPpm, FitErrorPpm;
        /// <summary>The warp the window being analysed reads its reference with (1: none).</summary>
        public double Warp;
        /// <summary>The drift to compensate: the last fit that was significant and at least MinPpm, else 0.</summary>
        public double CompensationPpm;
    }
}
