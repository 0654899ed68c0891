using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Parley.Providers;
using Parley.Providers.Connection;
using Parley.Session.Audio;
using Parley.Session.Metrics;
using Parley.Session.Parts;
using Parley.Session.Tools;

namespace Parley.Session.Actor
{
    /// <summary>
    /// The session's state and the handlers of its messages. Every method here runs on the loop
    /// (<see cref="SessionMailbox"/>), one message at a time, so nothing here needs a lock and nothing re-enters:
    /// provider events, host calls, tool results, control-call completions and timers all arrive as messages.
    /// The work is done by the parts (turns, heard history, barge-in, tools, reconnect, the audio lanes);
    /// this class routes and keeps the state machine (<see cref="SessionTransitions"/>).
    /// </summary>
    sealed partial class SessionCore
    {
        readonly Func<IVoiceProvider> _factory;
        readonly VoiceSessionOptions _options;
        readonly IMainThreadDispatcher _dispatcher;
        readonly IAgentPlayout _playout;
        readonly ISessionClock _clock;
        readonly Action<SessionEvent> _raise;
        readonly CancellationTokenSource _life = new CancellationTokenSource();

        public readonly SessionMailbox Mailbox;
        public readonly PlayerAudioLane Input;
        public readonly AgentAudioLane Output;
        public readonly HeardHistory History;
        public readonly SessionMetrics Metrics;
        readonly ProviderControlLane _control;
        readonly TurnTracker _turns;
        readonly BargeIn _bargeIn;
        readonly ToolCalls _tools;
        readonly Reconnector _reconnect;

        volatile SessionState _state = SessionState.Idle;
        volatile IVoiceProvider _provider;
        volatile ProviderCapabilities _caps;
        volatile bool _responseActive;
        volatile TaskCompletionSource<bool> _reconnectDone;
        IVoiceProvider _connecting;
        int _generation;
        SessionConfig _activeConfig;
        string _remoteSessionId, _remoteModel;
        string _responseId;
        string _agentItem;
        bool _userSpeaking;
        TaskCompletionSource<bool> _closing;
        // Game context not yet on the wire (reconnecting, or a reply in progress on a provider where it would cut it).
        readonly List<string> _heldContext = new List<string>();

        public SessionCore(Func<IVoiceProvider> factory, VoiceSessionOptions options, IMainThreadDispatcher dispatcher,
            IAgentPlayout playout, ISessionClock clock, SessionMetrics metrics, Action<SessionEvent> raise)
        {
            _factory = factory;
            _options = options;
            _dispatcher = dispatcher;
            _playout = playout;
            _clock = clock;
            _raise = raise;
            Metrics = metrics;
            Mailbox = new SessionMailbox(options.Loop, clock, OnInternalError);
            _control = new ProviderControlLane(Mailbox, _life.Token);
            Input = new PlayerAudioLane((generation, e) => Mailbox.Post(() => OnSendFailed(generation, e)));
            Output = new AgentAudioLane(playout, item => Mailbox.Post(() => OnItemAudio(item)));
            History = new HeardHistory(options.MaxHistoryItems);
            _turns = new TurnTracker(metrics, Post);
            _bargeIn = new BargeIn(Output, History, _turns, playout, Post);
            _tools = new ToolCalls(options.Tools, dispatcher, Mailbox.Post, _life.Token);
            _reconnect = new Reconnector(options.Reconnect, options.RandomSeed != 0 ? new Random(options.RandomSeed) : new Random());
        }

        // ── snapshots for the host (any thread) ──
        public SessionState State => _state;
        public IVoiceProvider Provider => _provider;
        public ProviderCapabilities Capabilities => _caps;
        public bool AwaitingAgent => _state == SessionState.AgentThinking || _responseActive;
        public Task ReconnectDone => _reconnectDone?.Task ?? Task.CompletedTask;
        public CancellationToken Life => _life.Token;
        /// <summary>State changes the table refused (a bug if ever non-zero).</summary>
        public int RefusedTransitions;

        int OutputRate => _caps?.OutputSampleRate ?? 0;

        // ───────────────────────────── lifecycle ─────────────────────────────

        public void Start(IVoiceProvider provider, ProviderCapabilities caps, SessionConfig config, TaskCompletionSource<bool> started, CancellationToken cancellationToken)
        {
            _caps = caps;
            _activeConfig = config;
            Metrics.SessionStartMs = _clock.NowMs;
            Move(SessionState.Connecting);
            Connect(provider, config, cancellationToken, () =>
            {
                Move(SessionState.Listening);
                Input.Start(_life.Token, _options.Loop == SessionLoop.Background);
                started.TrySetResult(true);
            }, e =>
            {
                provider.Dispose();
                Finish(CloseReason.ConnectFailed, e.Message, e as ProviderException);
                started.TrySetException(e);
            });
        }

        void Connect(IVoiceProvider provider, SessionConfig config, CancellationToken cancellationToken, Action connected, Action<Exception> failed)
        {
            var generation = ++_generation;
            Output.SetGeneration(generation);
            _remoteSessionId = _remoteModel = null;
            _connecting = provider;
            var listener = new ProviderListener(this, generation);
            _control.Enqueue(provider, "connect", (p, ct) => ConnectWithin(p, config, listener, ct, cancellationToken), error =>
            {
                if (generation != _generation || _state == SessionState.Closed) return; // closing: the close disposes it
                _connecting = null;
                if (error != null) { failed(error); return; }
                _provider = provider;
                _caps = provider.Capabilities;
                _reconnect.Connected(_clock.NowMs, _caps.MaxSessionDuration);
                Post(new Connected { Provider = provider.Name, SessionId = _remoteSessionId, Model = _remoteModel, TurnTaking = TurnPolicy.Name(_options.TurnTaking) });
                connected();
                Input.Attach(provider, generation); // last: what was buffered meanwhile is counted before it goes
                FlushContext();
            }, _options.ConnectTimeout);
        }

        async Task ConnectWithin(IVoiceProvider p, SessionConfig config, IProviderListener listener, CancellationToken deadline, CancellationToken caller)
        {
            using (var cts = CancellationTokenSource.CreateLinkedTokenSource(deadline, caller))
            {
                try { await p.ConnectAsync(config, listener, cts.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) when (!caller.IsCancellationRequested && !_life.IsCancellationRequested)
                {
                    throw new ProviderException(ProviderErrorKind.Stalled, "connect_timeout",
                        "The " + p.Name + " server did not accept the session within " + (int)_options.ConnectTimeout.TotalSeconds + " s.");
                }
            }
        }

        /// <summary>The host closes: the provider is disconnected on the control lane, then the session ends.</summary>
        public void Close(TaskCompletionSource<bool> done)
        {
            if (_state == SessionState.Closed) { done.TrySetResult(true); return; }
            if (_closing != null) { _closing.Task.ContinueWith(_ => done.TrySetResult(true), TaskScheduler.Default); return; }
            _closing = done;
            _generation++; // nothing of the current connection counts any more
            Output.SetGeneration(_generation);
            var p = _provider ?? _connecting;
            _provider = _connecting = null;
            Input.Detach();
            if (p == null) { Finish(CloseReason.ClosedByHost, "closed by host", null); return; }
            _control.Enqueue(p, "disconnect", (x, ct) => x.DisconnectAsync(ct), e =>
            {
                p.Dispose();
                Finish(CloseReason.ClosedByHost, "closed by host", null);
            }, TimeSpan.FromSeconds(5));
        }

        /// <summary>The one way a session ends: Closed (with its typed reason) is the last event.</summary>
        void Finish(CloseReason kind, string reason, ProviderException error, ProviderError providerError = null)
        {
            if (_state == SessionState.Closed) return;
            var old = _provider;
            _provider = null;
            Input.Detach();
            if (old != null)
            {
                var dispose = old;
                _control.Enqueue(old, "disconnect", (x, ct) => x.DisconnectAsync(ct), e => dispose.Dispose(), TimeSpan.FromSeconds(2));
            }
            UpdateCounters();
            Metrics.SessionEndMs = _clock.NowMs;
            Move(SessionState.Closed);
            Post(new Closed
            {
                Kind = kind, Reason = reason,
                ErrorKind = error?.Kind ?? providerError?.ErrorKind,
                ErrorCode = error?.Code ?? providerError?.Code,
            });
            _reconnectDone?.TrySetResult(false);
            _closing?.TrySetResult(true);
            _control.WhenIdle(StopLoop); // after the last disconnect
        }

        void StopLoop()
        {
            _life.Cancel();
            Mailbox.Stop();
        }

        /// <summary>
        /// Synchronous teardown (Dispose): no events. Waits at most <paramref name="joinBound"/> for the session's
        /// threads and the tool handlers running off the main thread (the provider waits for its own tasks, bounded
        /// too), and returns what was still running then (empty: nothing was left behind).
        /// </summary>
        public List<string> Abort(TimeSpan joinBound)
        {
            Mailbox.Stop();
            var p = _provider;
            var c = _connecting;
            _provider = _connecting = null;
            var running = new List<string>();
            // The providers first: cancelling a send in flight (the send lane's, on _life) aborts a ClientWebSocket,
            // so the server would see a reset instead of the close the provider sends on its send lane.
            Dispose(p, running);
            Dispose(c, running);
            if (!_life.IsCancellationRequested) _life.Cancel(); // cancels the tool calls: their results are dropped (the mailbox is stopped)
            // The loop first: once it has ended no message can start the send lane after this look at it.
            var deadline = System.Diagnostics.Stopwatch.StartNew();
            if (!Join(Mailbox.LoopThread, joinBound, deadline)) running.Add("session loop thread");
            if (!Join(Input.Thread, joinBound, deadline)) running.Add("send lane thread");
            _tools.JoinHandlers(joinBound, deadline, running);
            return running;
        }

        static void Dispose(IVoiceProvider p, List<string> running)
        {
            if (p == null) return;
            p.Dispose();
            if (p is IBackgroundWork work) running.AddRange(work.RunningTasks);
        }

        static bool Join(Thread t, TimeSpan bound, System.Diagnostics.Stopwatch since)
        {
            // Called from that thread itself (a message disposing its session): it ends after the message.
            if (t == null || t == Thread.CurrentThread) return true;
            var left = bound - since.Elapsed;
            return t.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }

        // ───────────────────────────── events ─────────────────────────────

        void Post(SessionEvent e)
        {
            e.TimeMs = _clock.NowMs;
            _dispatcher.Post(() => _raise(e));
        }

        bool Move(SessionState to)
        {
            var from = _state;
            if (from == to) return true;
            if (!SessionTransitions.IsAllowed(from, to))
            {
                Interlocked.Increment(ref RefusedTransitions);
                return false;
            }
            _state = to;
            Post(new StateChanged { From = from, To = to });
            return true;
        }

        void Error(ProviderErrorKind kind, string code, string message, ErrorRecovery recovery) =>
            Post(new SessionErrorEvent { Kind = kind, Code = code, Message = message, Recovery = recovery, IsFatal = recovery == ErrorRecovery.Closing });

        void OnInternalError(Exception e) =>
            Error(ProviderErrorKind.Internal, "internal", e.GetType().Name + ": " + e.Message, ErrorRecovery.None);

        /// <summary>A control call; a transport failure is the connection's loss, anything else an error the session survives.</summary>
        bool Control(string what, Func<IVoiceProvider, CancellationToken, Task> call, Action<Exception> failed = null, Action succeeded = null)
        {
            var p = _provider;
            if (p == null) return false;
            var generation = _generation;
            _control.Enqueue(p, what, call, e =>
            {
                if (e == null) { succeeded?.Invoke(); return; }
                if (failed != null) failed(e);
                else if (e is ProviderException pe && pe.Kind == ProviderErrorKind.Transport) Lost(generation, pe.Kind, pe.Code, what + " failed: " + pe.Message);
                else if (!(e is OperationCanceledException && _life.IsCancellationRequested))
                {
                    var x = e as ProviderException;
                    Error(x?.Kind ?? ProviderErrorKind.Internal, x?.Code ?? "client_error", what + " failed: " + e.Message, ErrorRecovery.None);
                }
            }, _options.ControlCallTimeout);
            return true;
        }

        // ───────────────────────────── reconnect ─────────────────────────────

        void OnSendFailed(int generation, Exception e)
        {
            var pe = e as ProviderException;
            Lost(generation, pe?.Kind ?? ProviderErrorKind.Transport, pe?.Code ?? "send_failed", "send failed: " + e.Message);
        }

        /// <summary>Connection <paramref name="generation"/> is gone: one reconnect (or the end) per connection, however many ways it was reported.</summary>
        void Lost(int generation, ProviderErrorKind kind, string code, string message)
        {
            if (generation != _generation || _provider == null || _reconnect.LostGeneration == generation || _state == SessionState.Closed) return;
            _reconnect.LostGeneration = generation;
            if (!ConnectionErrors.IsRecoverable(kind))
            {
                Error(kind, code, message, ErrorRecovery.Closing);
                Finish(CloseReason.ProviderRefused, message, null, new ProviderError { ErrorKind = kind, Code = code, Message = message });
                return;
            }
            if (!_options.Reconnect.Enabled)
            {
                Error(kind, code, message, ErrorRecovery.Closing);
                Finish(CloseReason.ConnectionLost, message, null, new ProviderError { ErrorKind = kind, Code = code, Message = message });
                return;
            }
            Error(kind, code, message, ErrorRecovery.Reconnecting);
            BeginReconnect(message, false);
        }

        void BeginReconnect(string reason, bool planned)
        {
            _reconnect.InProgress = true;
            _reconnect.Attempt = 0;
            _reconnect.Reason = reason;
            _reconnect.Planned = planned;
            _reconnectDone = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var old = _provider;
            _provider = null;
            Input.Detach();
            _generation++; // late events and audio of the old connection are ignored from here on
            Output.SetGeneration(_generation);
            if (!planned && _responseActive)
            {
                // The reply in flight is lost with the connection: cut it at what the player heard.
                var now = _clock.NowMs;
                _bargeIn.Cut(_agentItem ?? Output.Current, InterruptionSource.ConnectionLost, now, now, OutputRate);
                _responseActive = false;
                _agentItem = null;
            }
            Move(SessionState.Reconnecting);
            if (old != null)
                _control.Enqueue(old, "disconnect", (p, ct) => p.DisconnectAsync(ct), e => old.Dispose(), TimeSpan.FromSeconds(2));
            NextAttempt();
        }

        void NextAttempt()
        {
            var attempt = ++_reconnect.Attempt;
            var byHandle = _reconnect.CanResume(_caps);
            var delay = _reconnect.DelayFor(attempt, _reconnect.Planned);
            _reconnect.Mode = byHandle ? ReconnectMode.Resume : ReconnectMode.Fresh;
            Post(new ReconnectingEvent { Attempt = attempt, Reason = _reconnect.Reason, DelayMs = delay.TotalMilliseconds, Mode = _reconnect.Mode, Planned = _reconnect.Planned });
            Mailbox.Schedule(_clock.NowMs + delay.TotalMilliseconds, () => Attempt(attempt, byHandle));
        }

        void Attempt(int attempt, bool byHandle)
        {
            if (_state != SessionState.Reconnecting) return;
            IVoiceProvider next;
            try { next = _factory() ?? throw new InvalidOperationException("The provider factory returned null."); }
            catch (Exception e) { AttemptFailed(attempt, byHandle, e); return; }
            var config = _reconnect.ConfigFor(_activeConfig, byHandle, History.Snapshot());
            if (!byHandle) _heldContext.Clear(); // a fresh connection is seeded with the history, which holds it
            Connect(next, config, CancellationToken.None, () => Reconnected(attempt, byHandle), e =>
            {
                next.Dispose();
                AttemptFailed(attempt, byHandle, e);
            });
        }

        void AttemptFailed(int attempt, bool byHandle, Exception e)
        {
            var pe = e as ProviderException;
            var kind = pe?.Kind ?? ProviderErrorKind.Transport;
            var message = "Reconnect attempt " + attempt + " failed: " + e.Message;
            if (kind == ProviderErrorKind.Authentication || (!byHandle && !ConnectionErrors.IsRecoverable(kind)))
            {
                Error(kind, pe?.Code ?? "reconnect_refused", message, ErrorRecovery.Closing);
                Finish(CloseReason.ProviderRefused, message, pe);
                return;
            }
            if (byHandle) _reconnect.ResumeRefused(); // the next attempt starts fresh with the history
            if (!_reconnect.MoreAttempts(attempt))
            {
                Error(ProviderErrorKind.Transport, "reconnect_failed", "Could not reconnect: " + e.Message, ErrorRecovery.Closing);
                Finish(CloseReason.ReconnectFailed, "reconnect failed: " + e.Message, pe);
                return;
            }
            Error(kind, pe?.Code ?? "reconnect_attempt_failed", message, ErrorRecovery.Reconnecting);
            NextAttempt();
        }

        void Reconnected(int attempt, bool byHandle)
        {
            Metrics.Reconnects++;
            var held = _tools.TakeHeld();
            // A reply that had fully arrived before the loss may still be playing: the turn goes on where it was.
            var playing = _agentItem != null && !ReplyPlayedOut();
            Move(playing ? SessionState.AgentSpeaking : _tools.Running > 0 || held.Count > 0 ? SessionState.AgentThinking : SessionState.Listening);
            Post(new ReconnectedEvent
            {
                ByHandle = byHandle, Attempts = attempt, BufferedAudioMs = Input.Pending * 1000.0 / Math.Max(1, _caps.InputSampleRate),
                DroppedAudioSamples = Input.Dropped, QueuedToolResults = held.Count,
            });
            foreach (var r in held) SendToolResult(r);
            _reconnectDone?.TrySetResult(true);
        }

        void CheckRenewal()
        {
            if (_provider == null || _state == SessionState.Closed) return;
            if (_reconnect.RenewDue(_clock.NowMs, _state == SessionState.Listening, out var reason)) BeginReconnect(reason, true);
        }

        // ───────────────────────────── tools ─────────────────────────────

        void StartTool(ToolCallRequested c)
        {
            History.Add(new HistoryItem(HistoryRole.ToolCall, c.ArgumentsJson) { CallId = c.CallId, ToolName = c.Name });
            if (_state == SessionState.Listening) Move(SessionState.AgentThinking);
            Post(new ToolCallStarted { CallId = c.CallId, ToolName = c.Name, ArgumentsJson = c.ArgumentsJson });
            _tools.Start(c, ToolFinished);
        }

        void ToolFinished(ToolResult result)
        {
            // After the end (a result late for a closed session): dropped, the model never gets it.
            if (_state == SessionState.Closed || _life.IsCancellationRequested) return;
            _turns.ToolDuration(result.DurationMs);
            History.Add(new HistoryItem(HistoryRole.ToolResult, result.ResultJson) { CallId = result.CallId, ToolName = result.Name });
            var queued = _provider == null;
            if (queued) _tools.Hold(result);
            Post(new ToolCallFinished
            {
                CallId = result.CallId, ToolName = result.Name, ResultJson = result.ResultJson,
                Outcome = result.Outcome, DurationMs = result.DurationMs, Queued = queued,
            });
            if (!queued) SendToolResult(result);
        }

        void SendToolResult(ToolResult result)
        {
            _turns.RequestAtMs = _clock.NowMs;
            _turns.EnsureOpen("tool_result", _turns.RequestAtMs);
            if (_state == SessionState.Listening) Move(SessionState.AgentThinking);
            var generation = _generation;
            Control("tool result", (p, ct) => p.SendToolResultAsync(result.CallId, result.Name, result.ResultJson, ct), e =>
            {
                if (e is OperationCanceledException && _life.IsCancellationRequested) return;
                var pe = e as ProviderException;
                if (pe != null && pe.Kind != ProviderErrorKind.Transport)
                {
                    Error(pe.Kind, pe.Code, "tool result refused: " + pe.Message, ErrorRecovery.None);
                    return;
                }
                // Not dropped: it goes out on the next connection.
                _tools.Hold(result);
                Lost(generation, ProviderErrorKind.Transport, pe?.Code ?? "tool_result_failed", "tool result send failed: " + e.Message);
            });
        }
    }
}
