using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Parley.Audio;
using Parley.Providers.Auth;
using Parley.Transport;

namespace Parley.Providers.OpenAI
{
    /// <summary>
    /// OpenAI Realtime API (GA only) over a WebSocket. Output audio is decoded from the received bytes without
    /// a DOM; control events are parsed with Json.NET. Interruption keeps the server's memory equal to what
    /// the player heard (truncate at min(played, received)); response.create is never sent while a response
    /// is active (it is queued until response.done). G.711 (`audio/pcmu`, `audio/pcma`) is encoded and decoded
    /// here, so the session sees 8 kHz PCM16 in and out.
    /// </summary>
    public sealed class OpenAIRealtimeProvider : IVoiceProvider
    {
        /// <summary>OpenAI closes a Realtime session after 60 minutes; the session renews before that.</summary>
        public static readonly TimeSpan SessionCap = TimeSpan.FromMinutes(60);

        readonly OpenAIRealtimeOptions _options;
        // Fixed at construction: the capabilities (rates) the session sizes its audio path by depend on them.
        readonly OpenAIAudioEncoding _inputEncoding;
        readonly OpenAIAudioEncoding _outputEncoding;
        /// <summary>Output samples per millisecond (24 for PCM16, 8 for G.711), for truncation and ReceivedMs.</summary>
        readonly int _outputSamplesPerMs;
        readonly ProviderCapabilities _capabilities;
        readonly object _state = new object();
        readonly SemaphoreSlim _sendLock = new SemaphoreSlim(1, 1);
        readonly AppendEventWriter _append = new AppendEventWriter();
        readonly HashSet<string> _loggedTypes = new HashSet<string>();
        // Received output per item, for clamping truncation; bounded (only recent items can be interrupted).
        readonly Dictionary<string, long> _receivedSamples = new Dictionary<string, long>();

        IWebSocketTransport _transport;
        IProviderListener _listener;
        SessionConfig _config;
        CancellationTokenSource _loopCts;
        Task _loop;
        Timer _watchdog;
        TaskCompletionSource<bool> _ready;
        MessageBuffer _receiveBuffer;
        readonly OpenAIAudioDeltaDecoder _decoder;
        string _lastItemId;
        long _lastItemSamples;

        bool _responseActive;
        string _activeResponseId;
        bool _serverCancelling;
        bool _pendingResponseCreate;
        long _lastReceiveTicks;
        bool _stallReported;
        int _disconnectRaised;
        bool _closingByClient;
        int _eventCounter;
        string _model;

        public OpenAIRealtimeProvider(OpenAIRealtimeOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _inputEncoding = OpenAIRealtimeOptions.CheckEncoding(options.InputEncoding, "options.InputEncoding");
            _outputEncoding = OpenAIRealtimeOptions.CheckEncoding(options.OutputEncoding, "options.OutputEncoding");
            _outputSamplesPerMs = OpenAIRealtimeOptions.SampleRate(_outputEncoding) / 1000;
            _decoder = new OpenAIAudioDeltaDecoder(_outputEncoding);
            _capabilities = new ProviderCapabilities
            {
                InputSampleRate = OpenAIRealtimeOptions.SampleRate(_inputEncoding),
                OutputSampleRate = OpenAIRealtimeOptions.SampleRate(_outputEncoding),
                ServerTurnDetection = true,
                SemanticTurnDetection = true,
                ManualTurns = true,
                FullDuplex = true,
                TruncatesHistory = true,
                Resumption = false,
                Tools = true,
                InputTranscripts = true,
                OutputTranscripts = true,
                UsageReporting = true,
                TextInput = true,
                MaxSessionDuration = SessionCap,
            };
        }

        public string Name => "openai";
        public ProviderCapabilities Capabilities => _capabilities;
        public bool IsConnected => _transport != null && _transport.IsOpen && _ready != null && _ready.Task.Status == TaskStatus.RanToCompletion;

        /// <summary>True between response.created and response.done.</summary>
        public bool ResponseActive { get { lock (_state) return _responseActive; } }

        /// <summary>The URL the provider connects to (no secret in it).</summary>
        public Uri ResolveUri(string model)
        {
            if (_options.FullUrl != null) return _options.FullUrl;
            var b = string.IsNullOrEmpty(_options.BaseUrl) ? OpenAIRealtimeOptions.DefaultBaseUrl : _options.BaseUrl;
            return new Uri(b + (b.IndexOf('?') >= 0 ? "&" : "?") + "model=" + Uri.EscapeDataString(model));
        }

        public async Task ConnectAsync(SessionConfig config, IProviderListener listener, CancellationToken cancellationToken)
        {
            if (config == null) throw new ArgumentNullException(nameof(config));
            _listener = listener ?? throw new ArgumentNullException(nameof(listener));
            if (_options.Credentials == null)
                throw new ProviderException(ProviderErrorKind.Authentication, "no_credentials", "No credential source: set OpenAIRealtimeOptions.Credentials.");
            if (!_capabilities.Supports((config.TurnDetection ?? new TurnDetection()).Mode))
                throw new ProviderException(ProviderErrorKind.Unsupported, "turn_detection", "Unsupported turn detection mode.");

            _config = config;
            _model = string.IsNullOrEmpty(config.Model) ? OpenAIRealtimeOptions.DefaultModel : config.Model;
            var uri = ResolveUri(_model);
            try { EndpointSecurity.Check(uri, _options.AllowInsecure); }
            catch (TransportException e) { throw new ProviderException(ProviderErrorKind.Transport, "insecure", e.Message, e); }

            Credential credential;
            try { credential = await _options.Credentials.GetAsync(cancellationToken).ConfigureAwait(false); }
            catch (OperationCanceledException) { throw; }
            catch (Exception e) { throw new ProviderException(ProviderErrorKind.Authentication, "credential_source_failed", "The credential source failed: " + e.Message, e); }
            if (credential.IsEmpty) throw new ProviderException(ProviderErrorKind.Authentication, "no_credentials", "The credential source returned no key or token.");

            var connect = new WebSocketConnectOptions { MaxMessageBytes = _options.MaxMessageBytes, ConnectTimeout = _options.HandshakeTimeout };
            if (_options.AuthInSubprotocol)
            {
                connect.SubProtocols.Add("realtime");
                connect.SubProtocols.Add("openai-insecure-api-key." + credential.Secret);
            }
            else connect.Headers.Add(new KeyValuePair<string, string>("Authorization", "Bearer " + credential.Secret));

            ResetState();
            _transport?.Dispose();
            _transport = _options.TransportFactory != null ? _options.TransportFactory() : new ClientWebSocketTransport();
            try
            {
                await _transport.ConnectAsync(uri, connect, cancellationToken).ConfigureAwait(false);
            }
            catch (TransportException e)
            {
                throw MapConnectFailure(e);
            }

            _ready = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _receiveBuffer = new MessageBuffer(64 * 1024, Math.Max(64 * 1024, _options.MaxMessageBytes));
            _loopCts = new CancellationTokenSource();
            _lastReceiveTicks = Stopwatch.GetTimestamp();
            _loop = Task.Run(() => ReceiveLoop(_loopCts.Token));
            var period = TimeSpan.FromMilliseconds(Math.Max(20, Math.Min(1000, _options.StallTimeout.TotalMilliseconds / 4)));
            _watchdog = new Timer(_ => CheckStall(), null, period, period);

            await SendTextFrame(OpenAIClientEvents.SessionUpdate(config, _options, _inputEncoding, _outputEncoding), cancellationToken).ConfigureAwait(false);

            var timeout = Task.Delay(_options.HandshakeTimeout, cancellationToken);
            if (await Task.WhenAny(_ready.Task, timeout).ConfigureAwait(false) != _ready.Task)
            {
                Abort();
                cancellationToken.ThrowIfCancellationRequested();
                throw new ProviderException(ProviderErrorKind.Stalled, "handshake_timeout", "The server did not confirm the session within " + _options.HandshakeTimeout.TotalSeconds + " s.");
            }
            await _ready.Task.ConfigureAwait(false);

            // No resumption on OpenAI: a new connection (reconnect, renewal before the 60-minute cap) gets the
            // conversation back as items. No response.create: the model waits for the player.
            foreach (var item in config.History)
            {
                var json = OpenAIClientEvents.HistoryItem(item);
                if (json != null) await SendTextFrame(json, cancellationToken).ConfigureAwait(false);
            }
        }

        static ProviderException MapConnectFailure(TransportException e)
        {
            if (e.Kind == TransportErrorKind.Rejected)
            {
                if (e.HttpStatus == 401 || e.HttpStatus == 403)
                    return new ProviderException(ProviderErrorKind.Authentication, e.HttpStatus.ToString(), "The server refused the key or token (HTTP " + e.HttpStatus + ").", e);
                if (e.HttpStatus == 429)
                    return new ProviderException(ProviderErrorKind.RateLimited, "429", "Rate limited (HTTP 429): too many sessions or requests.", e);
                if (e.HttpStatus >= 500)
                    return new ProviderException(ProviderErrorKind.Server, e.HttpStatus.ToString(), e.Message, e);
                return new ProviderException(ProviderErrorKind.InvalidRequest, e.HttpStatus.ToString(), e.Message, e);
            }
            return new ProviderException(ProviderErrorKind.Transport, e.Kind.ToString(), e.Message, e);
        }

        void ResetState()
        {
            lock (_state)
            {
                _responseActive = false;
                _activeResponseId = null;
                _serverCancelling = false;
                _pendingResponseCreate = false;
                _receivedSamples.Clear();
                _stallReported = false;
                _closingByClient = false;
            }
            _lastItemId = null;
            _disconnectRaised = 0;
        }

        // ---------------------------------------------------------------- sending

        public async ValueTask SendAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken cancellationToken)
        {
            if (pcm.Length == 0) return;
            var transport = _transport;
            if (transport == null) throw new ProviderException(ProviderErrorKind.Transport, "not_connected", "Not connected.");
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var frame = _append.Build(pcm.Span, _inputEncoding);
                await transport.SendAsync(frame, MessageKind.Text, cancellationToken).ConfigureAwait(false);
            }
            catch (TransportException e)
            {
                throw new ProviderException(ProviderErrorKind.Transport, e.Kind.ToString(), e.Message, e);
            }
            finally { _sendLock.Release(); }
        }

        async Task SendTextFrame(string json, CancellationToken cancellationToken)
        {
            var transport = _transport;
            if (transport == null) throw new ProviderException(ProviderErrorKind.Transport, "not_connected", "Not connected.");
            var bytes = Encoding.UTF8.GetBytes(json);
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try { await transport.SendAsync(bytes, MessageKind.Text, cancellationToken).ConfigureAwait(false); }
            catch (TransportException e) { throw new ProviderException(ProviderErrorKind.Transport, e.Kind.ToString(), e.Message, e); }
            finally { _sendLock.Release(); }
        }

        /// <summary>response.create now, or when the active response is done (the server refuses a second one).</summary>
        Task RequestResponse(CancellationToken cancellationToken)
        {
            lock (_state)
            {
                if (_responseActive)
                {
                    _pendingResponseCreate = true;
                    return Task.CompletedTask;
                }
                // Counted active at once so a second request before response.created queues too.
                _responseActive = true;
                _activeResponseId = null;
            }
            return SendTextFrame(OpenAIClientEvents.Simple("response.create"), cancellationToken);
        }

        public Task StartUserTurnAsync(CancellationToken cancellationToken) =>
            SendTextFrame(OpenAIClientEvents.Simple("input_audio_buffer.clear"), cancellationToken);

        public async Task EndUserTurnAsync(CancellationToken cancellationToken)
        {
            await SendTextFrame(OpenAIClientEvents.Simple("input_audio_buffer.commit"), cancellationToken).ConfigureAwait(false);
            await RequestResponse(cancellationToken).ConfigureAwait(false);
        }

        public async Task SendTextAsync(string text, CancellationToken cancellationToken)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            await SendTextFrame(OpenAIClientEvents.UserText(text), cancellationToken).ConfigureAwait(false);
            await RequestResponse(cancellationToken).ConfigureAwait(false);
        }

        public async Task SendToolResultAsync(string callId, string name, string resultJson, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(callId)) throw new ArgumentException("A call id is required.", nameof(callId));
            await SendTextFrame(OpenAIClientEvents.FunctionCallOutput(callId, resultJson), cancellationToken).ConfigureAwait(false);
            await RequestResponse(cancellationToken).ConfigureAwait(false);
        }

        public async Task InterruptAsync(InterruptRequest request, CancellationToken cancellationToken)
        {
            bool cancel;
            string responseId;
            long received = -1;
            lock (_state)
            {
                // With server VAD + interrupt_response the server is already cancelling: a second cancel only earns an error.
                cancel = _responseActive && !_serverCancelling;
                responseId = _activeResponseId;
                if (cancel) _serverCancelling = true;
                _pendingResponseCreate = false;
                if (request.ItemId != null && _receivedSamples.TryGetValue(request.ItemId, out var r)) received = r;
            }
            if (cancel)
                await SendTextFrame(OpenAIClientEvents.ResponseCancel(responseId, NextEventId("cancel")), cancellationToken).ConfigureAwait(false);
            if (received >= 0)
            {
                var receivedMs = (int)(received / _outputSamplesPerMs);
                var endMs = Math.Min(request.PlayedMs, receivedMs);
                await SendTextFrame(OpenAIClientEvents.Truncate(request.ItemId, endMs, NextEventId("truncate")), cancellationToken).ConfigureAwait(false);
            }
        }

        string NextEventId(string what) => "parley_" + what + "_" + Interlocked.Increment(ref _eventCounter);

        /// <summary>Milliseconds of output audio received for <paramref name="itemId"/> (-1 if unknown).</summary>
        public int ReceivedMs(string itemId)
        {
            lock (_state) return itemId != null && _receivedSamples.TryGetValue(itemId, out var s) ? (int)(s / _outputSamplesPerMs) : -1;
        }

        public async Task DisconnectAsync(CancellationToken cancellationToken)
        {
            var transport = _transport;
            if (transport == null) return;
            lock (_state) _closingByClient = true;
            try { await transport.CloseAsync(1000, "bye", cancellationToken).ConfigureAwait(false); }
            catch (TransportException) { }
            var loop = _loop;
            if (loop != null && await Task.WhenAny(loop, Task.Delay(2000, cancellationToken)).ConfigureAwait(false) != loop)
                Abort();
            RaiseDisconnected(1000, "closed by client", true);
        }

        public void Dispose()
        {
            lock (_state) _closingByClient = true;
            Abort();
            RaiseDisconnected(1000, "disposed", true);
        }

        void Abort()
        {
            _watchdog?.Dispose();
            _watchdog = null;
            try { _loopCts?.Cancel(); } catch (ObjectDisposedException) { }
            _transport?.Dispose();
        }

        // ---------------------------------------------------------------- receiving

        void CheckStall()
        {
            lock (_state)
            {
                if (!_responseActive || _stallReported) return;
                var elapsed = (Stopwatch.GetTimestamp() - Interlocked.Read(ref _lastReceiveTicks)) / (double)Stopwatch.Frequency;
                if (elapsed < _options.StallTimeout.TotalSeconds) return;
                _stallReported = true;
            }
            Raise(new ProviderError
            {
                ErrorKind = ProviderErrorKind.Stalled,
                Code = "stalled",
                Message = "No server event for " + _options.StallTimeout.TotalSeconds + " s during a response; closing the connection.",
                IsFatal = true,
            });
            Abort();
        }

        async Task ReceiveLoop(CancellationToken ct)
        {
            var transport = _transport;
            var buffer = _receiveBuffer;
            while (true)
            {
                ReceivedMessage m;
                try
                {
                    m = await transport.ReceiveAsync(buffer, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    FailReady(new ProviderException(ProviderErrorKind.Transport, "aborted", "The connection was closed."));
                    RaiseDisconnected(1006, "aborted", ClosingByClient());
                    return;
                }
                catch (TransportException e)
                {
                    var byClient = ClosingByClient() || ct.IsCancellationRequested;
                    if (!byClient)
                    {
                        var kind = e.Kind == TransportErrorKind.MessageTooLarge ? ProviderErrorKind.Protocol : ProviderErrorKind.Transport;
                        Raise(new ProviderError { ErrorKind = kind, Code = e.Kind.ToString(), Message = e.Message, IsFatal = true });
                        FailReady(new ProviderException(kind, e.Kind.ToString(), e.Message, e));
                    }
                    else FailReady(new ProviderException(ProviderErrorKind.Transport, "closed", "The connection was closed."));
                    RaiseDisconnected(1006, e.Message, byClient);
                    return;
                }
                catch (ObjectDisposedException)
                {
                    FailReady(new ProviderException(ProviderErrorKind.Transport, "closed", "The connection was closed."));
                    RaiseDisconnected(1006, "disposed", true);
                    return;
                }
                Interlocked.Exchange(ref _lastReceiveTicks, Stopwatch.GetTimestamp());
                if (m.Kind == MessageKind.Close)
                {
                    HandleClose(m.CloseStatus, m.CloseReason);
                    return;
                }
                try
                {
                    await Dispatch(buffer.Span.Slice(0, m.Count), ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
                catch (ProviderException e) when (e.Kind == ProviderErrorKind.Transport) { }
                catch (Exception e)
                {
                    // A listener or handler bug must not kill the connection.
                    Raise(new ProviderError { ErrorKind = ProviderErrorKind.Protocol, Code = "handler_failed", Message = e.GetType().Name + ": " + e.Message });
                }
            }
        }

        bool ClosingByClient() { lock (_state) return _closingByClient; }

        void HandleClose(int status, string reason)
        {
            var byClient = ClosingByClient();
            if (!byClient && status != 1000)
            {
                var kind = status == 1011 ? ProviderErrorKind.Server
                    : status == 1008 ? ProviderErrorKind.Authentication
                    : status == 1007 || status == 4000 ? ProviderErrorKind.InvalidRequest
                    : status == 1009 ? ProviderErrorKind.Protocol
                    : ProviderErrorKind.Transport;
                var code = status.ToString();
                if (!string.IsNullOrEmpty(reason))
                {
                    var dot = reason.LastIndexOf('.');
                    if (status == 4000 && dot >= 0 && dot < reason.Length - 1) code = reason.Substring(dot + 1);
                }
                var message = "The server closed the connection (" + status + (string.IsNullOrEmpty(reason) ? "" : ": " + reason) + ").";
                Raise(new ProviderError { ErrorKind = kind, Code = code, Message = message, IsFatal = true });
                FailReady(new ProviderException(kind, code, message));
            }
            else FailReady(new ProviderException(ProviderErrorKind.Transport, status.ToString(), "The server closed the connection before confirming the session."));
            RaiseDisconnected(status, reason, byClient);
        }

        void FailReady(ProviderException e) => _ready?.TrySetException(e);

        void RaiseDisconnected(int status, string reason, bool byClient)
        {
            if (Interlocked.Exchange(ref _disconnectRaised, 1) != 0) return;
            _watchdog?.Dispose();
            _watchdog = null;
            lock (_state)
            {
                _responseActive = false;
                _pendingResponseCreate = false;
            }
            Raise(new Disconnected { CloseStatus = status, Reason = reason, ByClient = byClient });
        }

        void Raise(ProviderEvent e)
        {
            try { _listener?.OnEvent(e); }
            catch (Exception ex) { Log("listener threw on " + e.Kind + ": " + ex.GetType().Name); }
        }

        void Log(string message) => _options.Log?.Invoke(message);

        void LogOnce(string type, string message)
        {
            lock (_loggedTypes)
                if (!_loggedTypes.Add(type)) return;
            Log(message);
        }

        Task Dispatch(ReadOnlySpan<byte> json, CancellationToken ct)
        {
            try
            {
                if (_decoder.TryDecode(json, out var itemId, out var pcm))
                {
                    DeliverAudio(itemId, pcm);
                    return Task.CompletedTask;
                }
            }
            catch (FormatException e)
            {
                Raise(new ProviderError { ErrorKind = ProviderErrorKind.Protocol, Code = "bad_audio", Message = e.Message });
                return Task.CompletedTask;
            }
            JObject o;
            try
            {
                using (var reader = new JsonTextReader(new System.IO.StringReader(Encoding.UTF8.GetString(json))) { DateParseHandling = DateParseHandling.None })
                {
                    o = JObject.Load(reader);
                    // Trailing garbage after the object is still malformed.
                    if (reader.Read() && reader.TokenType != JsonToken.Comment) throw new JsonReaderException("Additional text after the event.");
                }
            }
            catch (Exception e) when (e is JsonException || e is InvalidCastException)
            {
                Raise(new ProviderError { ErrorKind = ProviderErrorKind.Protocol, Code = "malformed_json", Message = "Skipped an event that is not valid JSON: " + e.Message });
                return Task.CompletedTask;
            }
            return Handle(o, ct);
        }

        void DeliverAudio(string itemId, ReadOnlySpan<short> pcm)
        {
            if (!ReferenceEquals(itemId, _lastItemId))
            {
                // A new item: the decoder hands out one string per item, so this runs once per item.
                _lastItemId = itemId;
                lock (_state)
                {
                    if (_receivedSamples.Count >= 32) _receivedSamples.Clear();
                    _receivedSamples.TryGetValue(itemId, out _lastItemSamples);
                }
            }
            _lastItemSamples += pcm.Length;
            lock (_state) _receivedSamples[itemId] = _lastItemSamples;
            if (pcm.Length > 0) _listener?.OnAudio(itemId, pcm);
        }

        static string Str(JObject o, string name) => JsonFields.Str(o, name);
        static int Int(JObject o, string name, int fallback = -1) => JsonFields.Int(o, name, fallback);
        static long Long(JToken o, string name) => JsonFields.Long(o, name);

        async Task Handle(JObject o, CancellationToken ct)
        {
            var type = Str(o, "type");
            switch (type)
            {
                case null:
                    Raise(new ProviderError { ErrorKind = ProviderErrorKind.Protocol, Code = "missing_type", Message = "Skipped an event without a type." });
                    return;
                case "session.created":
                {
                    var s = o["session"] as JObject;
                    Raise(new SessionStarted { SessionId = s != null ? Str(s, "id") : null, Model = s != null ? Str(s, "model") ?? _model : _model });
                    return;
                }
                case "session.updated":
                    CheckFormats(o["session"] as JObject);
                    _ready?.TrySetResult(true);
                    return;
                case "transcription_session.updated":
                    _ready?.TrySetResult(true);
                    return;
                case "input_audio_buffer.speech_started":
                    lock (_state)
                        if (_responseActive && _config != null && _config.TurnDetection.Mode != TurnDetectionMode.Manual && _config.TurnDetection.InterruptResponse)
                            _serverCancelling = true;
                    Raise(new UserSpeechStarted { ItemId = Str(o, "item_id"), AudioStartMs = Int(o, "audio_start_ms") });
                    return;
                case "input_audio_buffer.speech_stopped":
                    Raise(new UserSpeechStopped { ItemId = Str(o, "item_id"), AudioEndMs = Int(o, "audio_end_ms") });
                    return;
                case "conversation.item.input_audio_transcription.delta":
                    Raise(new UserTranscript { ItemId = Str(o, "item_id"), Text = Str(o, "delta") ?? "", IsFinal = false });
                    return;
                case "conversation.item.input_audio_transcription.completed":
                {
                    Raise(new UserTranscript { ItemId = Str(o, "item_id"), Text = Str(o, "transcript") ?? "", IsFinal = true });
                    if (o["usage"] is JObject u)
                    {
                        var usage = new TokenUsage();
                        if (Str(u, "type") == "duration") usage.TranscriptionSeconds = JsonFields.Number(u, "seconds") ?? 0;
                        else
                        {
                            usage.TranscriptionTokens = Long(u, "total_tokens");
                            usage.TotalTokens = usage.TranscriptionTokens;
                        }
                        var model = _config != null && !string.IsNullOrEmpty(_config.TranscriptionModel) ? _config.TranscriptionModel : "gpt-4o-mini-transcribe";
                        Raise(new UsageReported { Usage = usage, Source = "transcription", Model = model, EstimatedCostUsd = _options.Prices?.Cost(model, usage) });
                    }
                    return;
                }
                case "conversation.item.input_audio_transcription.failed":
                {
                    var err = o["error"] as JObject;
                    Raise(new ProviderError { ErrorKind = ProviderErrorKind.Server, Code = err != null ? Str(err, "code") ?? "transcription_failed" : "transcription_failed", Message = err != null ? Str(err, "message") : "Input transcription failed." });
                    return;
                }
                case "response.created":
                {
                    var r = o["response"] as JObject;
                    var id = r != null ? Str(r, "id") : null;
                    lock (_state)
                    {
                        _responseActive = true;
                        _activeResponseId = id;
                        _serverCancelling = false;
                        _stallReported = false;
                    }
                    Raise(new ResponseStarted { ResponseId = id });
                    return;
                }
                case "response.output_audio.delta":
                {
                    // Fallback for shapes the scanner declines (escaped strings): same result, slower.
                    var item = Str(o, "item_id");
                    var delta = Str(o, "delta");
                    if (item == null || delta == null)
                    {
                        Raise(new ProviderError { ErrorKind = ProviderErrorKind.Protocol, Code = "bad_audio", Message = "Audio delta without item_id or delta." });
                        return;
                    }
                    try { DeliverAudio(_decoder.ItemId(Encoding.UTF8.GetBytes(item)), _decoder.Decode(Encoding.ASCII.GetBytes(delta))); }
                    catch (FormatException e) { Raise(new ProviderError { ErrorKind = ProviderErrorKind.Protocol, Code = "bad_audio", Message = e.Message }); }
                    return;
                }
                case "response.output_audio.done":
                    Raise(new AgentAudioDone { ResponseId = Str(o, "response_id"), ItemId = Str(o, "item_id") });
                    return;
                case "response.output_audio_transcript.delta":
                case "response.output_text.delta":
                    Raise(new AgentTranscript { ResponseId = Str(o, "response_id"), ItemId = Str(o, "item_id"), Text = Str(o, "delta") ?? "", IsFinal = false });
                    return;
                case "response.output_audio_transcript.done":
                    Raise(new AgentTranscript { ResponseId = Str(o, "response_id"), ItemId = Str(o, "item_id"), Text = Str(o, "transcript") ?? "", IsFinal = true });
                    return;
                case "response.output_text.done":
                    Raise(new AgentTranscript { ResponseId = Str(o, "response_id"), ItemId = Str(o, "item_id"), Text = Str(o, "text") ?? "", IsFinal = true });
                    return;
                case "response.function_call_arguments.done":
                    Raise(new ToolCallRequested { CallId = Str(o, "call_id"), Name = Str(o, "name"), ArgumentsJson = Str(o, "arguments") ?? "{}" });
                    return;
                case "response.done":
                    await HandleResponseDone(o, ct).ConfigureAwait(false);
                    return;
                case "rate_limits.updated":
                    if (o["rate_limits"] is JArray limits)
                        foreach (var l in limits)
                            if (l is JObject lo)
                                Raise(new RateLimitsUpdated { Name = Str(lo, "name"), Limit = Long(lo, "limit"), Remaining = Long(lo, "remaining"), ResetSeconds = JsonFields.Number(lo, "reset_seconds") ?? 0 });
                    return;
                case "error":
                    HandleError(o["error"] as JObject);
                    return;
                // Deliberately ignored: bookkeeping the session does not need, WebRTC/SIP-only and MCP events.
                case "conversation.created":
                case "conversation.item.added":
                case "conversation.item.created":
                case "conversation.item.done":
                case "conversation.item.retrieved":
                case "conversation.item.deleted":
                case "conversation.item.truncated":
                case "conversation.item.input_audio_transcription.segment":
                case "input_audio_buffer.committed":
                case "input_audio_buffer.cleared":
                case "input_audio_buffer.timeout_triggered":
                case "input_audio_buffer.dtmf_event_received":
                case "output_audio_buffer.started":
                case "output_audio_buffer.stopped":
                case "output_audio_buffer.cleared":
                case "response.output_item.added":
                case "response.output_item.done":
                case "response.content_part.added":
                case "response.content_part.done":
                case "response.function_call_arguments.delta":
                case "response.mcp_call_arguments.delta":
                case "response.mcp_call_arguments.done":
                case "response.mcp_call.in_progress":
                case "response.mcp_call.completed":
                case "response.mcp_call.failed":
                case "mcp_list_tools.in_progress":
                case "mcp_list_tools.completed":
                case "mcp_list_tools.failed":
                    return;
                default:
                    LogOnce(type, "OpenAI Realtime: ignoring unknown server event type '" + type + "'.");
                    return;
            }
        }

        /// <summary>
        /// A server (or gateway) that confirms another audio format than the one asked for would make the audio
        /// noise: say so, without ending the session (only formats the server names are compared).
        /// </summary>
        void CheckFormats(JObject session)
        {
            var audio = session?["audio"] as JObject;
            if (audio == null) return;
            CheckFormat(JsonFields.Obj(JsonFields.Obj(audio, "input"), "format"), _inputEncoding, "input");
            if (!_options.TextOnly) CheckFormat(JsonFields.Obj(JsonFields.Obj(audio, "output"), "format"), _outputEncoding, "output");
        }

        void CheckFormat(JObject format, OpenAIAudioEncoding asked, string direction)
        {
            var type = format != null ? Str(format, "type") : null;
            if (type == null || type == OpenAIClientEvents.FormatType(asked)) return;
            Raise(new ProviderError
            {
                ErrorKind = ProviderErrorKind.Protocol, Code = "audio_format_mismatch",
                Message = "The server confirmed " + direction + " audio as '" + type + "'; '" + OpenAIClientEvents.FormatType(asked) + "' was asked for.",
            });
        }

        async Task HandleResponseDone(JObject o, CancellationToken ct)
        {
            var r = o["response"] as JObject;
            var done = new ResponseDone { ResponseId = r != null ? Str(r, "id") : null, Status = ResponseStatus.Completed };
            if (r != null)
            {
                var status = Str(r, "status");
                var details = r["status_details"] as JObject;
                done.Reason = details != null ? Str(details, "reason") : null;
                switch (status)
                {
                    case "cancelled": done.Status = done.Reason == "turn_detected" ? ResponseStatus.Interrupted : ResponseStatus.Cancelled; break;
                    case "failed": done.Status = ResponseStatus.Failed; break;
                    case "incomplete": done.Status = ResponseStatus.Incomplete; break;
                }
                if (done.Status == ResponseStatus.Failed && details?["error"] is JObject err)
                    done.Reason = Str(err, "code") ?? Str(err, "type") ?? done.Reason;
                if (r["usage"] is JObject u) done.Usage = ReadUsage(u);
            }
            bool sendQueued;
            lock (_state)
            {
                sendQueued = _pendingResponseCreate;
                _pendingResponseCreate = false;
                _responseActive = sendQueued;
                _activeResponseId = null;
                _serverCancelling = false;
            }
            Raise(done);
            if (r != null && r["usage"] is JObject)
                Raise(new UsageReported { Usage = done.Usage, Source = "response", Model = _model, EstimatedCostUsd = _options.Prices?.Cost(_model, done.Usage) });
            if (sendQueued)
                await SendTextFrame(OpenAIClientEvents.Simple("response.create"), ct).ConfigureAwait(false);
        }

        static TokenUsage ReadUsage(JObject u)
        {
            var usage = new TokenUsage { TotalTokens = Long(u, "total_tokens") };
            if (u["input_token_details"] is JObject i)
            {
                usage.InputTextTokens = Long(i, "text_tokens");
                usage.InputAudioTokens = Long(i, "audio_tokens");
                usage.CachedInputTokens = Long(i, "cached_tokens");
                if (i["cached_tokens_details"] is JObject c) usage.CachedInputAudioTokens = Long(c, "audio_tokens");
            }
            else usage.InputTextTokens = Long(u, "input_tokens");
            if (u["output_token_details"] is JObject d)
            {
                usage.OutputTextTokens = Long(d, "text_tokens");
                usage.OutputAudioTokens = Long(d, "audio_tokens");
            }
            else usage.OutputTextTokens = Long(u, "output_tokens");
            return usage;
        }

        void HandleError(JObject err)
        {
            var type = err != null ? Str(err, "type") : null;
            var code = err != null ? Str(err, "code") : null;
            var message = err != null ? Str(err, "message") : "The server reported an error without details.";
            var eventId = err != null ? Str(err, "event_id") : null;
            if (code == "response_cancel_not_active")
            {
                // Benign race: the server had already finished or cancelled the reply.
                Log("OpenAI Realtime: " + message);
                return;
            }
            if (code == "conversation_already_has_active_response")
                lock (_state) _pendingResponseCreate = true;
            var kind = Classify(type, code);
            var fatal = kind == ProviderErrorKind.Authentication || code == "beta_api_shape_disabled";
            // A failed truncate (audio_end_ms past the item) never ends the conversation.
            if (eventId != null && eventId.StartsWith("parley_truncate_", StringComparison.Ordinal)) fatal = false;
            var e = new ProviderError { ErrorKind = kind, Code = code ?? type ?? "error", Message = message, IsFatal = fatal };
            Raise(e);
            if (_ready != null && !_ready.Task.IsCompleted)
                FailReady(new ProviderException(kind, e.Code, message));
        }

        static ProviderErrorKind Classify(string type, string code)
        {
            var t = type ?? "";
            var c = code ?? "";
            if (c == "invalid_api_key" || t == "authentication_error" || c.Contains("unauthorized") || t.Contains("permission")) return ProviderErrorKind.Authentication;
            if (c.Contains("rate_limit") || t.Contains("rate_limit") || c == "insufficient_quota") return ProviderErrorKind.RateLimited;
            if (t == "server_error" || c == "server_error") return ProviderErrorKind.Server;
            return ProviderErrorKind.InvalidRequest;
        }
    }
}
