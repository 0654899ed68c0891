using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Parley.Audio;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Session;
using Parley.Session.Audio;
using Parley.Session.Metrics;
using Parley.Session.Tools;
using Parley.Unity.Capture;
using Parley.Unity.Keys;
using Parley.Unity.Profiles;
using Parley.Unity.Voice;
using UnityEngine;

namespace Parley.Unity.Agent
{
    /// <summary>
    /// A conversation partner on a GameObject: captures the player through an <see cref="ICaptureSource"/>
    /// (Unity's microphone by default), talks to the provider of its <see cref="VoiceProfile"/> through a
    /// <see cref="VoiceSession"/>, and speaks through this GameObject's AudioSource (<see cref="AgentVoice"/>).
    /// Everything the session reports reaches the game on the main thread, in <c>Update</c>; the audio thread only
    /// touches the voice's lock-free playout. Disabling, destroying or quitting ends the conversation at once and
    /// leaves no socket, task or buffer behind. See Documentation~/components.md.
    /// </summary>
    [RequireComponent(typeof(AudioSource))]
    [RequireComponent(typeof(AgentVoice))]
    [DisallowMultipleComponent]
    [AddComponentMenu("Parley/Voice Agent")]
    [HelpURL(HelpLinks.VoiceAgent)]
    public sealed partial class VoiceAgent : MonoBehaviour, ICaptureSink, ICaptureDemand, ICaptureUtterance, ICaptureObserver
    {
        [Header("Provider")]
        [SerializeField, Tooltip("Model, voice, language and instructions. Holds no key.")]
        VoiceProfile profile;
        [SerializeField, Tooltip("Builds: your backend's token endpoint (or set TokenSource.Callback). The editor also accepts a development key.")]
        TokenSource tokenSource = new TokenSource();

        [Header("Conversation")]
        [SerializeField, Tooltip("Who ends the player's turn.")]
        TurnTaking turnTaking = TurnTaking.ServerVad;
        [SerializeField, Tooltip("The player may talk over the agent (full-duplex providers).")]
        bool bargeIn = true;
        [SerializeField, Tooltip("Start the conversation when the component is enabled.")]
        bool startOnEnable;
        [SerializeField, Tooltip("Text sent as soon as the conversation is connected so that the agent speaks first; empty for none.")]
        string openingPrompt = string.Empty;
        [SerializeField, Tooltip("What to do when the application is paused or loses focus.")]
        BackgroundPolicy whenBackgrounded = BackgroundPolicy.Close;
        [SerializeField, Min(0f), Tooltip("End the conversation after this many seconds with nobody speaking; 0 = never.")]
        float idleTimeoutSeconds = 120f;
        [SerializeField, Min(0f), Tooltip("End the conversation when its estimated cost reaches this many US dollars; 0 = no cap.")]
        float maxCostUsd = 1f;

        [SerializeField, Tooltip("Use NativeWebSocket (needs com.endel.nativewebsocket; always on in WebGL players).")]
        bool useNativeWebSocket;

        [Header("Audio")]
        [SerializeField, Tooltip("A component implementing ICaptureSource; empty = one on this GameObject, else the scene's MicrophoneHub, else a MicrophoneCapture is added.")]
        MonoBehaviour captureSource;

        [Header("Tools")]
        [SerializeField, Tooltip("Public methods marked [Tool] on these components become tools the model can call.")]
        MonoBehaviour[] toolTargets = new MonoBehaviour[0];

        [SerializeField] VoiceAgentEvents events = new VoiceAgentEvents();

        readonly QueuedDispatcher _dispatcher = new QueuedDispatcher();
        readonly AgentTransports _transports = new AgentTransports();
        readonly List<HistoryItem> _pendingHistory = new List<HistoryItem>();
        VoiceSession _session;
        AgentVoice _voice;
        ICaptureSource _capture;
        CancellationTokenSource _life;
        Task<bool> _consent;
        Task _starting;
        bool _consented;
        bool _awaitingMicrophone;
        bool _muted;
        float[] _silence = new float[0];
        double _lastActivity;
        List<HistoryItem> _lastHistory = new List<HistoryItem>();

        public VoiceProfile Profile { get => profile; set => profile = value; }
        public TokenSource Tokens => tokenSource;
        public TurnTaking TurnTaking { get => turnTaking; set => turnTaking = value; }
        public bool BargeIn { get => bargeIn; set => bargeIn = value; }
        public bool StartOnEnable { get => startOnEnable; set => startOnEnable = value; }
        public string OpeningPrompt { get => openingPrompt; set => openingPrompt = value ?? string.Empty; }
        public BackgroundPolicy WhenBackgrounded { get => whenBackgrounded; set => whenBackgrounded = value; }
        public float IdleTimeoutSeconds { get => idleTimeoutSeconds; set => idleTimeoutSeconds = value; }
        public float MaxCostUsd { get => maxCostUsd; set => maxCostUsd = value; }
        public bool UseNativeWebSocket { get => useNativeWebSocket; set => useNativeWebSocket = value; }
        public MonoBehaviour CaptureSource { get => captureSource; set => captureSource = value; }
        public MonoBehaviour[] ToolTargets { get => toolTargets; set => toolTargets = value ?? new MonoBehaviour[0]; }
        /// <summary>Tools declared from code with a JSON schema and a handler (e.g. `parley scene --tools`), offered with the Tool Targets' methods.</summary>
        public List<ToolDefinition> AdditionalTools { get; } = new List<ToolDefinition>();
        public VoiceAgentEvents Events => events;

        /// <summary>Who runs the session's messages: its own thread (default), or the player loop (WebGL, deterministic tests).</summary>
        public SessionLoop Loop { get; set; } = Application.platform == RuntimePlatform.WebGLPlayer ? SessionLoop.Inline : SessionLoop.Background;

        /// <summary>
        /// Asked once, before the microphone is first captured (e.g. show a consent dialog). Null = consent given.
        /// A false answer (or a fault) ends the conversation with <see cref="AgentStopReason.ConsentDenied"/>.
        /// </summary>
        public Func<CancellationToken, Task<bool>> ConsentCallback;

        /// <summary>Runs the agent's provider factory (tests, custom providers): replaces the profile's provider.</summary>
        public Func<ICredentialSource, IVoiceProvider> ProviderFactory;

        public SessionState State => _session?.State ?? SessionState.Idle;
        public bool IsConversing => _session != null || _consent != null || _awaitingMicrophone;
        public VoiceSession Session => _session;
        public AgentVoice Voice => _voice != null ? _voice : (_voice = GetComponent<AgentVoice>());
        public ICaptureSource Capture => _capture;
        public AgentStopReason LastStopReason { get; private set; }
        /// <summary>Work the session posted for the next Update (events, tool handlers); a host that holds frames back must not while it is there.</summary>
        public int PendingMainThreadWork => _dispatcher.Pending;
        /// <summary>Microphone frames handed to the session (all conversations).</summary>
        public long FramesSubmitted { get; private set; }
        /// <summary>Microphone frames of a shared microphone that another agent heard, observed by this one's echo guard.</summary>
        public long FramesObserved { get; private set; }

        /// <summary>Mutes the microphone: the provider hears silence (so its VAD still ends a turn in progress).</summary>
        public bool Muted { get => _muted; set => _muted = value; }

        // C# events, on the main thread.
        public event Action<SessionState, SessionState> StateChanged;
        public event Action<string, bool> UserTranscript;
        public event Action<string, bool> AgentTranscript;
        public event Action<ToolCallStarted> ToolCalled;
        public event Action<SessionErrorEvent> Error;
        public event Action<TurnMetrics> TurnMetricsReported;
        /// <summary>Every session event (for logs and tools that want them all).</summary>
        public event Action<SessionEvent> SessionEventRaised;
        public event Action<AgentStopReason> ConversationEnded;
        /// <summary><see cref="AddContext"/>'s note and what became of it (before a conversation: Deferred, given when it starts).</summary>
        public event Action<string, ContextDelivery> ContextAdded;

        void OnEnable()
        {
            if (startOnEnable) StartConversation();
        }

        void OnDisable() => Teardown(graceful: false, AgentStopReason.None);
        void OnDestroy() => Teardown(graceful: false, AgentStopReason.None);
        void OnApplicationQuit() => Teardown(graceful: false, AgentStopReason.None);

        // The permission dialog (Android, iOS) takes focus and pauses the app: that is not the player leaving.
        // A paused app gets no more frames (mobile suspends it), so a graceful close could not finish: abort now.
        void OnApplicationPause(bool paused)
        {
            if (paused && whenBackgrounded == BackgroundPolicy.Close && !AskingForMicrophone) Teardown(graceful: false, AgentStopReason.Backgrounded);
        }

        void OnApplicationFocus(bool focused)
        {
            if (!focused && whenBackgrounded == BackgroundPolicy.Close && !AskingForMicrophone) EndConversation(AgentStopReason.Backgrounded);
        }

        bool AskingForMicrophone => _capture != null && _capture.Status == CaptureStatus.AwaitingPermission;

        /// <summary>Starts a conversation (consent first, then connect). Errors are reported through <see cref="Error"/>, never thrown.</summary>
        public void StartConversation()
        {
            if (IsConversing) return;
            LastStopReason = AgentStopReason.None;
            _life = new CancellationTokenSource();
            if (!_consented && ConsentCallback != null)
            {
                try { _consent = ConsentCallback(_life.Token) ?? Task.FromResult(false); }
                catch (Exception e) { _consent = Task.FromException<bool>(e); }
                return;   // Update goes on when the answer is in
            }
            Connect();
        }

        /// <summary>Ends the conversation cleanly: the provider is told, then the session closes.</summary>
        public void EndConversation() => EndConversation(AgentStopReason.None);

        void EndConversation(AgentStopReason reason) => Teardown(graceful: true, reason);

        void Connect()
        {
            if (profile == null && ProviderFactory == null) { Fail("no_profile", "The agent has no profile.", AgentStopReason.Credentials); return; }
            ICredentialSource credentials = null;
            if (ProviderFactory == null || profile != null)
            {
                try { credentials = AgentCredentials.Resolve(profile, tokenSource, Application.isEditor); }
                catch (CredentialUnavailableException e) { Fail("credentials", e.Message, AgentStopReason.Credentials); return; }
            }
            if (!ResolveCapture()) return;
            // No socket while the player is still being asked for the microphone: Update connects after the answer.
            _awaitingMicrophone = _capture.Status == CaptureStatus.AwaitingPermission;
            if (_awaitingMicrophone) return;
            var native = useNativeWebSocket || Application.platform == RuntimePlatform.WebGLPlayer;
            if (native && !_transports.Available) { Fail("transport", "NativeWebSocket is not installed (add com.endel.nativewebsocket).", AgentStopReason.None); return; }
            var transport = _transports.Factory(native);
            Func<IVoiceProvider> factory = ProviderFactory != null ? (Func<IVoiceProvider>)(() => ProviderFactory(credentials)) : () => profile.CreateProvider(credentials, transport);

            ProviderCapabilities caps;
            try { using (var probe = factory()) caps = probe.Capabilities; }
            catch (Exception e) { Fail("provider", e.Message, AgentStopReason.None); return; }

            var options = new VoiceSessionOptions { TurnTaking = turnTaking, BargeIn = bargeIn, Loop = Loop };
            options.Config = profile != null ? profile.ToSessionConfig() : new SessionConfig();
            options.Config.History.AddRange(_pendingHistory);
            _pendingHistory.Clear();
            RegisterTools(options);

            Voice.Attach(caps.OutputSampleRate);
            var format = _capture.Format;
            _session = new VoiceSession(factory, options, _dispatcher, Voice, CreateFrontEnd(format));
            _session.EventRaised += OnSessionEvent;
            _lastActivity = Time.unscaledTimeAsDouble;
            try { _starting = _session.StartAsync(_life.Token); }
            catch (Exception e) { Fail("configuration", e.Message, AgentStopReason.None); return; }
            _capture.AddSink(this);
        }

        bool ResolveCapture()
        {
            // Own capture, else the scene's shared microphone hub, else a microphone of its own.
            _capture = captureSource as ICaptureSource ?? GetComponent<ICaptureSource>() ?? MicrophonePolicy.FindFirst<MicrophoneHub>();
#if !UNITY_WEBGL || UNITY_EDITOR
            if (_capture == null) _capture = gameObject.AddComponent<MicrophoneCapture>();
            var mic = _capture as MicrophoneCapture ?? (_capture as MicrophoneHub)?.Source as MicrophoneCapture;
            if (mic != null && mic.Status == CaptureStatus.Unavailable && mic.PermissionDenials > 0)
            {
                Fail("microphone_permission_denied", "The player did not allow the microphone.", AgentStopReason.MicrophoneDenied);
                return false;
            }
#endif
            if (_capture == null)
            {
                // WebGL players: no Unity microphone, and the browser capture plugin is not written yet.
                Fail("capture_unsupported", "No microphone capture on this platform (WebGL capture needs a browser plugin that Parley does not have yet).",
                    AgentStopReason.None, kind: ProviderErrorKind.Unsupported);
                return false;
            }
            if (_capture.Status == CaptureStatus.Unavailable)
            {
                Fail("capture_unavailable", "The microphone capture is unavailable (permission denied or no device).", AgentStopReason.None);
                return false;
            }
            return true;
        }

        void Update()
        {
            if (_consent != null && _consent.IsCompleted)
            {
                var ok = _consent.Status == TaskStatus.RanToCompletion && _consent.Result;
                _consent = null;
                if (!ok) { Fail("consent_denied", "The player did not consent to microphone capture.", AgentStopReason.ConsentDenied); return; }
                _consented = true;
                Connect();
            }
            if (_awaitingMicrophone && !AskingForMicrophone)
            {
                _awaitingMicrophone = false;
                Connect();   // granted: connects; denied: ResolveCapture reports it
            }
            _transports.Pump();
            var session = _session;
            if (session == null) { _dispatcher.RunPending(); return; }
            if (_starting != null && _starting.IsCompleted)
            {
                // Failure arrives as error + closed events too; success needs the opening prompt.
                if (_starting.Status == TaskStatus.RanToCompletion && !string.IsNullOrWhiteSpace(openingPrompt)) SendText(openingPrompt);
                _starting = null;
            }
            session.Tick();
            _dispatcher.RunPending();
            if (_session == null) return;
            if (idleTimeoutSeconds > 0 && _session.State == SessionState.Listening && !_session.AwaitingAgent &&
                Time.unscaledTimeAsDouble - _lastActivity >= idleTimeoutSeconds)
                EndConversation(AgentStopReason.IdleTimeout);
        }

        // ───────────── capture (main thread, from the capture source's Update) ─────────────

        /// <summary>In a conversation that takes audio (a shared microphone's policy passes over agents that are not).</summary>
        public bool WantsCapture => _session != null && _session.State != SessionState.Idle && _session.State != SessionState.Closed;

        /// <summary>The player is mid-utterance (their speech started and their turn has not ended): a shared microphone stays with this agent.</summary>
        public bool MidUtterance => _session != null && (_session.State == SessionState.UserSpeaking || _session.State == SessionState.Interrupted);

        void ICaptureSink.OnCaptured(ReadOnlySpan<float> interleaved, AudioFormat format)
        {
            var session = _session;
            if (session == null || session.State == SessionState.Idle || session.State == SessionState.Closed) return;
            var frames = interleaved.Length / format.Channels;
            FramesSubmitted += frames;
            FeedReference(frames);
            if (!_muted) { session.SubmitCapture(interleaved); return; }
            if (_silence.Length < interleaved.Length) _silence = new float[interleaved.Length];
            session.SubmitCapture(new ReadOnlySpan<float>(_silence, 0, interleaved.Length));
        }

        // A shared microphone's chunk another agent hears: the front end measures the echo path on it (main thread).
        void ICaptureObserver.OnObserved(ReadOnlySpan<float> interleaved, AudioFormat format)
        {
            var session = _session;
            if (session == null || _frontEnd == null || session.State == SessionState.Idle || session.State == SessionState.Closed) return;
            var frames = interleaved.Length / format.Channels;
            FramesObserved += frames;
            FeedReference(frames);
            _frontEnd.Observe(interleaved);
        }

        // ───────────── conversation API ─────────────

        /// <summary>Stops the agent now: fades its voice and tells the provider what the player heard.</summary>
        public void Interrupt() => _session?.Interrupt();

        /// <summary>Push-to-talk pressed (TurnTaking.PushToTalk): interrupts a reply that is playing.</summary>
        public void BeginPushToTalk() { if (Ready()) Guard(() => _session.BeginUserTurn()); }

        /// <summary>Push-to-talk released: the agent answers.</summary>
        public void EndPushToTalk() { if (Ready()) Guard(() => _session.EndUserTurn()); }

        /// <summary>A typed player message; the agent answers it.</summary>
        public void SendText(string text)
        {
            if (!Ready()) return;
            Task t;
            try { t = _session.SendTextAsync(text, _life.Token); }
            catch (Exception e) { Fail("send_text", e.Message, AgentStopReason.None, close: false); return; }
            t.ContinueWith(x => _dispatcher.Post(() => Fail("send_text", x.Exception?.GetBaseException().Message, AgentStopReason.None, close: false)),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        /// <summary>
        /// Game context the agent should know (e.g. "The player is carrying a lantern."), without a reply. In a
        /// conversation it goes to the session at once (<see cref="VoiceSession.AddContextAsync"/>: safe while the
        /// agent speaks, kept across reconnects, part of <see cref="SaveHistoryJson"/>); before one, it is given to the
        /// model as a system item when the conversation starts.
        /// </summary>
        public void AddContext(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return;
            var session = _session;
            if (session == null || session.State == SessionState.Idle || session.State == SessionState.Closed)
            {
                _pendingHistory.Add(new HistoryItem(HistoryRole.System, text));
                ContextAdded?.Invoke(text, ContextDelivery.Deferred);
                return;
            }
            Task<ContextDelivery> t;
            try { t = session.AddContextAsync(text, _life.Token); }
            catch (Exception e) { Fail("add_context", e.Message, AgentStopReason.None, close: false); return; }
            t.ContinueWith(x => _dispatcher.Post(() =>
                {
                    if (x.IsFaulted) Fail("add_context", x.Exception?.GetBaseException().Message, AgentStopReason.None, close: false);
                    else if (x.Status == TaskStatus.RanToCompletion) ContextAdded?.Invoke(text, x.Result);
                }),
                CancellationToken.None, TaskContinuationOptions.NotOnCanceled, TaskScheduler.Default);
        }

        bool Ready()
        {
            if (_session != null && _session.State != SessionState.Idle && _session.State != SessionState.Closed) return true;
            Fail("not_connected", "The agent is not in a conversation.", AgentStopReason.None, close: false);
            return false;
        }

        void Guard(Action a)
        {
            try { a(); }
            catch (InvalidOperationException e) { Fail("invalid_call", e.Message, AgentStopReason.None, close: false); }
        }

        void RegisterTools(VoiceSessionOptions options)
        {
            foreach (var target in toolTargets)
                if (target != null) options.Tools.RegisterMethods(target);
            foreach (var tool in AdditionalTools) options.Tools.Register(tool);
        }

        void Touch() => _lastActivity = Time.unscaledTimeAsDouble;
    }
}
