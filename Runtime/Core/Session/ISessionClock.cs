using System.Diagnostics;

namespace Parley.Session
{
    /// <summary>Monotonic milliseconds for timings and metrics; tests and replay supply their own.</summary>
    public interface ISessionClock
    {
        double NowMs { get; }
    }

    public sealed class StopwatchClock : ISessionClock
    {
        readonly long _start = Stopwatch.GetTimestamp();
        public double NowMs => (Stopwatch.GetTimestamp() - _start) * 1000.0 / Stopwatch.Frequency;
    }

    /// <summary>A clock moved by hand (tests, simulated time).</summary>
    public sealed class ManualClock : ISessionClock
    {
        double _now;
        readonly object _gate = new object();
        public double NowMs { get { lock (_gate) return _now; } }
        public void Advance(double ms) { lock (_gate) _now += ms; }
    }
}
