using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Parley.Providers;
using Parley.Session.Audio;
using Parley.Session.Metrics;
using Parley.Session.Tools;

namespace Parley.Session
{
    /// <summary>
    /// One conversation, independent of the provider: drives an <see cref="IVoiceProvider"/>, feeds the
    /// agent's audio into the playout, keeps the state machine, turn metrics and the history of what the
    /// player actually heard, runs tools, and reconnects. Every <see cref="EventRaised"/> call happens through
    /// the host's <see cref="IMainThreadDispatcher"/>.
    /// Threads: provider events arrive on the provider's receive task; <see cref="SendAudio"/>,
    /// <see cref="Tick"/> and the turn methods are called by the host (main thread); player audio goes out on
    /// the session's send task; the audio thread only touches the playout.
    /// </summary>
    public sealed class VoiceSession : IDisposable
    {
        readonly Func<IVoiceProvider> _factory;
        readonly VoiceSessionOptions _options;
        readonly IMainThreadDispatcher _dispatcher;
        readonly IAgentPlayout _playout;
        readonly ICaptureFrontEnd _frontEnd;
        readonly ISessionClock _clock;
        readonly object _gate = new object();
        readonly Random _random;
        readonly CancellationTokenSource _life = new CancellationTokenSource();

        IVoiceProvider _provider;
        ProviderCapabilities _caps;
        int _generation;
        SessionState _state = SessionState.Idle;
        SessionConfig _activeConfig;
        string _resumeHandle;
        string _remoteSessionId, _remoteModel;
        double _connectedAtMs;
        double _renewAtMs = double.PositiveInfinity;
        bool _renewRequested;
        string _renewReason;
        bool _reconnecting;
        /// <summary>The provider is resuming by itself (Gemini handles): hold audio and tool results until Resumed.</summary>
        bool _providerResuming;

        // Player audio lane.
        InputBacklog _input;
        short[] _sendChunk;
        short[] _captureScratch = new short[0];
        readonly SemaphoreSlim _sendSignal = new SemaphoreSlim(0);
        Task _sendLoop;
        Task _reconnectTask;

        // Agent reply tracking (guarded by _gate).
        bool _responseActive;
        string _responseId;
        string _agentItemId;
        bool _userSpeaking;
        readonly Dictionary<string, long> _receivedSamples = new Dictionary<string, long>();
        readonly Dictionary<string, StringBuilder> _agentText = new Dictionary<string, StringBuilder>();
        readonly HashSet<string> _droppedItems = new HashSet<string>();
        TurnMetrics _turn;
        double _requestAtMs = double.NaN;
        double _userStoppedAtMs = double.NaN;
        double _interruptedAtMs;
        int _turnIndex;
        int _pendingToolCalls;
        /// <summary>Tool calls in the current response: its done then means "waiting for results", not "turn over".</summary>
        int _responseToolCalls;

        // Conversation as heard, and tool plumbing.
        readonly List<HistoryItem> _history = new List<HistoryItem>();
        readonly Dictionary<string, HistoryItem> _userItems = new Dictionary<string, HistoryItem>();
        readonly Queue<ToolResult> _queuedResults = new Queue<ToolResult>();
        readonly Dictionary<string, CancellationTokenSource> _runningTools = new Dictionary<string, CancellationTokenSource>();

        public readonly SessionMetrics Metrics = new SessionMetrics();

        /// <summary>Every session event, on the host's main thread.</summary>
        public event Action<SessionEvent> EventRaised;

        /// <param name="providerFactory">Makes a provider for each connection (the first and every reconnect).</param>
        /// <param name="playout">The speaker side; null for a text/tool-only session (audio is then dropped).</param>
        /// <param name="frontEnd">Capture conversion for <see cref="SubmitCapture"/>; null when the host sends provider-rate PCM16.</param>
        public VoiceSession(Func<IVoiceProvider> providerFactory, VoiceSessionOptions options, IMainThreadDispatcher dispatcher,
            IAgentPlayout playout = null, ICaptureFrontEnd frontEnd = null, ISessionClock clock = null)
        {
            _factory = providerFactory ?? throw new ArgumentNullException(nameof(providerFactory));
            _options = options ?? new VoiceSessionOptions();
            _dispatcher = dispatcher ?? throw new ArgumentNullException(nameof(dispatcher));
            _playout = playout;
            _frontEnd = frontEnd;
            _clock = clock ?? new StopwatchClock();
            _random = _options.RandomSeed != 0 ? new Random(_options.RandomSeed) : new Random();
            if (_frontEnd != null) _frontEnd.VoiceActivity += OnLocalVoiceActivity;
        }

        public SessionState State { get { lock (_gate) return _state; } }
        public ToolRegistry Tools => _options.Tools;
        public ISessionClock Clock => _clock;
        /// <summary>The provider of the current connection (replaced on reconnect).</summary>
        public IVoiceProvider Provider { get { lock (_gate) return _provider; } }
        public ProviderCapabilities Capabilities { get { lock (_gate) return _caps; } }

        /// <summary>True while a reply is expected or streaming (the player is waiting on the agent).</summary>
        public bool AwaitingAgent { get { lock (_gate) return _state == SessionState.AgentThinking || _responseActive; } }

        /// <summary>Player audio waiting to be sent (grows while reconnecting), in samples at the provider input rate.</summary>
        public int PendingInputSamples => _input?.Count ?? 0;

        /// <summary>The conversation as the player experienced it (interrupted replies cut to what was heard).</summary>
        public List<HistoryItem> History()
        {
            lock (_gate)
            {
                var copy = new List<HistoryItem>(_history.Count);
                foreach (var h in _history)
                    if (!string.IsNullOrEmpty(h.Text)) copy.Add(new HistoryItem(h.Role, h.Text) { CallId = h.CallId, ToolName = h.ToolName });
                return copy;
            }
        }

        // ───────────────────────────── lifecycle ─────────────────────────────

        /// <summary>
        /// Connects. Throws <see cref="SessionConfigurationException"/> when the turn policy is beyond the provider,
        /// <see cref="ProviderException"/> when the provider refuses, <see cref="OperationCanceledException"/> on cancel.
        /// </summary>
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            IVoiceProvider provider;
            lock (_gate)
            {
                if (_state != SessionState.Idle) throw new InvalidOperationException("The session was already started.");
                provider = _factory() ?? throw new InvalidOperationException("The provider factory returned null.");
                _caps = provider.Capabilities;
                try { _activeConfig = BuildConfig(provider); }
                catch (Exception) { provider.Dispose(); throw; }
                var samples = (int)Math.Max(_caps.InputSampleRate / 10, _options.Reconnect.MaxBufferedAudio.TotalSeconds * _caps.InputSampleRate);
                _input = new InputBacklog(samples);
                _sendChunk = new short[Math.Max(1, _caps.InputSampleRate * Math.Max(10, _options.SendChunkMs) / 1000)];
                _frontEnd?.Configure(_caps.InputSampleRate);
                Metrics.SessionStartMs = _clock.NowMs;
                SetState(SessionState.Connecting);
            }
            try
            {
                await ConnectProviderAsync(provider, _activeConfig, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception)
            {
                provider.Dispose();
                lock (_gate) { SetState(SessionState.Closed); Post(new Closed { Reason = "connect failed" }); }
                throw;
            }
            lock (_gate) SetState(SessionState.Listening);
            _sendLoop = Task.Run(() => SendLoopAsync(_life.Token));
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
            lock (_gate) _history.AddRange(src.History);
            return c;
        }

        async Task ConnectProviderAsync(IVoiceProvider provider, SessionConfig config, CancellationToken cancellationToken)
        {
            int generation;
            lock (_gate)
            {
                generation = ++_generation;
                _remoteSessionId = _remoteModel = null;
            }
            using (var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _life.Token))
            {
                cts.CancelAfter(_options.ConnectTimeout);
                try
                {
                    await provider.ConnectAsync(config, new Listener(this, generation), cts.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_life.IsCancellationRequested)
                {
                    throw new ProviderException(ProviderErrorKind.Stalled, "connect_timeout",
                        "The " + provider.Name + " server did not accept the session within " + (int)_options.ConnectTimeout.TotalSeconds + " s.");
                }
            }
            lock (_gate)
            {
                _provider = provider;
                _caps = provider.Capabilities;
                _connectedAtMs = _clock.NowMs;
                var cap = _options.Reconnect.MaxSessionDuration > TimeSpan.Zero ? _options.Reconnect.MaxSessionDuration : _caps.MaxSessionDuration;
                _renewAtMs = _options.Reconnect.RenewAtMs(_connectedAtMs, cap);
                _renewRequested = false;
                Post(new Connected { Provider = provider.Name, SessionId = _remoteSessionId, Model = _remoteModel, TurnTaking = TurnPolicy.Name(_options.TurnTaking) });
            }
        }

        /// <summary>Ends the conversation: stops sending, closes the provider, raises <see cref="Closed"/>.</summary>
        public async Task CloseAsync(CancellationToken cancellationToken)
        {
            IVoiceProvider provider;
            lock (_gate)
            {
                if (_state == SessionState.Closed) return;
                provider = _provider;
                _provider = null;
                _generation++;
            }
            _life.Cancel();
            _sendSignal.Release();
            if (provider != null)
            {
                try { await provider.DisconnectAsync(cancellationToken).ConfigureAwait(false); }
                catch (Exception e) when (!(e is OperationCanceledException) || !cancellationToken.IsCancellationRequested) { }
                provider.Dispose();
            }
            if (_sendLoop != null) await Task.WhenAny(_sendLoop, Task.Delay(2000, cancellationToken)).ConfigureAwait(false);
            lock (_gate)
            {
                UpdatePlayoutCounters();
                Metrics.SessionEndMs = _clock.NowMs;
                SetState(SessionState.Closed);
                Post(new Closed { Reason = "closed by host" });
            }
        }

        public void Dispose()
        {
            if (!_life.IsCancellationRequested) _life.Cancel();
            lock (_gate) { _provider?.Dispose(); _provider = null; _generation++; }
            if (_frontEnd != null) _frontEnd.VoiceActivity -= OnLocalVoiceActivity;
        }

        // ───────────────────────────── player input ─────────────────────────────

        /// <summary>Player audio already at the provider's input rate, mono PCM16. Copied; never blocks on the network.</summary>
        public void SendAudio(ReadOnlySpan<short> pcm)
        {
            var input = _input;
            if (input == null || pcm.IsEmpty) return;
            input.Write(pcm);
            if (_sendSignal.CurrentCount == 0) _sendSignal.Release();
        }

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

        async Task SendLoopAsync(CancellationToken ct)
        {
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    await _sendSignal.WaitAsync(ct).ConfigureAwait(false);
                    while (!ct.IsCancellationRequested)
                    {
                        IVoiceProvider provider;
                        lock (_gate) provider = _reconnecting || _providerResuming ? null : _provider;
                        if (provider == null) break; // the reconnect signals again when it is done
                        var n = _input.Peek(_sendChunk);
                        if (n == 0) break;
                        try
                        {
                            await provider.SendAudioAsync(new ReadOnlyMemory<short>(_sendChunk, 0, n), ct).ConfigureAwait(false);
                            _input.Consume(n);
                        }
                        catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
                        catch (Exception e)
                        {
                            // The audio stays queued and goes out after the reconnect.
                            RequestReconnect("send failed: " + e.Message, false);
                            break;
                        }
                    }
                }
            }
            catch (OperationCanceledException) { }
        }

        /// <summary>Push-to-talk pressed (or a local VAD heard speech). Interrupts a reply that is playing.</summary>
        public void BeginUserTurn() => BeginUserTurn(InterruptionSource.Host);

        void BeginUserTurn(InterruptionSource source)
        {
            IVoiceProvider provider;
            lock (_gate)
            {
                RequireManual();
                if (IsAgentActive()) InterruptLocked(source, _clock.NowMs);
                _userSpeaking = true;
                if (_state != SessionState.Interrupted) SetState(SessionState.UserSpeaking);
                provider = _provider;
            }
            Background(provider?.StartUserTurnAsync(_life.Token), "start user turn");
        }

        /// <summary>Push-to-talk released (or the local VAD heard the end of speech): the agent answers.</summary>
        public void EndUserTurn() => EndUserTurn(TurnTaking.PushToTalk);

        void EndUserTurn(TurnTaking how)
        {
            IVoiceProvider provider;
            lock (_gate)
            {
                RequireManual();
                _userSpeaking = false;
                var now = _clock.NowMs;
                _userStoppedAtMs = now;
                OpenTurn(how == TurnTaking.LocalVad ? "local_vad" : "push_to_talk", now);
                SetState(SessionState.AgentThinking);
                provider = _provider;
            }
            Background(provider?.EndUserTurnAsync(_life.Token), "end user turn");
        }

        void RequireManual()
        {
            if (_options.TurnTaking != TurnTaking.PushToTalk && _options.TurnTaking != TurnTaking.LocalVad)
                throw new InvalidOperationException("BeginUserTurn/EndUserTurn need TurnTaking.PushToTalk or LocalVad; this session uses " + _options.TurnTaking + ".");
        }

        void OnLocalVoiceActivity(bool speaking)
        {
            if (_options.TurnTaking == TurnTaking.LocalVad)
            {
                if (speaking) BeginUserTurn(InterruptionSource.LocalVad);
                else EndUserTurn(TurnTaking.LocalVad);
            }
            else if (speaking && _options.BargeIn)
            {
                // A local VAD reacts before the server's: cut the reply now; the provider's own detection follows.
                lock (_gate) if (IsAgentActive() && _caps != null && _caps.FullDuplex) InterruptLocked(InterruptionSource.LocalVad, _clock.NowMs);
            }
        }

        /// <summary>A typed player message; the agent answers it.</summary>
        public Task SendTextAsync(string text, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(text)) throw new ArgumentException("Text is empty.", nameof(text));
            IVoiceProvider provider;
            lock (_gate)
            {
                if (_caps == null || !_caps.TextInput) throw new SessionConfigurationException("This provider does not take text input.");
                if (IsAgentActive()) InterruptLocked(InterruptionSource.Host, _clock.NowMs);
                _history.Add(new HistoryItem(HistoryRole.User, text));
                OpenTurn("text", _clock.NowMs);
                SetState(SessionState.AgentThinking);
                provider = _provider ?? throw new InvalidOperationException("Not connected.");
            }
            return provider.SendTextAsync(text, cancellationToken);
        }

        /// <summary>Stops the agent now (game UI, push-to-talk pressed): fades playback, truncates the provider at what was heard.</summary>
        public void Interrupt()
        {
            lock (_gate) if (IsAgentActive()) InterruptLocked(InterruptionSource.Host, _clock.NowMs);
        }

        // ───────────────────────────── main-thread tick ─────────────────────────────

        /// <summary>
        /// Called by the host on its main thread (every frame in Unity, every loop turn in the CLI): turns what
        /// the speaker did since the last call (first audible sample, end of playback) into states and metrics,
        /// and renews the connection before the provider's cap.
        /// </summary>
        public void Tick()
        {
            bool renew = false;
            string renewReason = null;
            lock (_gate)
            {
                var now = _clock.NowMs;
                UpdatePlayoutCounters();
                switch (_state)
                {
                    case SessionState.AgentThinking:
                        if (_playout != null && _agentItemId != null && _playout.IsPlaying && _playout.CurrentItemId == _agentItemId)
                            BecameAudible(now);
                        else if (_playout == null && !_responseActive && _pendingToolCalls == 0 && _turn != null && _turn.ResponseId != null)
                            CompleteTurn(now);
                        break;
                    case SessionState.AgentSpeaking:
                        if (!_responseActive && _pendingToolCalls == 0 && (_playout == null || (!_playout.IsPlaying && _playout.QueuedSamples == 0)))
                            CompleteTurn(now);
                        break;
                    case SessionState.Interrupted:
                        if (now - _interruptedAtMs >= (_playout?.FlushFadeMs ?? 0))
                            SetState(_userSpeaking ? SessionState.UserSpeaking : SessionState.Listening);
                        break;
                }
                if (!_reconnecting && _provider != null && (_state == SessionState.Listening || now >= _renewAtMs + _options.Reconnect.RenewBeforeCap.TotalMilliseconds / 2))
                {
                    if (_renewRequested) { renew = true; renewReason = _renewReason; }
                    else if (now >= _renewAtMs) { renew = true; renewReason = "session cap approaching"; }
                }
            }
            if (renew) RequestReconnect(renewReason, true);
        }

        void UpdatePlayoutCounters()
        {
            if (_playout != null) Metrics.Underruns = _playout.Underruns;
            if (_input != null) Metrics.DroppedInputSamples = _input.Dropped;
        }

        void BecameAudible(double now)
        {
            SetState(SessionState.AgentSpeaking);
            if (_turn != null && double.IsNaN(_turn.TimeToFirstAudioMs))
            {
                _turn.TimeToFirstAudioMs = now - _requestAtMs;
                if (!double.IsNaN(_userStoppedAtMs)) _turn.UserStopToBotStartMs = now - _userStoppedAtMs;
                Post(new AgentAudible { ItemId = _agentItemId, TimeToFirstAudioMs = _turn.TimeToFirstAudioMs });
            }
        }

        void CompleteTurn(double now)
        {
            var item = _agentItemId;
            var played = item != null && _playout != null ? _playout.PlayedMs(item) : 0;
            if (item != null && _agentText.TryGetValue(item, out var sb) && sb.Length > 0)
                _history.Add(new HistoryItem(HistoryRole.Agent, sb.ToString()));
            if (item != null) Post(new AgentPlaybackDone { ItemId = item, PlayedMs = played });
            if (_turn != null)
            {
                _turn.Outcome = TurnOutcome.Completed;
                _turn.PlayedMs = played;
                CloseTurn(now);
            }
            _agentItemId = null;
            SetState(_userSpeaking ? SessionState.UserSpeaking : SessionState.Listening);
        }

        // ───────────────────────────── provider events ─────────────────────────────

        sealed class Listener : IProviderListener
        {
            readonly VoiceSession _s;
            readonly int _generation;
            public Listener(VoiceSession s, int generation) { _s = s; _generation = generation; }
            public void OnEvent(ProviderEvent e) => _s.OnProviderEvent(_generation, e);
            public void OnAudio(string itemId, ReadOnlySpan<short> pcm) => _s.OnProviderAudio(_generation, itemId, pcm);
        }

        void OnProviderAudio(int generation, string itemId, ReadOnlySpan<short> pcm)
        {
            lock (_gate)
            {
                if (generation != _generation || itemId == null || _droppedItems.Contains(itemId)) return;
                if (_agentItemId != itemId)
                {
                    if (_agentItemId != null) _playout?.EndItem(_agentItemId);
                    _agentItemId = itemId;
                    if (_turn == null) OpenTurn("server", _clock.NowMs);
                    if (_turn.ItemId == null)
                    {
                        _turn.ItemId = itemId;
                        _turn.TtfbMs = _clock.NowMs - _requestAtMs;
                        Post(new AgentFirstAudio { ItemId = itemId, TtfbMs = _turn.TtfbMs });
                    }
                }
                _receivedSamples.TryGetValue(itemId, out var n);
                _receivedSamples[itemId] = n + pcm.Length;
                if (_state == SessionState.Listening) SetState(SessionState.AgentThinking);
                if (_playout != null && !_playout.Write(itemId, pcm)) Metrics.PlayoutOverflows++;
            }
        }

        void OnProviderEvent(int generation, ProviderEvent e)
        {
            bool reconnect = false;
            string reason = null;
            lock (_gate)
            {
                if (generation != _generation) return;
                var now = _clock.NowMs;
                switch (e)
                {
                    case SessionStarted s:
                        // Usually raised inside ConnectAsync: the connected event then carries these.
                        _remoteSessionId = s.SessionId;
                        _remoteModel = s.Model;
                        if (_provider != null && !_reconnecting)
                            Post(new Connected { Provider = _provider.Name, SessionId = s.SessionId, Model = s.Model, TurnTaking = TurnPolicy.Name(_options.TurnTaking) });
                        break;
                    case UserSpeechStarted s:
                        Post(new UserSpeechStartedEvent { ItemId = s.ItemId });
                        _userSpeaking = true;
                        if (IsAgentActive() && _options.BargeIn && _caps.FullDuplex) InterruptLocked(InterruptionSource.ProviderVad, now);
                        if (_state != SessionState.Interrupted && _state != SessionState.AgentSpeaking) SetState(SessionState.UserSpeaking);
                        break;
                    case UserSpeechStopped s:
                        Post(new UserSpeechStoppedEvent { ItemId = s.ItemId });
                        _userSpeaking = false;
                        if (s.ItemId != null && !_userItems.ContainsKey(s.ItemId))
                        {
                            var slot = new HistoryItem(HistoryRole.User, null);
                            _userItems[s.ItemId] = slot;
                            _history.Add(slot);
                        }
                        if (_state == SessionState.UserSpeaking || _state == SessionState.Interrupted || _state == SessionState.Listening)
                        {
                            _userStoppedAtMs = now;
                            OpenTurn("voice", now);
                            if (_options.Config.TurnDetection == null || _options.Config.TurnDetection.CreateResponse)
                                SetState(SessionState.AgentThinking);
                            else SetState(SessionState.Listening);
                        }
                        break;
                    case UserTranscript t:
                        if (t.IsFinal)
                        {
                            // The slot was placed when the player stopped, so history keeps the order they spoke in.
                            if (t.ItemId != null && _userItems.TryGetValue(t.ItemId, out var h)) h.Text = t.Text;
                            else _history.Add(new HistoryItem(HistoryRole.User, t.Text));
                        }
                        Post(new UserTranscriptEvent { ItemId = t.ItemId, Text = t.Text, IsFinal = t.IsFinal });
                        break;
                    case AgentTranscript t:
                        if (t.ItemId != null && _droppedItems.Contains(t.ItemId)) break;
                        var itemKey = t.ItemId ?? _agentItemId ?? "";
                        if (!_agentText.TryGetValue(itemKey, out var sb)) _agentText[itemKey] = sb = new StringBuilder();
                        if (t.IsFinal) { sb.Clear(); sb.Append(t.Text); }
                        else sb.Append(t.Text);
                        Post(new AgentTranscriptEvent { ItemId = t.ItemId, Text = t.Text, IsFinal = t.IsFinal });
                        break;
                    case ResponseStarted r:
                        _responseActive = true;
                        _responseId = r.ResponseId;
                        _responseToolCalls = 0;
                        if (_turn == null) OpenTurn("server", now);
                        _turn.ResponseId = r.ResponseId ?? ""; // non-null marks "a response belongs to this turn" (Gemini has no ids)
                        if (_state == SessionState.Listening) SetState(SessionState.AgentThinking);
                        Post(new ResponseStartedEvent { ResponseId = r.ResponseId });
                        break;
                    case AgentAudioDone a:
                        if (a.ItemId != null && !_droppedItems.Contains(a.ItemId)) _playout?.EndItem(a.ItemId);
                        break;
                    case ResponseDone d:
                        if (d.ResponseId == null || d.ResponseId == _responseId)
                        {
                            _responseActive = false;
                            if (_agentItemId != null) _playout?.EndItem(_agentItemId);
                        }
                        // Usage is counted from UsageReported only: providers raise it for the same tokens (and priced).
                        Post(new ResponseDoneEvent { ResponseId = d.ResponseId, Status = d.Status, Reason = d.Reason });
                        if (d.Status == ResponseStatus.Failed && _turn != null)
                        {
                            _turn.Outcome = TurnOutcome.Failed;
                            CloseTurn(now);
                            SetState(_userSpeaking ? SessionState.UserSpeaking : SessionState.Listening);
                        }
                        else if (_turn != null && _turn.ResponseId != null && (d.ResponseId == null || d.ResponseId == _turn.ResponseId)
                                 && _turn.ItemId == null && _pendingToolCalls == 0 && _responseToolCalls == 0 && _state == SessionState.AgentThinking && !IsInterruptedTurn())
                        {
                            // A reply without audio (text-only, or nothing to say): the turn ends here.
                            _turn.Outcome = TurnOutcome.Completed;
                            CloseTurn(now);
                            SetState(_userSpeaking ? SessionState.UserSpeaking : SessionState.Listening);
                        }
                        break;
                    case ServerInterrupted _:
                        if (IsAgentActive()) InterruptLocked(InterruptionSource.Provider, now);
                        break;
                    case ToolCallRequested c:
                        StartTool(c, now);
                        break;
                    case ToolCallsCancelled c:
                        foreach (var id in c.CallIds)
                            if (_runningTools.TryGetValue(id, out var cts)) cts.Cancel();
                        break;
                    case UsageReported u:
                        AddUsage(u.Usage, u.EstimatedCostUsd);
                        break;
                    case ResumptionHandleUpdated h:
                        _resumeHandle = h.Handle;
                        break;
                    case GoingAway g:
                        _renewRequested = true;
                        _renewReason = "server going away in " + (int)g.TimeLeft.TotalSeconds + " s";
                        // Act now if the player is not mid-reply, otherwise at the next quiet moment or half the warning.
                        _renewAtMs = Math.Min(_renewAtMs, now + g.TimeLeft.TotalMilliseconds / 2 - _options.Reconnect.RenewBeforeCap.TotalMilliseconds / 2);
                        break;
                    case Reconnecting r:
                        // The provider resumes on its own; the session holds audio and tool results meanwhile.
                        _providerResuming = true;
                        SetState(SessionState.Reconnecting);
                        Post(new ReconnectingEvent { Attempt = r.Attempt, Reason = r.Reason });
                        break;
                    case Resumed r:
                        if (!_providerResuming) break;
                        _providerResuming = false;
                        Metrics.Reconnects++;
                        var pending = new Queue<ToolResult>(_queuedResults);
                        _queuedResults.Clear();
                        SetState(_pendingToolCalls > 0 || pending.Count > 0 ? SessionState.AgentThinking : SessionState.Listening);
                        Post(new ReconnectedEvent
                        {
                            ByHandle = r.ByHandle, Attempts = 1, BufferedAudioMs = _input.Count * 1000.0 / _caps.InputSampleRate,
                            DroppedAudioSamples = _input.Dropped, QueuedToolResults = pending.Count,
                        });
                        _sendSignal.Release();
                        var current = _provider;
                        if (pending.Count > 0) Task.Run(async () => { while (pending.Count > 0) await SendToolResultAsync(current, pending.Dequeue()).ConfigureAwait(false); });
                        break;
                    case ProviderError err:
                        Post(new SessionErrorEvent { Kind = err.ErrorKind, Code = err.Code, Message = err.Message, IsFatal = err.IsFatal });
                        if (err.IsFatal) { reconnect = true; reason = err.ToString(); }
                        break;
                    case Disconnected d:
                        if (!d.ByClient) { reconnect = true; reason = "connection lost (" + d.CloseStatus + (string.IsNullOrEmpty(d.Reason) ? "" : " " + d.Reason) + ")"; }
                        break;
                }
            }
            if (reconnect) RequestReconnect(reason, false);
        }

        bool IsInterruptedTurn() => _turn != null && _turn.Outcome == TurnOutcome.Interrupted;

        bool IsAgentActive()
        {
            if (_state == SessionState.AgentSpeaking) return true;
            if (_agentItemId != null && !_droppedItems.Contains(_agentItemId) && (_responseActive || (_playout != null && (_playout.IsPlaying || _playout.QueuedSamples > 0))))
                return true;
            return false;
        }

        // ───────────────────────────── interruption ─────────────────────────────

        /// <summary>
        /// The barge-in pipeline: fade and flush the playout, cut the reply's text to what was heard, truncate
        /// the provider at the played cursor, and drop whatever audio of that item still arrives.
        /// </summary>
        void InterruptLocked(InterruptionSource source, double signalAtMs)
        {
            var item = _agentItemId;
            var played = 0;
            if (item != null && _playout != null)
            {
                played = _playout.PlayedMs(item);
                _playout.Flush();
            }
            var receivedMs = item != null && _receivedSamples.TryGetValue(item, out var n) && _caps != null ? (int)(n * 1000L / _caps.OutputSampleRate) : 0;
            played = Math.Min(played, receivedMs);
            var heard = "";
            if (item != null)
            {
                _droppedItems.Add(item);
                _agentText.TryGetValue(item, out var sb);
                heard = HeardText.Cut(sb?.ToString() ?? "", played, receivedMs);
                if (heard.Length > 0) _history.Add(new HistoryItem(HistoryRole.Agent, heard));
            }
            var now = _clock.NowMs;
            var latency = now - signalAtMs + (_playout?.FlushFadeMs ?? 0);
            if (_turn != null)
            {
                _turn.Outcome = TurnOutcome.Interrupted;
                _turn.InterruptionLatencyMs = latency;
                _turn.PlayedMs = played;
                CloseTurn(now);
            }
            _responseActive = false;
            _agentItemId = null;
            _interruptedAtMs = now;
            SetState(SessionState.Interrupted);
            Post(new Interrupted { ItemId = item, PlayedMs = played, HeardText = heard, LatencyMs = latency, Source = source });
            var provider = _provider;
            if (provider != null && item != null)
                Background(provider.InterruptAsync(new InterruptRequest(item, played), _life.Token), "interrupt");
        }

        // ───────────────────────────── turns ─────────────────────────────

        void OpenTurn(string trigger, double now)
        {
            if (_turn != null && _turn.ItemId == null && _turn.Outcome != TurnOutcome.Interrupted)
            {
                // A new request before the previous one produced audio (player spoke again): it replaces it.
                _turn.Trigger = trigger;
                _requestAtMs = now;
                return;
            }
            if (_turn != null) CloseTurnAbandoned(now);
            _turn = new TurnMetrics { Index = ++_turnIndex, Trigger = trigger, StartedAtMs = now };
            _requestAtMs = now;
            if (trigger != "voice" && trigger != "push_to_talk" && trigger != "local_vad") _userStoppedAtMs = double.NaN;
        }

        void CloseTurnAbandoned(double now)
        {
            if (_turn.Outcome == TurnOutcome.Interrupted) { _turn = null; return; }
            _turn.Outcome = TurnOutcome.Failed;
            CloseTurn(now);
        }

        void CloseTurn(double now)
        {
            var t = _turn;
            _turn = null;
            if (t == null) return;
            t.EndedAtMs = now;
            Metrics.AddTurn(t);
            Post(new TurnCompleted { Turn = t });
        }

        void AddUsage(in TokenUsage u, double? costUsd)
        {
            var total = Metrics.AddUsage(u, costUsd, out var totalCost);
            Post(new UsageEvent { Usage = u, Total = total, CostUsd = totalCost });
        }

        // ───────────────────────────── tools ─────────────────────────────

        void StartTool(ToolCallRequested c, double now)
        {
            _pendingToolCalls++;
            _responseToolCalls++;
            _history.Add(new HistoryItem(HistoryRole.ToolCall, c.ArgumentsJson) { CallId = c.CallId, ToolName = c.Name });
            if (_state == SessionState.Listening) SetState(SessionState.AgentThinking);
            Post(new ToolCallStarted { CallId = c.CallId, ToolName = c.Name, ArgumentsJson = c.ArgumentsJson });
            var cts = CancellationTokenSource.CreateLinkedTokenSource(_life.Token);
            if (c.CallId != null) _runningTools[c.CallId] = cts;
            var call = new ToolCall { CallId = c.CallId, Name = c.Name, ArgumentsJson = c.ArgumentsJson };
            Task.Run(async () =>
            {
                var result = await _options.Tools.InvokeAsync(call, _dispatcher, cts.Token).ConfigureAwait(false);
                lock (_gate) { if (c.CallId != null) _runningTools.Remove(c.CallId); }
                cts.Dispose();
                await DeliverToolResultAsync(result).ConfigureAwait(false);
            });
        }

        async Task DeliverToolResultAsync(ToolResult result)
        {
            IVoiceProvider provider;
            bool queued;
            lock (_gate)
            {
                _pendingToolCalls = Math.Max(0, _pendingToolCalls - 1);
                Metrics.AddToolDuration(result.DurationMs);
                if (_turn != null) _turn.ToolCallDurationsMs.Add(result.DurationMs);
                _history.Add(new HistoryItem(HistoryRole.ToolResult, result.ResultJson) { CallId = result.CallId, ToolName = result.Name });
                if (result.Outcome == ToolOutcome.Cancelled && _life.IsCancellationRequested) return;
                provider = _reconnecting || _providerResuming ? null : _provider;
                queued = provider == null || _state == SessionState.Reconnecting;
                if (queued) _queuedResults.Enqueue(result);
                Post(new ToolCallFinished
                {
                    CallId = result.CallId, ToolName = result.Name, ResultJson = result.ResultJson,
                    Outcome = result.Outcome, DurationMs = result.DurationMs, Queued = queued,
                });
            }
            if (!queued) await SendToolResultAsync(provider, result).ConfigureAwait(false);
        }

        async Task SendToolResultAsync(IVoiceProvider provider, ToolResult result)
        {
            lock (_gate)
            {
                _requestAtMs = _clock.NowMs;
                if (_turn == null) OpenTurn("tool_result", _requestAtMs);
                if (_state == SessionState.Listening) SetState(SessionState.AgentThinking);
            }
            try
            {
                await provider.SendToolResultAsync(result.CallId, result.Name, result.ResultJson, _life.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_life.IsCancellationRequested) { }
            catch (Exception e)
            {
                // Not dropped: it goes out on the next connection.
                lock (_gate) _queuedResults.Enqueue(result);
                RequestReconnect("tool result send failed: " + e.Message, false);
            }
        }

        // ───────────────────────────── reconnect ─────────────────────────────

        void RequestReconnect(string reason, bool proactive)
        {
            lock (_gate)
            {
                if (_reconnecting || _state == SessionState.Closed || _life.IsCancellationRequested) return;
                if (!_options.Reconnect.Enabled && !proactive)
                {
                    SetState(SessionState.Closed);
                    Post(new Closed { Reason = reason });
                    return;
                }
                _reconnecting = true;
                _renewRequested = false;
                _reconnectTask = Task.Run(() => ReconnectAsync(reason, proactive));
            }
        }

        async Task ReconnectAsync(string reason, bool proactive)
        {
            IVoiceProvider old;
            lock (_gate)
            {
                old = _provider;
                _provider = null;
                _generation++; // late events of the old connection are ignored from here on
                if (_turn != null && !proactive && _responseActive)
                {
                    // The reply in flight is lost with the connection; keep what the player heard of it.
                    var item = _agentItemId;
                    if (item != null)
                    {
                        var played = _playout?.PlayedMs(item) ?? 0;
                        var receivedMs = _receivedSamples.TryGetValue(item, out var n) ? (int)(n * 1000L / _caps.OutputSampleRate) : 0;
                        _agentText.TryGetValue(item, out var sb);
                        var heard = HeardText.Cut(sb?.ToString() ?? "", Math.Min(played, receivedMs), receivedMs);
                        if (heard.Length > 0) _history.Add(new HistoryItem(HistoryRole.Agent, heard));
                        _droppedItems.Add(item);
                    }
                    _turn.Outcome = TurnOutcome.Failed;
                    CloseTurn(_clock.NowMs);
                    _responseActive = false;
                    _agentItemId = null;
                }
                SetState(SessionState.Reconnecting);
            }
            if (old != null)
            {
                try
                {
                    using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
                        await old.DisconnectAsync(cts.Token).ConfigureAwait(false);
                }
                catch (Exception) { } // it is already gone
                old.Dispose();
            }
            var policy = _options.Reconnect;
            for (var attempt = 1; attempt <= Math.Max(1, policy.MaxAttempts); attempt++)
            {
                var delay = proactive && attempt == 1 ? TimeSpan.Zero : policy.DelayFor(attempt, _random);
                lock (_gate) Post(new ReconnectingEvent { Attempt = attempt, Reason = reason, DelayMs = delay.TotalMilliseconds });
                try
                {
                    if (delay > TimeSpan.Zero) await Task.Delay(delay, _life.Token).ConfigureAwait(false);
                    IVoiceProvider next;
                    SessionConfig config;
                    bool byHandle;
                    lock (_gate)
                    {
                        next = _factory();
                        byHandle = _caps.Resumption && _resumeHandle != null;
                        config = ReconnectConfig(byHandle);
                    }
                    try { await ConnectProviderAsync(next, config, _life.Token).ConfigureAwait(false); }
                    catch (Exception) { next.Dispose(); throw; }
                    Queue<ToolResult> results;
                    lock (_gate)
                    {
                        _reconnecting = false;
                        Metrics.Reconnects++;
                        results = new Queue<ToolResult>(_queuedResults);
                        _queuedResults.Clear();
                        var buffered = _input.Count * 1000.0 / _caps.InputSampleRate;
                        SetState(_pendingToolCalls > 0 || results.Count > 0 ? SessionState.AgentThinking : SessionState.Listening);
                        Post(new ReconnectedEvent
                        {
                            ByHandle = byHandle, Attempts = attempt, BufferedAudioMs = buffered,
                            DroppedAudioSamples = _input.Dropped, QueuedToolResults = results.Count,
                        });
                    }
                    _sendSignal.Release();
                    while (results.Count > 0) await SendToolResultAsync(next, results.Dequeue()).ConfigureAwait(false);
                    return;
                }
                catch (OperationCanceledException) when (_life.IsCancellationRequested) { return; }
                catch (Exception e)
                {
                    reason = e.Message;
                    if (e is ProviderException pe && pe.Kind == ProviderErrorKind.Authentication) break;
                }
            }
            lock (_gate)
            {
                _reconnecting = false;
                SetState(SessionState.Closed);
                Post(new SessionErrorEvent { Kind = ProviderErrorKind.Transport, Code = "reconnect_failed", Message = "Could not reconnect: " + reason, IsFatal = true });
                Post(new Closed { Reason = "reconnect failed" });
            }
        }

        SessionConfig ReconnectConfig(bool byHandle)
        {
            var b = _activeConfig;
            var c = new SessionConfig
            {
                Model = b.Model, Voice = b.Voice, Instructions = b.Instructions, TurnDetection = b.TurnDetection,
                InputTranscription = b.InputTranscription, TranscriptionModel = b.TranscriptionModel, Language = b.Language,
                NoiseReduction = b.NoiseReduction, MaxOutputTokens = b.MaxOutputTokens,
                ResumeHandle = byHandle ? _resumeHandle : null,
            };
            c.Tools.AddRange(b.Tools);
            // Without a handle the new session knows nothing: give it what the player heard.
            if (!byHandle)
                foreach (var h in _history)
                    if (!string.IsNullOrEmpty(h.Text)) c.History.Add(new HistoryItem(h.Role, h.Text) { CallId = h.CallId, ToolName = h.ToolName });
            return c;
        }

        /// <summary>Completes when a reconnect in progress has finished (tests, orderly shutdown).</summary>
        public Task WaitForReconnectAsync()
        {
            lock (_gate) return _reconnectTask ?? Task.CompletedTask;
        }

        // ───────────────────────────── plumbing ─────────────────────────────

        void SetState(SessionState to)
        {
            if (_state == to) return;
            var from = _state;
            _state = to;
            Post(new StateChanged { From = from, To = to });
        }

        void Post(SessionEvent e)
        {
            e.TimeMs = _clock.NowMs;
            _dispatcher.Post(() => EventRaised?.Invoke(e));
        }

        void Background(Task t, string what)
        {
            if (t == null) return;
            t.ContinueWith(x =>
            {
                var ex = x.Exception?.GetBaseException();
                if (ex is OperationCanceledException && _life.IsCancellationRequested) return;
                var pe = ex as ProviderException;
                lock (_gate) Post(new SessionErrorEvent
                {
                    Kind = pe?.Kind ?? ProviderErrorKind.Transport, Code = pe?.Code ?? "client_error",
                    Message = what + " failed: " + ex?.Message, IsFatal = false,
                });
            }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }
}
