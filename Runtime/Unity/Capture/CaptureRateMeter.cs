namespace Parley.Unity.Capture
{
    /// <summary>
    /// The real capture rate: frames the device delivered against <c>AudioSettings.dspTime</c>, counted since the
    /// last restart and reported every <see cref="WindowSeconds"/> or more. Both clocks step (device packets, DSP
    /// blocks), so one reading is off by up to a packet plus a block; the count since the restart shrinks that
    /// error with time (<see cref="Uncertainty"/>). Restarted after anything that breaks the count (overrun, loss).
    /// </summary>
    public struct CaptureRateMeter
    {
        public const double WindowSeconds = 2.0;
        double _start;
        double _lastReport;
        long _frames;
        bool _running;

        /// <summary>The rate measured since the restart, 0 before the first window completed.</summary>
        public double MeasuredRate;
        /// <summary>Seconds the current measurement spans.</summary>
        public double Elapsed;

        public void Restart(double dspTime)
        {
            _start = _lastReport = dspTime;
            _frames = 0;
            _running = true;
            MeasuredRate = 0;
            Elapsed = 0;
        }

        /// <summary>Relative error bound of <see cref="MeasuredRate"/> for clocks stepping by <paramref name="stepSeconds"/> (packet + block).</summary>
        public double Uncertainty(double stepSeconds) => Elapsed > 0 ? stepSeconds / Elapsed : 1;

        /// <summary>Counts <paramref name="frames"/>; true when another window completed and <see cref="MeasuredRate"/> was updated.</summary>
        public bool Add(long frames, double dspTime)
        {
            if (!_running) { Restart(dspTime); return false; }
            _frames += frames;
            if (dspTime - _lastReport < WindowSeconds) return false;
            _lastReport = dspTime;
            Elapsed = dspTime - _start;
            MeasuredRate = _frames / Elapsed;
            return true;
        }
    }
}
