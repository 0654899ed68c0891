using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Parley.Audio;
using Parley.Providers.Auth;
using Parley.Providers.Connection;
using Parley.Transport;

namespace Parley.Providers.Gemini
{
    /// <summary>
    /// Google Gemini Live (BidiGenerateContent over WebSocket, Developer API). One <c>setup</c> per connection,
    /// nothing else until <c>setupComplete</c>; 16 kHz PCM16 in, 24 kHz out; server VAD or manual activity
    /// signals. It never reconnects by itself: it reports resumable handles (<see cref="ResumptionHandleUpdated"/>),
    /// <c>goAway</c> (one <see cref="GoingAway"/>) and the end of the connection (one <see cref="Disconnected"/>);
    /// the session decides to resume by making a new provider with <see cref="SessionConfig.ResumeHandle"/>.
    /// See Documentation~/providers-gemini.md.
    /// </summary>
    public sealed class GeminiLiveProvider : WebSocketConnection, IVoiceProvider, IContextProvider
    {
        const int InitialSendSamples = 1600; // 100 ms; the send buffer grows to the largest chunk once

        readonly GeminiLiveOptions _options;
        readonly ProviderCapabilities _capabilities;
        readonly GeminiServerMessage _message = new GeminiServerMessage();
        readonly Func<ReadOnlyMemory<short>, ReadOnlyMemory<byte>> _buildAudio;

        SessionConfig _config;
        IProviderListener _listener;
        volatile bool _replyOwed;
        volatile bool _disposed;
        string _resumeHandle;
        string _sessionId;
        TimeSpan _goAwayDeadline = Timeout.InfiniteTimeSpan;

        byte[] _sendBuffer = new byte[GeminiClientMessages.AudioMessageLength(InitialSendSamples)];
        short[] _decoded = new short[4096];
        byte[] _unescaped = Array.Empty<byte>();

        // Gemini has no item ids: each model turn gets a local one so playout and transcripts can be keyed.
        int _turn;
        string _itemId;
        bool _inTurn;
        bool _interrupted;
        readonly StringBuilder _userText = new StringBuilder();
        readonly StringBuilder _agentText = new StringBuilder();

        public GeminiLiveProvider(ICredentialSource credentials, GeminiLiveOptions options = null)
            : base(SettingsOf(credentials, options ?? new GeminiLiveOptions()))
        {
            _options = options ?? new GeminiLiveOptions();
            _buildAudio = pcm =>
            {
                var needed = GeminiClientMessages.AudioMessageLength(pcm.Length);
                if (_sendBuffer.Length < needed) _sendBuffer = new byte[needed]; // grows to the largest chunk once, then reused
                return new ReadOnlyMemory<byte>(_sendBuffer, 0, GeminiClientMessages.WriteAudio(pcm.Span, _sendBuffer));
            };
            _capabilities = new ProviderCapabilities
            {
                InputSampleRate = GeminiClientMessages.InputSampleRate,
                OutputSampleRate = GeminiServerMessageReader.DefaultOutputRate,
                ServerTurnDetection = true,
                SemanticTurnDetection = false,
                ManualTurns = true,
                FullDuplex = true,
                // Gemini has no truncate call: on barge-in the server itself discards the unsent rest of the reply.
                TruncatesHistory = false,
                Resumption = true,
                Tools = true,
                InputTranscripts = true,
                OutputTranscripts = _options.OutputTranscription,
                UsageReporting = true,
                TextInput = true,
                // clientContent is appended to the history but interrupts a generation in progress.
                ContextInterruptsReply = true,
            };
        }

        static ConnectionSettings SettingsOf(ICredentialSource credentials, GeminiLiveOptions options) => new ConnectionSettings
        {
            Credentials = credentials ?? throw new ArgumentNullException(nameof(credentials)),
            CredentialRequired = true,
            AllowInsecure = false,
            TransportFactory = options.TransportFactory,
            HandshakeTimeout = options.SetupTimeout,
            StallTimeout = options.StallTimeout,
            MaxMessageBytes = options.MaxMessageBytes,
            KeepAliveInterval = options.KeepAliveInterval,
            Clock = options.Clock,
            PeerName = "Gemini Live",
        };

        public string Name => "gemini";
        public ProviderCapabilities Capabilities => _capabilities;
        public bool IsConnected => IsOpen;

        /// <summary>The latest handle that came with resumable: true (null before the first).</summary>
        public string ResumeHandle => _resumeHandle;

        public async Task ConnectAsync(SessionConfig config, IProviderListener listener, CancellationToken cancellationToken)
        {
            if (_disposed) throw new ObjectDisposedException(nameof(GeminiLiveProvider));
            if (IsOpen) throw new InvalidOperationException("Already connected.");
            _config = config ?? throw new ArgumentNullException(nameof(config));
            _listener = listener ?? throw new ArgumentNullException(nameof(listener));
            if (config.TurnDetection != null && config.TurnDetection.Mode == TurnDetectionMode.SemanticVad)
                throw new ProviderException(ProviderErrorKind.Unsupported, "semantic_vad", "Gemini Live has no semantic VAD; use ServerVad or Manual.");
            GeminiClientMessages.Setup(config, _options, null); // validate tools/sensitivities before touching the network

            _inTurn = _interrupted = _replyOwed = false;
            _goAwayDeadline = Timeout.InfiniteTimeSpan;
            _userText.Clear();
            _agentText.Clear();
            _resumeHandle = config.ResumeHandle;
            _sessionId = null;
            await OpenAsync(cancellationToken).ConfigureAwait(false);
            _listener.OnEvent(new SessionStarted { SessionId = _sessionId, Model = config.Model ?? _options.DefaultModel });
            if (string.IsNullOrEmpty(config.ResumeHandle) && config.History.Count > 0)
                await SendJsonAsync(GeminiClientMessages.History(config.History), cancellationToken).ConfigureAwait(false);
        }

        /// <summary>API keys in <c>?key=</c>, ephemeral tokens in <c>?access_token=</c> (see <see cref="BuildUri"/>).</summary>
        protected override Uri PrepareRequest(Credential credential, WebSocketConnectOptions options) => BuildUri(_options, credential.Secret);

        /// <summary>One <c>setup</c> (with the resume handle, if any); nothing else until <c>setupComplete</c>.</summary>
        protected override Task OnOpenedAsync(CancellationToken cancellationToken) =>
            SendJsonAsync(GeminiClientMessages.Setup(_config, _options, _resumeHandle), cancellationToken);

        /// <summary>API keys: <c>?key=</c> on BidiGenerateContent; ephemeral tokens (auth_tokens/…): <c>?access_token=</c> on BidiGenerateContentConstrained.</summary>
        public static Uri BuildUri(GeminiLiveOptions options, string secret)
        {
            var ephemeral = secret.StartsWith("auth_tokens/", StringComparison.Ordinal);
            var version = ephemeral ? options.EphemeralApiVersion : options.ApiVersion;
            var method = ephemeral ? "BidiGenerateContentConstrained" : "BidiGenerateContent";
            var host = options.Host.GetLeftPart(UriPartial.Authority);
            return new Uri(host + "/ws/google.ai.generativelanguage." + version + ".GenerativeService." + method
                           + (ephemeral ? "?access_token=" : "?key=") + Uri.EscapeDataString(secret));
        }

        /// <summary>The caller keeps the audio (the session's backlog) when this throws: the connection is gone.</summary>
        public ValueTask SendAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken cancellationToken) =>
            pcm.Length == 0 ? default : SendBuiltAsync(_buildAudio, pcm, MessageKind.Text, cancellationToken);

        public Task StartUserTurnAsync(CancellationToken cancellationToken)
        {
            // activityStart is only valid with automatic activity detection disabled.
            return IsManual ? SendControl(GeminiClientMessages.ActivityStart, cancellationToken) : Task.CompletedTask;
        }

        public Task EndUserTurnAsync(CancellationToken cancellationToken)
        {
            ExpectReply();
            // With server VAD, audioStreamEnd flushes the audio the server is still holding (mic released).
            return SendControl(IsManual ? GeminiClientMessages.ActivityEnd : GeminiClientMessages.AudioStreamEnd, cancellationToken);
        }

        bool IsManual => _config != null && _config.TurnDetection != null && _config.TurnDetection.Mode == TurnDetectionMode.Manual;

        public Task SendTextAsync(string text, CancellationToken cancellationToken)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            ExpectReply();
            return SendJsonAsync(GeminiClientMessages.Text(text), cancellationToken);
        }

        /// <summary>
        /// <c>clientContent</c> with one user turn and <c>turnComplete: false</c>: appended to the history, no reply
        /// (turnComplete true would ask for one). clientContent interrupts a generation in progress, so the session
        /// holds context until the reply has been generated (<see cref="ProviderCapabilities.ContextInterruptsReply"/>).
        /// 3.1 flash live takes clientContent for the whole session (ai.google.dev, gemini-3.1-flash-live-preview,
        /// "client content"); realtimeInput.text would be answered.
        /// </summary>
        public async Task<ContextDelivery> AddContextAsync(string text, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(text)) throw new ArgumentException("Context is empty.", nameof(text));
            await SendJsonAsync(GeminiClientMessages.Context(text), cancellationToken).ConfigureAwait(false);
            return ContextDelivery.Sent;
        }

        /// <summary>
        /// Gemini has no cancel or truncate: on barge-in detected by its VAD the server discards the rest of the
        /// reply itself. For a barge-in the game detected (push-to-talk), a manual session sends activityStart,
        /// which interrupts generation (START_OF_ACTIVITY_INTERRUPTS); with server VAD there is nothing to send.
        /// </summary>
        public Task InterruptAsync(InterruptRequest request, CancellationToken cancellationToken)
        {
            return IsManual && _inTurn ? SendControl(GeminiClientMessages.ActivityStart, cancellationToken) : Task.CompletedTask;
        }

        public Task SendToolResultAsync(string callId, string name, string resultJson, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(callId)) throw new ArgumentException("The Developer API needs the function call's id.", nameof(callId));
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("Function name required.", nameof(name));
            ExpectReply();
            return SendJsonAsync(GeminiClientMessages.ToolResponse(callId, name, resultJson), cancellationToken);
        }

        Task SendControl(byte[] message, CancellationToken cancellationToken) => SendAsync(message, MessageKind.Text, cancellationToken).AsTask();

        void ExpectReply()
        {
            _replyOwed = true;
            UpdateWatchdog();
        }

        /// <summary>
        /// Armed while a reply is owed or streaming; after goAway, armed until the announced deadline (+5 s) so a
        /// server that goes silent instead of closing still ends the connection.
        /// </summary>
        void UpdateWatchdog()
        {
            if (_goAwayDeadline != Timeout.InfiniteTimeSpan) ExpectServer(true, _goAwayDeadline, "go_away_deadline");
            else ExpectServer(_replyOwed || _inTurn);
        }

        protected override Task OnMessageAsync(ReadOnlySpan<byte> message, MessageKind kind)
        {
            if (!HandshakeDone)
            {
                try { GeminiServerMessageReader.Read(message, _message); }
                catch (FormatException e) { throw new ProviderException(ProviderErrorKind.Protocol, "malformed_json", "Setup answer is not JSON: " + e.Message); }
                // The server must answer setup first; anything else means the session is not set up.
                if (!_message.SetupComplete)
                    throw new ProviderException(ProviderErrorKind.Protocol, "unexpected_message", "Expected setupComplete before any other server message.");
                _sessionId = _message.SessionId;
                CompleteHandshake();
                return Task.CompletedTask;
            }
            Handle();
            UpdateWatchdog();
            return Task.CompletedTask;
        }

        protected override void OnError(ProviderError e) => Emit(e);

        protected override void OnEnded(Disconnected e)
        {
            _inTurn = false;
            _replyOwed = false;
            Emit(e);
        }

        void Handle()
        {
            try { GeminiServerMessageReader.Read(ReceiveBuffer.Span, _message); }
            catch (FormatException e)
            {
                Emit(ConnectionErrors.Error(ProviderErrorKind.Protocol, "malformed_json", e.Message, false));
                return;
            }
            var m = _message;
            if (m.HasServerContent) HandleServerContent(m);
            if (m.HasUsage)
            {
                var model = _config.Model ?? _options.DefaultModel;
                Emit(new UsageReported { Usage = m.Usage, Source = "response", Model = model, EstimatedCostUsd = _options.Prices?.Cost(model, m.Usage) });
            }
            for (var i = 0; i < m.FunctionCalls.Count; i++)
            {
                var call = m.FunctionCalls[i];
                _replyOwed = false; // the model now waits for us, not the other way round
                if (string.IsNullOrEmpty(call.Id) || string.IsNullOrEmpty(call.Name))
                {
                    // toolResponse needs both (SendToolResultAsync refuses the call otherwise): it could never be answered.
                    Emit(ConnectionErrors.Error(ProviderErrorKind.Protocol, "bad_tool_call", "functionCall without a string id and name; skipped.", false));
                    continue;
                }
                Emit(new ToolCallRequested { CallId = call.Id, Name = call.Name, ArgumentsJson = call.ArgumentsJson });
            }
            if (m.HasToolCallCancellation)
            {
                var e = new ToolCallsCancelled();
                e.CallIds.AddRange(m.CancelledCallIds);
                Emit(e);
            }
            if (m.HasResumptionUpdate && m.Resumable && !string.IsNullOrEmpty(m.NewHandle))
            {
                _resumeHandle = m.NewHandle;
                Emit(new ResumptionHandleUpdated { Handle = m.NewHandle });
            }
            if (m.HasGoAway && _goAwayDeadline == Timeout.InfiniteTimeSpan)
            {
                // Reported once; the session resumes on a new connection. Until it closes this one, keep going,
                // but not past the server's deadline (it may go silent instead of closing).
                _goAwayDeadline = m.GoAwayTimeLeft + TimeSpan.FromSeconds(5);
                Emit(new GoingAway { TimeLeft = m.GoAwayTimeLeft });
            }
        }

        void HandleServerContent(GeminiServerMessage m)
        {
            if (m.InputTranscription != null)
            {
                _userText.Append(m.InputTranscription);
                Emit(new UserTranscript { ItemId = UserItemId, Text = m.InputTranscription, IsFinal = false });
            }
            if (m.HasModelTurn && !_inTurn)
            {
                _inTurn = true;
                _interrupted = false;
                _itemId = "gemini-turn-" + (++_turn);
                _replyOwed = false;
                Emit(new ResponseStarted { ResponseId = _itemId });
            }
            for (var i = 0; i < m.Audio.Count; i++) DeliverAudio(m.Audio[i]);
            for (var i = 0; i < m.TextParts.Count; i++)
            {
                _agentText.Append(m.TextParts[i]);
                Emit(new AgentTranscript { ResponseId = _itemId, ItemId = _itemId, Text = m.TextParts[i], IsFinal = false });
            }
            if (m.OutputTranscription != null)
            {
                _agentText.Append(m.OutputTranscription);
                Emit(new AgentTranscript { ResponseId = _itemId, ItemId = _itemId, Text = m.OutputTranscription, IsFinal = false });
            }
            if (m.Interrupted)
            {
                _interrupted = true;
                Emit(new ServerInterrupted());
            }
            if (m.GenerationComplete) Emit(new AgentAudioDone { ResponseId = _itemId, ItemId = _itemId });
            if (m.TurnComplete)
            {
                if (_userText.Length > 0)
                {
                    Emit(new UserTranscript { ItemId = UserItemId, Text = _userText.ToString(), IsFinal = true });
                    _userText.Clear();
                }
                if (_agentText.Length > 0)
                {
                    Emit(new AgentTranscript { ResponseId = _itemId, ItemId = _itemId, Text = _agentText.ToString(), IsFinal = true });
                    _agentText.Clear();
                }
                Emit(new ResponseDone
                {
                    ResponseId = _itemId,
                    Status = _interrupted ? ResponseStatus.Interrupted : ResponseStatus.Completed,
                    Reason = _interrupted ? "interrupted" : m.TurnCompleteReason,
                    Usage = m.HasUsage ? m.Usage : default,
                });
                _inTurn = false;
                _interrupted = false;
                _replyOwed = false;
            }
        }

        string UserItemId => "gemini-user-" + (_turn + 1);

        void DeliverAudio(AudioPayload a)
        {
            var source = ReceiveBuffer.Span.Slice(a.Start, a.Length);
            if (a.Escaped)
            {
                // Only if the server escaped '/' as "\/" (legal JSON): resolve into a reused scratch buffer.
                if (_unescaped.Length < a.Length) _unescaped = new byte[a.Length];
                source = new ReadOnlySpan<byte>(_unescaped, 0, GeminiServerMessageReader.Unescape(source, _unescaped));
            }
            var max = Pcm16Base64.MaxDecodedSamples(source.Length) + 1;
            if (_decoded.Length < max) _decoded = new short[max];
            int samples;
            try { samples = Pcm16Base64.Decode(source, _decoded); }
            catch (FormatException e)
            {
                Emit(new ProviderError { ErrorKind = ProviderErrorKind.Protocol, Code = "bad_audio", Message = e.Message });
                return;
            }
            if (a.SampleRate != _capabilities.OutputSampleRate)
            {
                Emit(new ProviderError { ErrorKind = ProviderErrorKind.Protocol, Code = "unexpected_rate", Message = "Server audio at " + a.SampleRate + " Hz; expected " + _capabilities.OutputSampleRate + " Hz. Chunk dropped." });
                return;
            }
            _listener.OnAudio(_itemId, new ReadOnlySpan<short>(_decoded, 0, samples));
        }

        void Emit(ProviderEvent e) => _listener?.OnEvent(e);

        public Task DisconnectAsync(CancellationToken cancellationToken) => CloseAsync(cancellationToken);

        public override void Dispose()
        {
            _disposed = true;
            base.Dispose();
        }
    }
}
