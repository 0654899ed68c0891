using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace Parley.Providers.Connection
{
    /// <summary>Stopwatch time and Task.Delay waits.</summary>
    public sealed class SystemConnectionClock : IConnectionClock
    {
        public static readonly SystemConnectionClock Instance = new SystemConnectionClock();
        readonly long _start = Stopwatch.GetTimestamp();

        public long NowMs => (long)((Stopwatch.GetTimestamp() - _start) * 1000.0 / Stopwatch.Frequency);

        public Task WaitUntilAsync(long dueMs, CancellationToken cancellationToken)
        {
            if (dueMs == long.MaxValue) return Task.Delay(Timeout.Infinite, cancellationToken);
            var left = dueMs - NowMs;
            if (left <= 0) return Task.CompletedTask;
            return Task.Delay(TimeSpan.FromMilliseconds(Math.Min(left, int.MaxValue)), cancellationToken);
        }
    }
}
