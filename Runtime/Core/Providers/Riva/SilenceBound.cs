using System;
using System.Threading;
using System.Threading.Tasks;

namespace Parley.Providers.Riva
{
    /// <summary>
    /// Waits for streamed work bounded by silence, not by total length: a long reply may take long, a dead server
    /// may not. Activity is an <see cref="Environment.TickCount"/> stamp the receive side updates.
    /// </summary>
    public static class SilenceBound
    {
        public static async Task WaitAsync(Task work, Func<long> lastActivity, TimeSpan limit, string what, CancellationToken cancellationToken)
        {
            while (!work.IsCompleted)
            {
                var left = (long)limit.TotalMilliseconds - (Environment.TickCount - lastActivity());
                if (left <= 0) throw new ProviderException(ProviderErrorKind.Stalled, "tts_stalled", what + " sent nothing for " + limit.TotalSeconds + " s.");
                await Task.WhenAny(work, Task.Delay((int)Math.Min(left, 250), cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }
}
