using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Parley.Audio;
using Parley.Providers.Auth;
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
    public sealed class GeminiLiveProvider : IVoiceProvider
    {
        const int InitialSendSamples = 1600; // 100 ms; the send buffer grows to the largest chunk once

        readonly ICredentialSource _credentials;
        readonly GeminiLiveOptions _options;
        readonly ProviderCapabilities _capabilities;
        readonly SemaphoreSlim _sendLock = new SemaphoreSlim(1, 1);
        readonly GeminiServerMessage _message = new GeminiServerMessage();
        readonly MessageBuffer _receiveBuffer;

        IWebSocketTransport _transport;
        SessionConfig _config;
        IProviderListener _listener;
        CancellationTokenSource _life;
        CancellationTokenSource _stall;
        Task _receiveTask;
        volatile bool _connected;
        volatile bool _replyOwed;
        volatile bool _disposed;
        volatile bool _closingByClient;
        int _ended;
        string _resumeHandle;
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
        {
            _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
            _options = options ?? new GeminiLiveOptions();
            _receiveBuffer = new MessageBuffer(64 * 1024, Math.Max(64 * 1024, _options.MaxMessageBytes));
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
            };
        }

        public string Name => "gemini";
        public ProviderCapabilities Capabilities => _capabilities;
        public bool IsConnected => _connected;

        /// <summary>The latest handle that came with resumable: true (null before the first).</summary>
        public string ResumeHandle => _resumeHandle;

        public async Task ConnectAsync(SessionConfig config, IProviderListener listener, CancellationToken cancellationToken)
        {
            if (_disposed) throw new ObjectDisposedException(nameof(GeminiLiveProvider));
            if (_connected) throw new InvalidOperationException("Already connected.");
            _config = config ?? throw new ArgumentNullException(nameof(config));
            _listener = listener ?? throw new ArgumentNullException(nameof(listener));
            if (config.TurnDetection != null && config.TurnDetection.Mode == TurnDetectionMode.SemanticVad)
                throw new ProviderException(ProviderErrorKind.Unsupported, "semantic_vad", "Gemini Live has no semantic VAD; use ServerVad or Manual.");
            GeminiClientMessages.Setup(config, _options, null); // validate tools/sensitivities before touching the network

            _life = new CancellationTokenSource();
            _ended = 0;
            _closingByClient = false;
            _inTurn = _interrupted = _replyOwed = false;
            _goAwayDeadline = Timeout.InfiniteTimeSpan;
            _userText.Clear();
            _agentText.Clear();
            _resumeHandle = config.ResumeHandle;
            var sessionId = await OpenAsync(_resumeHandle, cancellationToken).ConfigureAwait(false);
            _connected = true;
            _listener.OnEvent(new SessionStarted { SessionId = sessionId, Model = config.Model ?? _options.DefaultModel });
            if (string.IsNullOrEmpty(config.ResumeHandle) && config.History.Count > 0)
                await SendControlAsync(GeminiClientMessages.History(config.History), cancellationToken).ConfigureAwait(false);
            _receiveTask = Task.Run(() => ReceiveLoopAsync(_life.Token));
        }

        /// <summary>Connects a fresh transport, sends setup and waits for setupComplete; returns the Vertex session id if any.</summary>
        async Task<string> OpenAsync(string handle, CancellationToken cancellationToken)
        {
            var credential = await _credentials.GetAsync(cancellationToken).ConfigureAwait(false);
            if (credential.IsEmpty) throw new ProviderException(ProviderErrorKind.Authentication, "missing_key", "No Gemini API key or ephemeral token.");
            var uri = BuildUri(_options, credential.Secret);
            EndpointSecurity.Check(uri, false);

            var transport = _options.TransportFactory();
            var connectOptions = new WebSocketConnectOptions
            {
                MaxMessageBytes = _receiveBuffer.Limit,
                ConnectTimeout = _options.SetupTimeout,
                KeepAliveInterval = _options.KeepAliveInterval,
            };
            try
            {
                await transport.ConnectAsync(uri, connectOptions, cancellationToken).ConfigureAwait(false);
                var setup = Encoding.UTF8.GetBytes(GeminiClientMessages.Setup(_config, _options, handle));
                await transport.SendAsync(setup, MessageKind.Text, cancellationToken).ConfigureAwait(false);
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    timeout.CancelAfter(_options.SetupTimeout);
                    while (true)
                    {
                        ReceivedMessage m;
                        try { m = await transport.ReceiveAsync(_receiveBuffer, timeout.Token).ConfigureAwait(false); }
                        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                        {
                            throw new ProviderException(ProviderErrorKind.Stalled, "setup_timeout", "No setupComplete within " + _options.SetupTimeout.TotalSeconds + " s.");
                        }
                        if (m.Kind == MessageKind.Close)
                        {
                            var e = CloseError(m.CloseStatus, m.CloseReason);
                            throw new ProviderException(e.ErrorKind, e.Code, e.Message);
                        }
                        try { GeminiServerMessageReader.Read(_receiveBuffer.Span, _message); }
                        catch (FormatException e) { throw new ProviderException(ProviderErrorKind.Protocol, "malformed_json", "Setup answer is not JSON: " + e.Message); }
                        if (_message.SetupComplete)
                        {
                            _transport = transport;
                            transport = null;
                            return _message.SessionId;
                        }
                        // The server must answer setup first; anything else means the session is not set up.
                        throw new ProviderException(ProviderErrorKind.Protocol, "unexpected_message", "Expected setupComplete before any other server message.");
                    }
                }
            }
            catch (ObjectDisposedException)
            {
                throw new ProviderException(ProviderErrorKind.Transport, "disposed", "The provider was disposed while connecting.");
            }
            catch (TransportException e)
            {
                throw new ProviderException(e.HttpStatus == 401 || e.HttpStatus == 403 ? ProviderErrorKind.Authentication : ProviderErrorKind.Transport,
                    e.HttpStatus > 0 ? e.HttpStatus.ToString() : e.Kind.ToString(), e.Message, e);
            }
            finally
            {
                transport?.Dispose();
            }
        }

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

        public async ValueTask SendAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken cancellationToken)
        {
            if (pcm.Length == 0) return;
            if (!_connected) throw new ProviderException(ProviderErrorKind.Transport, "not_connected", "The Gemini session is not connected.");
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var needed = GeminiClientMessages.AudioMessageLength(pcm.Length);
                if (_sendBuffer.Length < needed) _sendBuffer = new byte[needed]; // grows to the largest chunk once, then reused
                var n = GeminiClientMessages.WriteAudio(pcm.Span, _sendBuffer);
                await _transport.SendAsync(new ReadOnlyMemory<byte>(_sendBuffer, 0, n), MessageKind.Text, cancellationToken).ConfigureAwait(false);
            }
            catch (TransportException e)
            {
                // The caller keeps the audio (the session's backlog) for the next connection.
                throw new ProviderException(ProviderErrorKind.Transport, e.Kind.ToString(), e.Message, e);
            }
            finally { _sendLock.Release(); }
        }

        public Task StartUserTurnAsync(CancellationToken cancellationToken)
        {
            // activityStart is only valid with automatic activity detection disabled.
            return IsManual ? SendControlAsync(GeminiClientMessages.ActivityStart, cancellationToken) : Task.CompletedTask;
        }

        public Task EndUserTurnAsync(CancellationToken cancellationToken)
        {
            ExpectReply();
            // With server VAD, audioStreamEnd flushes the audio the server is still holding (mic released).
            return SendControlAsync(IsManual ? GeminiClientMessages.ActivityEnd : GeminiClientMessages.AudioStreamEnd, cancellationToken);
        }

        bool IsManual => _config != null && _config.TurnDetection != null && _config.TurnDetection.Mode == TurnDetectionMode.Manual;

        public Task SendTextAsync(string text, CancellationToken cancellationToken)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            ExpectReply();
            return SendControlAsync(GeminiClientMessages.Text(text), cancellationToken);
        }

        /// <summary>
        /// Gemini has no cancel or truncate: on barge-in detected by its VAD the server discards the rest of the
        /// reply itself. For a barge-in the game detected (push-to-talk), a manual session sends activityStart,
        /// which interrupts generation (START_OF_ACTIVITY_INTERRUPTS); with server VAD there is nothing to send.
        /// </summary>
        public Task InterruptAsync(InterruptRequest request, CancellationToken cancellationToken)
        {
            return IsManual && _inTurn ? SendControlAsync(GeminiClientMessages.ActivityStart, cancellationToken) : Task.CompletedTask;
        }

        public Task SendToolResultAsync(string callId, string name, string resultJson, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(callId)) throw new ArgumentException("The Developer API needs the function call's id.", nameof(callId));
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("Function name required.", nameof(name));
            ExpectReply();
            return SendControlAsync(GeminiClientMessages.ToolResponse(callId, name, resultJson), cancellationToken);
        }

        Task SendControlAsync(string json, CancellationToken cancellationToken) => SendControlAsync(Encoding.UTF8.GetBytes(json), cancellationToken);

        async Task SendControlAsync(byte[] message, CancellationToken cancellationToken)
        {
            if (!_connected) throw new ProviderException(ProviderErrorKind.Transport, "not_connected", "The Gemini session is not connected.");
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _transport.SendAsync(message, MessageKind.Text, cancellationToken).ConfigureAwait(false);
            }
            catch (TransportException e)
            {
                throw new ProviderException(ProviderErrorKind.Transport, e.Kind.ToString(), e.Message, e);
            }
            finally { _sendLock.Release(); }
        }

        void ExpectReply()
        {
            _replyOwed = true;
            ArmStallTimer();
        }

        void ArmStallTimer()
        {
            var stall = _stall;
            if (stall == null) return;
            try
            {
                if (_goAwayDeadline != Timeout.InfiniteTimeSpan) stall.CancelAfter(_goAwayDeadline);
                else if (_replyOwed || _inTurn) stall.CancelAfter(_options.StallTimeout);
                else stall.CancelAfter(Timeout.Infinite);
            }
            catch (ObjectDisposedException) { }
        }

        /// <summary>
        /// Receives until the connection ends, then reports why once: a typed <see cref="ProviderError"/> (unless it
        /// was a clean close) and one <see cref="Disconnected"/>. Whether to resume is the session's decision.
        /// </summary>
        async Task ReceiveLoopAsync(CancellationToken life)
        {
            ProviderError failure = null;
            var status = 0;
            string reason = null;
            _stall = CancellationTokenSource.CreateLinkedTokenSource(life);
            try
            {
                while (true)
                {
                    ArmStallTimer();
                    var m = await _transport.ReceiveAsync(_receiveBuffer, _stall.Token).ConfigureAwait(false);
                    if (m.Kind == MessageKind.Close)
                    {
                        status = m.CloseStatus;
                        reason = m.CloseReason;
                        failure = status == 1000 && _goAwayDeadline == Timeout.InfiniteTimeSpan && !_inTurn && !_replyOwed ? null : CloseError(status, reason);
                        break;
                    }
                    Handle();
                }
            }
            catch (OperationCanceledException) when (life.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException)
            {
                failure = _goAwayDeadline != Timeout.InfiniteTimeSpan
                    ? new ProviderError { ErrorKind = ProviderErrorKind.Stalled, Code = "go_away_deadline", Message = "The server said it would close and went silent." }
                    : new ProviderError { ErrorKind = ProviderErrorKind.Stalled, Code = "stalled", Message = "No server message for " + _options.StallTimeout.TotalSeconds + " s while a reply was owed." };
            }
            catch (TransportException e)
            {
                failure = e.Kind == TransportErrorKind.MessageTooLarge
                    ? new ProviderError { ErrorKind = ProviderErrorKind.Protocol, Code = "message_too_large", Message = e.Message }
                    : new ProviderError { ErrorKind = ProviderErrorKind.Transport, Code = e.Kind.ToString(), Message = e.Message };
            }
            catch (Exception) when (_closingByClient || life.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                // Something unforeseen in this provider: report it typed and end the connection rather than crash.
                failure = new ProviderError { ErrorKind = ProviderErrorKind.Protocol, Code = "internal", Message = e.GetType().Name + ": " + e.Message };
            }
            finally
            {
                _stall.Dispose();
                _stall = null;
            }

            if (life.IsCancellationRequested || _closingByClient) return;
            if (failure != null)
            {
                failure.IsFatal = true; // for this connection; the session decides whether to resume
                Emit(failure);
            }
            await EndAsync(status, failure != null ? failure.Message : reason, false, failure).ConfigureAwait(false);
        }

        void Handle()
        {
            try { GeminiServerMessageReader.Read(_receiveBuffer.Span, _message); }
            catch (FormatException e)
            {
                Emit(new ProviderError { ErrorKind = ProviderErrorKind.Protocol, Code = "malformed_json", Message = e.Message });
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
            var source = _receiveBuffer.Span.Slice(a.Start, a.Length);
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

        async Task EndAsync(int status, string reason, bool byClient, ProviderError cause = null)
        {
            if (Interlocked.Exchange(ref _ended, 1) != 0) return;
            _connected = false;
            var t = _transport;
            if (t != null)
            {
                try
                {
                    using (var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
                        await t.CloseAsync(1000, byClient ? "bye" : "ending", closeTimeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is TransportException || e is OperationCanceledException || e is ObjectDisposedException) { }
                t.Dispose();
            }
            Emit(new Disconnected { CloseStatus = status, Reason = reason, ByClient = byClient, Error = cause });
        }

        /// <summary>Close codes as Gemini uses them, with the server's reason text (it says what is wrong).</summary>
        internal static ProviderError CloseError(int status, string reason)
        {
            var message = string.IsNullOrEmpty(reason) ? "Closed with " + status + "." : reason;
            ProviderErrorKind kind;
            switch (status)
            {
                case 1007: kind = ProviderErrorKind.InvalidRequest; break;
                case 1008:
                    var r = (reason ?? string.Empty).ToLowerInvariant();
                    kind = r.Contains("quota") || r.Contains("rate") ? ProviderErrorKind.RateLimited
                        : r.Contains("key") || r.Contains("auth") || r.Contains("permission") || r.Contains("token") ? ProviderErrorKind.Authentication
                        : ProviderErrorKind.InvalidRequest;
                    break;
                case 1011:
                case 1013:
                    kind = ProviderErrorKind.Server; break;
                case 1009: kind = ProviderErrorKind.Protocol; break;
                default: kind = ProviderErrorKind.Transport; break;
            }
            return new ProviderError { ErrorKind = kind, Code = status.ToString(), Message = message, IsFatal = true };
        }

        void Emit(ProviderEvent e) => _listener?.OnEvent(e);

        public async Task DisconnectAsync(CancellationToken cancellationToken)
        {
            if (!_connected) return;
            _closingByClient = true;
            // Close handshake first so the server sees 1000, then let the receive loop see the close and stop.
            var t = _transport;
            if (t != null && await _sendLock.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    using (var closeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                    {
                        closeTimeout.CancelAfter(TimeSpan.FromSeconds(2));
                        await t.CloseAsync(1000, "bye", closeTimeout.Token).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is TransportException || e is OperationCanceledException || e is ObjectDisposedException) { }
                finally { _sendLock.Release(); }
            }
            var receive = _receiveTask;
            if (receive != null) await Task.WhenAny(receive, Task.Delay(TimeSpan.FromSeconds(2), cancellationToken)).ConfigureAwait(false);
            _life?.Cancel();
            if (receive != null) await Task.WhenAny(receive, Task.Delay(TimeSpan.FromSeconds(2), cancellationToken)).ConfigureAwait(false);
            await EndAsync(1000, "client disconnect", true).ConfigureAwait(false);
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _connected = false;
            _life?.Cancel();
            _transport?.Dispose();
            _life?.Dispose();
        }
    }
}
