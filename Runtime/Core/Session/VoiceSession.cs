using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Parley.Providers;
using Parley.Session.Actor;
using Parley.Session.Audio;
using Parley.Session.Metrics;
using Parley.Session.Tools;

namespace Parley.Session
{
    /// <summary>
    /// One conversation, independent of the provider: drives an <see cref="IVoiceProvider"/>, feeds the agent's
    /// audio into the playout, keeps the state machine (<see cref="SessionTransitions"/>), turn metrics and the
    /// history of what the player actually heard, runs tools, and owns the one reconnect.
    /// It is an actor: every call here only queues a message (or, for audio, writes into its lane) and returns;
    /// one loop runs the messages in order (<see cref="SessionLoop"/>). Events reach <see cref="EventRaised"/>
    /// through the host's <see cref="IMainThreadDispatcher"/>; the session ends only with a <see cref="Closed"/>
    /// event. See Documentation~/session.md and Documentation~/reliability.md.
    /// </summary>
    public sealed class VoiceSession : IDisposable
    {
        readonly Func<IVoiceProvider> _factory;
        readonly VoiceSessionOptions _options;
        readonly ICaptureFrontEnd _frontEnd;
        readonly SessionCore _core;
        short[] _captureScratch = new short[0];
        int _started;

        public readonly SessionMetrics Metrics = new SessionMetrics();

        /// <summary>Every session event, on the host's main thread (through the dispatcher).</summary>
        public event Action<SessionEvent> EventRaised;

        /// <param name="providerFactory">Makes a provider for each connection (the first and every reconnect).</param>
        /// <param name="playout">The speaker side; null for a text/tool-only session (audio is then dropped).</param>
        /// <param name="frontEnd">Capture conversion for <see cref="SubmitCapture"/>; null when the host sends provider-rate PCM16.</param>
        public VoiceSession(Func<IVoiceProvider> providerFactory, VoiceSessionOptions options, IMainThreadDispatcher dispatcher,
            IAgentPlayout playout = null, ICaptureFrontEnd frontEnd = null, ISessionClock clock = null)
        {
            _factory = providerFactory ?? throw new ArgumentNullException(nameof(providerFactory));
            _options = options ?? new VoiceSessionOptions();
            if (dispatcher == null) throw new ArgumentNullException(nameof(dispatcher));
            _frontEnd = frontEnd;
            Clock = clock ?? new StopwatchClock();
            _core = new SessionCore(_factory, _options, dispatcher, playout, Clock, Metrics, e => EventRaised?.Invoke(e));
            _core.Mailbox.TickHandler = _core.Tick;
            if (_frontEnd != null) _frontEnd.VoiceActivity += OnLocalVoiceActivity;
        }

        public SessionState State => _core.State;
        public ToolRegistry Tools => _options.Tools;
        public ISessionClock Clock { get; }
        /// <summary>The provider of the current connection (replaced on reconnect; null while reconnecting).</summary>
        public IVoiceProvider Provider => _core.Provider;
        public ProviderCapabilities Capabilities => _core.Capabilities;

        /// <summary>True while a reply is expected or streaming (the player is waiting on the agent).</summary>
        public bool AwaitingAgent => _core.AwaitingAgent;

        /// <summary>Player audio waiting to be sent (grows while reconnecting), in samples at the provider input rate.</summary>
        public int PendingInputSamples => _core.Input.Pending;

        /// <summary>The session's own thread or its send lane is still running (tests: both end when the session does).</summary>
        internal bool ThreadsRunning => _core.Mailbox.ThreadAlive || !_core.Input.Stopped.IsCompleted;

        /// <summary>The threads this session started (its loop and send lane, <see cref="SessionLoop.Background"/> only); tests check they end.</summary>
        internal IReadOnlyList<Thread> StartedThreads
        {
            get
            {
                var list = new List<Thread>(2);
                if (_core.Mailbox.LoopThread != null) list.Add(_core.Mailbox.LoopThread);
                if (_core.Input.Thread != null) list.Add(_core.Input.Thread);
                return list;
            }
        }

        /// <summary>How long <see cref="Dispose"/> waits at most for the session's threads to end (they only finish the message or send in hand).</summary>
        public static readonly TimeSpan DisposeJoinBound = TaskJoin.DisposeBound;

        /// <summary>
        /// After <see cref="Dispose"/>: the threads and tasks of the session that had not ended within the bound
        /// ("session loop thread", "OpenAI Realtime receive loop", "tool handler 'x' (call c)"); empty when nothing
        /// was left behind. Before it, empty.
        /// </summary>
        public IReadOnlyList<string> LeftRunning { get; private set; } = new string[0];

        /// <summary>State changes the transition table refused (0 unless the session has a bug; tests check it).</summary>
        public int RefusedTransitions => Volatile.Read(ref _core.RefusedTransitions);

        /// <summary>Per-item entries the session holds (heard-history slots and texts): bounded, however long the session.</summary>
        public int TrackedItems => _core.History.OpenItems;

        /// <summary>The conversation as the player experienced it (interrupted replies cut to what was heard).</summary>
        public List<HistoryItem> History() => _core.History.Snapshot();

        // ───────────────────────────── lifecycle ─────────────────────────────

        /// <summary>
        /// Connects. Throws <see cref="SessionConfigurationException"/> at once when the turn policy or tools are
        /// beyond the provider; the task fails with <see cref="ProviderException"/> when the provider refuses (a
        /// <see cref="Closed"/> event with <see cref="CloseReason.ConnectFailed"/> follows).
        /// </summary>
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.CompareExchange(ref _started, 1, 0) != 0) throw new InvalidOperationException("The session was already started.");
            var provider = _factory() ?? throw new InvalidOperationException("The provider factory returned null.");
            var caps = provider.Capabilities;
            SessionConfig config;
            try { config = BuildConfig(provider); }
            catch (Exception) { provider.Dispose(); _started = 0; throw; }
            var samples = (int)Math.Max(caps.InputSampleRate / 10, _options.Reconnect.MaxBufferedAudio.TotalSeconds * caps.InputSampleRate);
            _core.Input.Configure(samples, caps.InputSampleRate * Math.Max(10, _options.SendChunkMs) / 1000);
            _frontEnd?.Configure(caps.InputSampleRate);
            var started = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _core.Mailbox.Start();
            _core.Mailbox.Post(() => _core.Start(provider, caps, config, started, cancellationToken));
            return started.Task;
        }

        SessionConfig BuildConfig(IVoiceProvider provider)
        {
            var src = _options.Config ?? new SessionConfig();
            var mode = TurnPolicy.Resolve(_options.TurnTaking, provider.Capabilities, provider.Name);
            if (_options.Tools.Count > 0 && !provider.Capabilities.Tools)
                throw new SessionConfigurationException("Provider '" + provider.Name + "' does not support tools; " + _options.Tools.Count + " are registered.");
            var td = src.TurnDetection ?? new TurnDetection();
            var c = new SessionConfig
            {
                Model = src.Model, Voice = src.Voice, Instructions = src.Instructions,
                TurnDetection = new TurnDetection
                {
                    Mode = mode, Threshold = td.Threshold, PrefixPaddingMs = td.PrefixPaddingMs, SilenceDurationMs = td.SilenceDurationMs,
                    Eagerness = td.Eagerness, CreateResponse = td.CreateResponse,
                    InterruptResponse = td.InterruptResponse && _options.BargeIn && provider.Capabilities.FullDuplex,
                    StartSensitivity = td.StartSensitivity, EndSensitivity = td.EndSensitivity,
                },
                InputTranscription = src.InputTranscription, TranscriptionModel = src.TranscriptionModel, Language = src.Language,
                NoiseReduction = src.NoiseReduction, MaxOutputTokens = src.MaxOutputTokens, ResumeHandle = src.ResumeHandle,
            };
            c.Tools.AddRange(_options.Tools.Declarations());
            c.History.AddRange(src.History);
            foreach (var h in src.History) _core.History.Add(h);
            return c;
        }

        /// <summary>Ends the conversation: closes the provider, then raises <see cref="Closed"/> (<see cref="CloseReason.ClosedByHost"/>).</summary>
        public Task CloseAsync(CancellationToken cancellationToken)
        {
            if (State == SessionState.Closed) return Task.CompletedTask;
            var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (State == SessionState.Idle) { Dispose(); return Task.CompletedTask; }
            _core.Mailbox.Post(() => _core.Close(done));
            return WaitBounded(done.Task, cancellationToken);
        }

        static async Task WaitBounded(Task t, CancellationToken cancellationToken)
        {
            // Bounded: a provider that never finishes its disconnect does not hang the host (the lane times it out too).
            await Task.WhenAny(t, Task.Delay(TimeSpan.FromSeconds(10), cancellationToken)).ConfigureAwait(false);
        }

        /// <summary>
        /// Aborts the session: no events; the provider is disposed (its socket's receive loop and watchdog joined) and
        /// the session's threads (Background loop, send lane) and tool handlers running off the main thread are
        /// joined before this returns, waiting at most <see cref="DisposeJoinBound"/> each (they wake at once and
        /// only finish what they hold; a handler that ignores its cancellation is waited for up to the bound). What
        /// was still running then is in <see cref="LeftRunning"/>. A tool result that comes later is dropped. Never
        /// call this from the audio thread.
        /// </summary>
        public void Dispose()
        {
            LeftRunning = _core.Abort(DisposeJoinBound);
            if (_frontEnd != null) _frontEnd.VoiceActivity -= OnLocalVoiceActivity;
        }

        /// <summary>
        /// Runs what other threads queued and the timers that are due, and sends the player's audio written since
        /// (<see cref="SessionLoop.Inline"/>; the background loop and send thread do this by themselves).
        /// <see cref="Tick"/> calls it.
        /// </summary>
        public void RunPending()
        {
            _core.Mailbox.Pump();
            _core.Input.Pump();
        }

        /// <summary>Completes when a reconnect in progress has finished (tests, orderly shutdown).</summary>
        public Task WaitForReconnectAsync() => _core.ReconnectDone;

        // ───────────────────────────── player input ─────────────────────────────

        /// <summary>Player audio already at the provider's input rate, mono PCM16. Copied into its own lane; never blocks on the network.</summary>
        public void SendAudio(ReadOnlySpan<short> pcm) => _core.Input.Write(pcm);

        /// <summary>Engine-rate interleaved microphone frames, converted by the capture front end.</summary>
        public void SubmitCapture(ReadOnlySpan<float> interleaved)
        {
            if (_frontEnd == null) throw new InvalidOperationException("No capture front end: pass one to the constructor, or call SendAudio with provider-rate PCM16.");
            var frames = interleaved.Length / _frontEnd.EngineFormat.Channels;
            var max = _frontEnd.MaxOutputSamples(frames);
            if (_captureScratch.Length < max) _captureScratch = new short[max];
            var n = _frontEnd.Process(interleaved, _captureScratch);
            SendAudio(new ReadOnlySpan<short>(_captureScratch, 0, n));
        }

        /// <summary>Push-to-talk pressed (or a local VAD heard speech). Interrupts a reply that is playing.</summary>
        public void BeginUserTurn()
        {
            RequireManual();
            _core.Mailbox.Post(() => _core.BeginUserTurn(InterruptionSource.Host));
        }

        /// <summary>Push-to-talk released (or the local VAD heard the end of speech): the agent answers.</summary>
        public void EndUserTurn()
        {
            RequireManual();
            _core.Mailbox.Post(() => _core.EndUserTurn(false));
        }

        void RequireManual()
        {
            if (_options.TurnTaking != TurnTaking.PushToTalk && _options.TurnTaking != TurnTaking.LocalVad)
                throw new InvalidOperationException("BeginUserTurn/EndUserTurn need TurnTaking.PushToTalk or LocalVad; this session uses " + _options.TurnTaking + ".");
        }

        void OnLocalVoiceActivity(bool speaking) => _core.Mailbox.Post(() => _core.LocalVoiceActivity(speaking));

        /// <summary>A typed player message; the agent answers it. Completes when the provider took it.</summary>
        public Task SendTextAsync(string text, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(text)) throw new ArgumentException("Text is empty.", nameof(text));
            var caps = Capabilities;
            if (caps == null || !caps.TextInput) throw new SessionConfigurationException("This provider does not take text input.");
            var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _core.Mailbox.Post(() => _core.SendText(text, done));
            return done.Task;
        }

        /// <summary>
        /// Game context the agent should know from now on ("The player picked up the lantern."), <b>without a reply</b>.
        /// Safe at any time: while the agent speaks it is sent at once where the provider allows (OpenAI), otherwise
        /// held until the reply has been generated (Gemini) or until the connection is back (reconnecting). It enters
        /// the history (<see cref="History"/>, saved and restored by the host, replayed to a fresh connection). The
        /// task says what became of it (<see cref="ContextDelivery"/>). See Documentation~/session.md, "Game context".
        /// </summary>
        public Task<ContextDelivery> AddContextAsync(string text, CancellationToken cancellationToken = default)
        {
            if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException("Context is empty.", nameof(text));
            if (State == SessionState.Closed) throw new InvalidOperationException("The session is closed.");
            var done = new TaskCompletionSource<ContextDelivery>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (cancellationToken.CanBeCanceled) cancellationToken.Register(() => done.TrySetCanceled());
            _core.Mailbox.Post(() => _core.AddContext(text, done));
            return done.Task;
        }

        /// <summary>Stops the agent now (game UI, push-to-talk pressed): fades playback, truncates the provider at what was heard.</summary>
        public void Interrupt() => _core.Mailbox.Post(_core.InterruptByHost);

        /// <summary>
        /// Called by the host on its main thread (every frame in Unity, every loop turn in the CLI): turns what
        /// the speaker did since the last call (first audible sample, end of playback) into states and metrics,
        /// renews the connection before the provider's cap, and (<see cref="SessionLoop.Inline"/>) runs what is queued
        /// and sends the player's audio.
        /// </summary>
        public void Tick()
        {
            _core.Mailbox.RequestTick();
            RunPending();
        }
    }
}
