using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Parley.Providers.Auth;
using Parley.Transport;

namespace Parley.Providers.Connection
{
    /// <summary>
    /// The one connection skeleton of the WebSocket providers (OpenAI Realtime, Gemini Live, NIM realtime):
    /// credentials, endpoint policy, upgrade and setup exchange under one timeout, a send lane, a receive loop,
    /// a stall watchdog, and one end per connection (its typed error, then <see cref="OnEnded"/> exactly once,
    /// typed by <see cref="ConnectionErrors"/>). Subclasses only map wire messages to events: they build the request
    /// (<see cref="PrepareRequest"/>), send their setup (<see cref="OnOpenedAsync"/>), read each message
    /// (<see cref="OnMessageAsync"/>) and say when the setup is accepted (<see cref="CompleteHandshake"/>).
    /// A connection never reconnects: whoever owns the provider decides. Dispose leaves nothing running: it waits
    /// (bounded, <see cref="ConnectionSettings.DisposeBound"/>) for the receive loop and the watchdog, and names those that
    /// had not ended in <see cref="RunningTasks"/>.
    /// </summary>
    public abstract class WebSocketConnection : IDisposable, IBackgroundWork
    {
        protected readonly ConnectionSettings Settings;
        readonly SemaphoreSlim _sendLane = new SemaphoreSlim(1, 1);
        readonly object _gate = new object();
        readonly IConnectionClock _clock;
        MessageBuffer _buffer;
        TaskCompletionSource<bool> _rearm = NewSignal();
        bool _expecting;
        long _limitMs;
        string _stallCode = "stalled";
        long _lastActivityMs;
        // The current connection; a loop or watchdog of an older one only ever ends its own.
        Link _link;
        // Set inside the receive loop's and the watchdog's own flow: a Dispose from there (a listener that disposes)
        // must not wait for the task it runs on.
        readonly AsyncLocal<object> _runningIn = new AsyncLocal<object>();

        /// <summary>One connection's own state: ending it is once, and never touches a newer one.</summary>
        sealed class Link
        {
            public IWebSocketTransport Transport;
            public CancellationTokenSource Life;
            public TaskCompletionSource<bool> Handshake;
            public bool Opened;
            public int Ended;
            public volatile bool ClosingByClient;
            public Task Receive = Task.CompletedTask;
            public Task Watchdog = Task.CompletedTask;
            // What the receive loop's and the watchdog's flows are marked with (Task.Run returns their tasks too late).
            public readonly object ReceiveMark = new object(), WatchdogMark = new object();
        }

        protected WebSocketConnection(ConnectionSettings settings)
        {
            Settings = settings ?? throw new ArgumentNullException(nameof(settings));
            _clock = settings.Clock ?? SystemConnectionClock.Instance;
        }

        /// <summary>Open, set up, and not ended.</summary>
        public bool IsOpen
        {
            get
            {
                var link = _link;
                if (link == null) return false;
                lock (_gate) return link.Opened && Volatile.Read(ref link.Ended) == 0 && link.Transport.IsOpen;
            }
        }

        /// <summary>The received message being handled (valid during <see cref="OnMessageAsync"/> only).</summary>
        protected MessageBuffer ReceiveBuffer => _buffer;

        protected IConnectionClock Clock => _clock;

        /// <summary>
        /// Connects and runs the setup exchange. Throws <see cref="ProviderException"/> typed by the error table
        /// (no <see cref="OnEnded"/> for a connection that never opened).
        /// </summary>
        protected async Task OpenAsync(CancellationToken cancellationToken)
        {
            // A new connection replaces an open one: the old one ends first (as a close we asked for).
            Abort();
            Credential credential = default;
            if (Settings.Credentials != null)
            {
                try { credential = await Settings.Credentials.GetAsync(cancellationToken).ConfigureAwait(false); }
                catch (OperationCanceledException) { throw; }
                catch (ProviderException) { throw; }
                catch (Exception e) { throw new ProviderException(ProviderErrorKind.Authentication, "credential_source_failed", "The credential source failed: " + e.Message, e); }
            }
            if (Settings.CredentialRequired && credential.IsEmpty)
                throw new ProviderException(ProviderErrorKind.Authentication, "no_credentials", "The credential source returned no key or token.");

            var options = new WebSocketConnectOptions
            {
                MaxMessageBytes = Settings.MaxMessageBytes,
                ConnectTimeout = Settings.HandshakeTimeout,
                KeepAliveInterval = Settings.KeepAliveInterval,
            };
            var uri = PrepareRequest(credential, options);
            try { EndpointSecurity.Check(uri, Settings.AllowInsecure); }
            catch (TransportException e) { throw ConnectionErrors.ToException(e); }

            var transport = (Settings.TransportFactory ?? (() => new ClientWebSocketTransport()))();
            try { await transport.ConnectAsync(uri, options, cancellationToken).ConfigureAwait(false); }
            catch (TransportException e)
            {
                transport.Dispose();
                throw ConnectionErrors.ToException(e);
            }
            catch
            {
                transport.Dispose();
                throw;
            }

            var link = new Link
            {
                Transport = transport,
                Life = new CancellationTokenSource(),
                Handshake = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously),
            };
            var life = link.Life;
            var handshake = link.Handshake;
            lock (_gate)
            {
                _expecting = false;
                _lastActivityMs = _clock.NowMs;
                if (_buffer == null || _buffer.Limit < Settings.MaxMessageBytes)
                    _buffer = new MessageBuffer(Math.Min(64 * 1024, Settings.MaxMessageBytes), Math.Max(64 * 1024, Settings.MaxMessageBytes));
                _link = link;
            }
            link.Receive = Task.Run(() => ReceiveLoop(link));
            link.Watchdog = Task.Run(() => Watchdog(link));

            try
            {
                await OnOpenedAsync(cancellationToken).ConfigureAwait(false);
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(life.Token, cancellationToken))
                {
                    var timeout = _clock.WaitUntilAsync(_clock.NowMs + (long)Settings.HandshakeTimeout.TotalMilliseconds, wait.Token);
                    await Task.WhenAny(handshake.Task, timeout).ConfigureAwait(false);
                    wait.Cancel();
                }
                if (!handshake.Task.IsCompleted)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    throw new ProviderException(ProviderErrorKind.Stalled, "handshake_timeout",
                        Settings.PeerName + " did not accept the session within " + Settings.HandshakeTimeout.TotalSeconds + " s.");
                }
                await handshake.Task.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // The server's own reason (a close during setup, seen by the loop) explains better than a failed send.
                // A send can fail on a server that closed before the loop has read the close frame (Gemini closes a bad
                // key with 1008 right after the upgrade): let the loop read it. It ends at once on a dead socket; the
                // bound is only for a transport that fails sends but still blocks receiving.
                if ((e is TransportException || (e is ProviderException failed && failed.Kind == ProviderErrorKind.Transport)) && !handshake.Task.IsCompleted)
                    await Task.WhenAny(handshake.Task, link.Receive, Task.Delay(SetupCloseGraceMs)).ConfigureAwait(false);
                var seen = handshake.Task.IsFaulted ? handshake.Task.Exception.InnerException as ProviderException : null;
                End(link, null, 1000, "setup failed", true);
                if (seen != null && !ReferenceEquals(seen, e)) throw seen;
                if (e is TransportException te) throw ConnectionErrors.ToException(te);
                throw;
            }
        }

        const int SetupCloseGraceMs = 5000;

        /// <summary>The endpoint to connect to, with the credential placed where the vendor wants it (header, subprotocol, query).</summary>
        protected abstract Uri PrepareRequest(Credential credential, WebSocketConnectOptions options);

        /// <summary>Sends the setup (session.update, setup...). The receive loop already runs.</summary>
        protected abstract Task OnOpenedAsync(CancellationToken cancellationToken);

        /// <summary>One whole message, on the receive task. An exception is reported (non-fatal) and the loop goes on.</summary>
        protected abstract Task OnMessageAsync(ReadOnlySpan<byte> message, MessageKind kind);

        /// <summary>
        /// Exactly once per opened connection, when it ends: <paramref name="e"/>.Error is null for a close we asked for.
        /// Runs on whichever task ended it; the connection does nothing more afterwards.
        /// </summary>
        protected abstract void OnEnded(Disconnected e);

        /// <summary>
        /// A typed error for the listener: a handler bug the loop caught (not fatal), or the cause of the end
        /// (fatal; raised just before <see cref="OnEnded"/>, whose Disconnected.Error is the same object).
        /// </summary>
        protected abstract void OnError(ProviderError e);

        /// <summary>The server accepted the setup: <see cref="OpenAsync"/> returns.</summary>
        protected void CompleteHandshake()
        {
            var link = _link;
            if (link == null) return;
            lock (_gate)
            {
                if (link.Handshake.Task.IsCompleted || link.Ended != 0) return;
                link.Opened = true;
            }
            link.Handshake.TrySetResult(true);
        }

        /// <summary>The server refused the setup: <see cref="OpenAsync"/> throws this.</summary>
        protected void FailHandshake(ProviderException e) => _link?.Handshake.TrySetException(e);

        protected bool HandshakeDone
        {
            get
            {
                var link = _link;
                lock (_gate) return link != null && link.Opened;
            }
        }

        /// <summary>
        /// Arms (true) or disarms the stall watchdog: armed while the server owes us something (a reply, a result).
        /// Arming starts the silence count now.
        /// </summary>
        protected void ExpectServer(bool expecting) => ExpectServer(expecting, Settings.StallTimeout, "stalled");

        /// <summary>
        /// Arms the watchdog with its own limit and code (e.g. Gemini's goAway: silence past the announced
        /// deadline ends the connection as "go_away_deadline").
        /// </summary>
        protected void ExpectServer(bool expecting, TimeSpan limit, string code)
        {
            TaskCompletionSource<bool> rearm;
            var limitMs = (long)limit.TotalMilliseconds;
            lock (_gate)
            {
                if (_expecting == expecting && (!expecting || (_limitMs == limitMs && _stallCode == code))) return;
                if (expecting && !_expecting) _lastActivityMs = _clock.NowMs;
                _expecting = expecting;
                _limitMs = limitMs;
                _stallCode = code;
                rearm = _rearm;
                _rearm = NewSignal();
            }
            rearm.TrySetResult(true);
        }

        // ---------------------------------------------------------------- sending

        /// <summary>Sends one message on the send lane (audio and control never interleave mid-message).</summary>
        protected Task SendJsonAsync(string json, CancellationToken cancellationToken) =>
            SendAsync(Encoding.UTF8.GetBytes(json), MessageKind.Text, cancellationToken).AsTask();

        protected ValueTask SendAsync(ReadOnlyMemory<byte> message, MessageKind kind, CancellationToken cancellationToken) =>
            SendBuiltAsync(m => m, message, kind, cancellationToken);

        /// <summary>
        /// Builds the message inside the send lane (a reused buffer stays the lane's own) and sends it.
        /// Failures are <see cref="ProviderException"/>s typed by the error table.
        /// </summary>
        protected async ValueTask SendBuiltAsync<T>(Func<T, ReadOnlyMemory<byte>> build, T state, MessageKind kind, CancellationToken cancellationToken)
        {
            var link = _link;
            if (link == null || Volatile.Read(ref link.Ended) != 0)
                throw new ProviderException(ProviderErrorKind.Transport, "not_connected", "Not connected to " + Settings.PeerName + ".");
            var transport = link.Transport;
            await _sendLane.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await transport.SendAsync(build(state), kind, cancellationToken).ConfigureAwait(false);
            }
            catch (TransportException e) { throw ConnectionErrors.ToException(e); }
            // The connection ended under the send (a socket disposed mid-send reports a cancellation).
            catch (Exception e) when (e is ObjectDisposedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new ProviderException(ProviderErrorKind.Transport, "not_connected", "The connection to " + Settings.PeerName + " closed during the send.", e);
            }
            finally { _sendLane.Release(); }
        }

        // ---------------------------------------------------------------- closing

        /// <summary>Closes with 1000 and waits (bounded) for the loop; <see cref="OnEnded"/> gets ByClient = true.</summary>
        public async Task CloseAsync(CancellationToken cancellationToken)
        {
            var link = _link;
            if (link == null || Volatile.Read(ref link.Ended) != 0) return;
            var transport = link.Transport;
            link.ClosingByClient = true;
            try
            {
                using (var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    limit.CancelAfter(TimeSpan.FromSeconds(2));
                    await transport.CloseAsync(1000, "bye", limit.Token).ConfigureAwait(false);
                    // The server answers the close; the loop sees it and stops. Bounded: a dead server does not answer.
                    await Task.WhenAny(link.Receive, Task.Delay(Timeout.Infinite, limit.Token)).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is TransportException || e is OperationCanceledException || e is ObjectDisposedException) { }
            End(link, null, 1000, "closed by client", true);
        }

        /// <summary>Ends at once without a close handshake (interruption of a per-reply stream, dispose).</summary>
        public void Abort()
        {
            var link = _link;
            if (link == null) return;
            link.ClosingByClient = true;
            End(link, null, 1000, "aborted by client", true);
        }

        /// <summary>
        /// Ends at once (as <see cref="Abort"/>), then waits at most <see cref="ConnectionSettings.DisposeBound"/> for the
        /// receive loop and the watchdog (not for the one it is called from). <see cref="RunningTasks"/> names those
        /// still running afterwards.
        /// </summary>
        public virtual void Dispose()
        {
            var link = _link;
            var since = Stopwatch.StartNew();
            var inside = _runningIn.Value;
            var inReceive = link != null && ReferenceEquals(inside, link.ReceiveMark);
            // The loop reads up to the server's answer to the close: aborting on unread data would reset the socket
            // (the server would see a drop, not the close). Half the bound at most; a silent server is then aborted.
            if (link != null && SayGoingAway(link, since) && !inReceive)
                TaskJoin.Wait(new[] { link.Receive }, TimeSpan.FromTicks(Settings.DisposeBound.Ticks / 2), since);
            Abort();
            if (link == null) return;
            var tasks = new List<Task>(2);
            if (!inReceive) tasks.Add(link.Receive);
            if (!ReferenceEquals(inside, link.WatchdogMark)) tasks.Add(link.Watchdog);
            TaskJoin.Wait(tasks, Settings.DisposeBound, since);
        }

        /// <summary>
        /// An open socket being disposed tells the server first (1001, going away) rather than just dropping: the
        /// close frame goes out on the send lane (never across a message), within the dispose bound. Best effort.
        /// Started off the calling thread: a transport that awaits without ConfigureAwait(false) (NativeWebSocket 1.x)
        /// would otherwise need the very (main) thread that waits here.
        /// </summary>
        bool SayGoingAway(Link link, Stopwatch since)
        {
            if (Volatile.Read(ref link.Ended) != 0 || !link.Transport.IsOpen || Settings.DisposeBound <= TimeSpan.Zero) return false;
            link.ClosingByClient = true;
            try
            {
                if (!_sendLane.Wait(Settings.DisposeBound - since.Elapsed)) return false;
                try
                {
                    var transport = link.Transport;
                    // Not disposed here: a close that outlives the wait may still register on its token (throws on Mono).
                    var limit = new CancellationTokenSource(Settings.DisposeBound - since.Elapsed);
                    // A thread of its own (LongRunning), not the pool: a game's busy pool (a tool handler blocking one of
                    // its threads) held the close past the bound and the server saw a drop (a loaded CI run).
                    var close = Task.Factory.StartNew(() => transport.CloseAsync(1001, "going away", limit.Token), CancellationToken.None,
                        TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
                    return close.Wait(Settings.DisposeBound - since.Elapsed);
                }
                finally { _sendLane.Release(); }
            }
            catch (Exception e) when (e is AggregateException || e is ArgumentOutOfRangeException || e is ObjectDisposedException) { return false; }
        }

        /// <summary>The current (or last) connection's receive loop and watchdog, by name, while they run.</summary>
        public IReadOnlyList<string> RunningTasks
        {
            get
            {
                var list = new List<string>(2);
                var link = _link;
                if (link == null) return list;
                if (!link.Receive.IsCompleted) list.Add(Settings.PeerName + " receive loop");
                if (!link.Watchdog.IsCompleted) list.Add(Settings.PeerName + " stall watchdog");
                return list;
            }
        }

        void End(Link link, ProviderError error, int status, string reason, bool byClient)
        {
            if (Interlocked.Exchange(ref link.Ended, 1) != 0) return;
            bool opened;
            TaskCompletionSource<bool> rearm;
            lock (_gate)
            {
                opened = link.Opened;
                rearm = _rearm;
            }
            // Never opened: OpenAsync throws this instead of an end event (set before the cancel wakes it).
            if (!opened)
                link.Handshake.TrySetException(error != null ? ConnectionErrors.ToException(error)
                    : new ProviderException(ProviderErrorKind.Transport, "closed", "The connection closed before the session was set up."));
            rearm.TrySetResult(true);
            try { link.Life.Cancel(); } catch (ObjectDisposedException) { }
            link.Transport.Dispose();
            if (!opened) return;
            // The session's contract: the typed error first, then the one Disconnected carrying the same object.
            if (!byClient && error != null) OnError(error);
            OnEnded(new Disconnected
            {
                CloseStatus = status,
                Reason = reason,
                ByClient = byClient,
                Error = byClient ? null : error,
                Recoverable = !byClient && error != null && error.Recoverable,
            });
        }

        /// <summary>Ends the connection for a reason found while reading a message (e.g. a fatal server error event).</summary>
        protected void Fail(ProviderError error, int status = 1006)
        {
            var link = _link;
            if (link != null) End(link, error, status, error.Message, false);
        }

        async Task ReceiveLoop(Link link)
        {
            _runningIn.Value = link.ReceiveMark;
            var transport = link.Transport;
            var life = link.Life.Token;
            var buffer = _buffer;
            while (true)
            {
                ReceivedMessage m;
                try
                {
                    m = await transport.ReceiveAsync(buffer, life).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException || e is ObjectDisposedException)
                {
                    End(link, null, 1000, "aborted", true);
                    return;
                }
                catch (TransportException e)
                {
                    if (link.ClosingByClient || life.IsCancellationRequested) End(link, null, 1000, "closed by client", true);
                    else End(link, ConnectionErrors.FromTransport(e), 1006, e.Message, false);
                    return;
                }
                // A connection ended meanwhile (abort, stall, a newer connection) reads nothing more.
                if (life.IsCancellationRequested) return;
                lock (_gate) _lastActivityMs = _clock.NowMs;
                if (m.Kind == MessageKind.Close)
                {
                    if (link.ClosingByClient) End(link, null, m.CloseStatus, m.CloseReason, true);
                    else End(link, ConnectionErrors.FromClose(m.CloseStatus, m.CloseReason), m.CloseStatus, m.CloseReason, false);
                    return;
                }
                try
                {
                    await OnMessageAsync(buffer.Span.Slice(0, m.Count), m.Kind).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (life.IsCancellationRequested) { }
                catch (ProviderException e) when (e.Kind == ProviderErrorKind.Transport && Volatile.Read(ref link.Ended) != 0) { }
                catch (ProviderException e) when (!link.Opened)
                {
                    link.Handshake.TrySetException(e);
                }
                catch (Exception e)
                {
                    // A handler or listener bug must not kill the connection.
                    OnError(ConnectionErrors.Error(ProviderErrorKind.Protocol, "handler_failed", e.GetType().Name + ": " + e.Message, false));
                }
                if (Volatile.Read(ref link.Ended) != 0) return;
            }
        }

        async Task Watchdog(Link link)
        {
            _runningIn.Value = link.WatchdogMark;
            var life = link.Life.Token;
            while (!life.IsCancellationRequested)
            {
                long due;
                Task rearm;
                lock (_gate)
                {
                    due = _expecting ? _lastActivityMs + _limitMs : long.MaxValue;
                    rearm = _rearm.Task;
                }
                // One wait per arm/disarm (control path, not per message); cancelled so no wait outlives its turn.
                using (var turn = CancellationTokenSource.CreateLinkedTokenSource(life))
                {
                    await Task.WhenAny(_clock.WaitUntilAsync(due, turn.Token), rearm).ConfigureAwait(false);
                    turn.Cancel();
                }
                if (life.IsCancellationRequested) return;
                bool stalled;
                long limit;
                string code;
                lock (_gate)
                {
                    limit = _limitMs;
                    code = _stallCode;
                    stalled = _expecting && _clock.NowMs - _lastActivityMs >= limit;
                }
                if (stalled)
                {
                    var error = ConnectionErrors.Stalled(Settings.PeerName, TimeSpan.FromMilliseconds(limit));
                    error.Code = code;
                    End(link, error, 1006, "stalled", false);
                    return;
                }
            }
        }

        static TaskCompletionSource<bool> NewSignal() => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
