using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Parley.Providers.Llm
{
    /// <summary>
    /// Reads an HTTP text/event-stream body event by event with a silence watchdog. Cancellation and the watchdog
    /// dispose the stream, because some platforms' response streams ignore the token of a pending read.
    /// </summary>
    public static class SseStreamReader
    {
        /// <summary>
        /// Feeds events to <paramref name="onEvent"/> until it returns false (true) or the body ends (false).
        /// <paramref name="idleTimeout"/> is asked before every read (infinite while waiting for the player is fine).
        /// </summary>
        /// <exception cref="ProviderException">Stalled (watchdog) or Transport (dropped).</exception>
        /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
        public static async Task<bool> ReadAsync(Stream stream, SseParser parser, Func<SseEvent, bool> onEvent, Func<TimeSpan> idleTimeout,
            string peer, CancellationToken cancellationToken)
        {
            var buffer = new byte[8192];
            using (var watchdog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            using (watchdog.Token.Register(s => ((Stream)s).Dispose(), stream))
            {
                while (true)
                {
                    var idle = idleTimeout();
                    watchdog.CancelAfter(idle);
                    int read;
                    try
                    {
                        read = await stream.ReadAsync(buffer, 0, buffer.Length, watchdog.Token).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is OperationCanceledException || e is ObjectDisposedException || e is IOException || e is HttpRequestException)
                    {
                        if (cancellationToken.IsCancellationRequested) throw new OperationCanceledException(cancellationToken);
                        if (watchdog.IsCancellationRequested)
                            throw new ProviderException(ProviderErrorKind.Stalled, "stalled", peer + " sent nothing for " + idle.TotalSeconds + " s mid-stream.");
                        throw new ProviderException(ProviderErrorKind.Transport, "connection_lost", "The connection to " + peer + " dropped mid-stream.", e);
                    }
                    if (read == 0) return false;
                    parser.Feed(new ReadOnlySpan<byte>(buffer, 0, read));
                    while (parser.TryRead(out var e))
                        if (!onEvent(e)) return true;
                }
            }
        }
    }
}
