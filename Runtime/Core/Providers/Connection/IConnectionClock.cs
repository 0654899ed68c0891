using System.Threading;
using System.Threading.Tasks;

namespace Parley.Providers.Connection
{
    /// <summary>
    /// Time as the connection's handshake timeout and stall watchdog see it: monotonic milliseconds and a wait
    /// until a point in time. The system clock by default; tests move a <see cref="ManualConnectionClock"/> by hand
    /// so a 10 s stall is detected without waiting 10 s.
    /// </summary>
    public interface IConnectionClock
    {
        long NowMs { get; }

        /// <summary>Completes when <see cref="NowMs"/> reaches <paramref name="dueMs"/> (at once if it has).</summary>
        Task WaitUntilAsync(long dueMs, CancellationToken cancellationToken);
    }
}
