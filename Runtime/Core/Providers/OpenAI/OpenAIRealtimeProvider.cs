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
using Parley.Providers.Connection;
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
    public sealed class OpenAIRealtimeProvider : WebSocketConnection, IVoiceProvider, IContextProvider
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
        readonly AppendEventWriter _append = new AppendEventWriter();
        readonly Func<ReadOnlyMemory<short>, ReadOnlyMemory<byte>> _buildAppend;
        readonly HashSet<string> _loggedTypes = new HashSet<string>();
        // Received output per item, for clamping truncation; bounded (only recent items can be interrupted).
        readonly Dictionary<string, long> _receivedSamples = new Dictionary<string, long>();

        IProviderListener _listener;
        SessionConfig _config;
        readonly OpenAIAudioDeltaDecoder _decoder;
        string _lastItemId;
        long _lastItemSamples;

        bool _responseActive;
        string _activeResponseId;
        bool _serverCancelling;
        bool _pendingResponseCreate;
        int _eventCounter;
        string _model;

        public OpenAIRealtimeProvider(OpenAIRealtimeOptions options)
            : base(SettingsOf(options))
        {
            _options = options;
            _inputEncoding = OpenAIRealtimeOptions.CheckEncoding(options.InputEncoding, "options.InputEncoding");
            _outputEncoding = OpenAIRealtimeOptions.CheckEncoding(options.OutputEncoding, "options.OutputEncoding");
            _outputSamplesPerMs = OpenAIRealtimeOptions.SampleRate(_outputEncoding) / 1000;
            _decoder = new OpenAIAudioDeltaDecoder(_outputEncoding);
            _buildAppend = pcm => _append.Build(pcm.Span, _inputEncoding);
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

        static ConnectionSettings SettingsOf(OpenAIRealtimeOptions options)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            return new ConnectionSettings
            {
                Credentials = options.Credentials,
                CredentialRequired = true,
                AllowInsecure = options.AllowInsecure,
                TransportFactory = options.TransportFactory,
                HandshakeTimeout = options.HandshakeTimeout,
                StallTimeout = options.StallTimeout,
                MaxMessageBytes = options.MaxMessageBytes,
                Clock = options.Clock,
                PeerName = "OpenAI Realtime",
            };
        }

        public string Name => "openai";
        public ProviderCapabilities Capabilities => _capabilities;
        public bool IsConnected => IsOpen;

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
            ResetState();
            await OpenAsync(cancellationToken).ConfigureAwait(false);

            // No resumption on OpenAI: a new connection (reconnect, renewal before the 60-minute cap) gets the
            // conversation back as items. No response.create: the model waits for the player.
            foreach (var item in config.History)
            {
                var json = OpenAIClientEvents.HistoryItem(item);
                if (json != null) await SendJsonAsync(json, cancellationToken).ConfigureAwait(false);
            }
        }

        protected override Uri PrepareRequest(Credential credential, WebSocketConnectOptions connect)
        {
            if (_options.AuthInSubprotocol)
            {
                connect.SubProtocols.Add("realtime");
                connect.SubProtocols.Add("openai-insecure-api-key." + credential.Secret);
            }
            else connect.Headers.Add(new KeyValuePair<string, string>("Authorization", "Bearer " + credential.Secret));
            return ResolveUri(_model);
        }

        protected override Task OnOpenedAsync(CancellationToken cancellationToken) =>
            SendJsonAsync(OpenAIClientEvents.SessionUpdate(_config, _options, _inputEncoding, _outputEncoding), cancellationToken);

        void ResetState()
        {
            lock (_state)
            {
                _responseActive = false;
                _activeResponseId = null;
                _serverCancelling = false;
                _pendingResponseCreate = false;
                _receivedSamples.Clear();
            }
            _lastItemId = null;
        }

        // ---------------------------------------------------------------- sending

        public ValueTask SendAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken cancellationToken) =>
            pcm.Length == 0 ? default : SendBuiltAsync(_buildAppend, pcm, MessageKind.Text, cancellationToken);

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
            ExpectServer(true);
            return SendJsonAsync(OpenAIClientEvents.Simple("response.create"), cancellationToken);
        }

        public Task StartUserTurnAsync(CancellationToken cancellationToken) =>
            SendJsonAsync(OpenAIClientEvents.Simple("input_audio_buffer.clear"), cancellationToken);

        public async Task EndUserTurnAsync(CancellationToken cancellationToken)
        {
            await SendJsonAsync(OpenAIClientEvents.Simple("input_audio_buffer.commit"), cancellationToken).ConfigureAwait(false);
            await RequestResponse(cancellationToken).ConfigureAwait(false);
        }

        public async Task SendTextAsync(string text, CancellationToken cancellationToken)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            await SendJsonAsync(OpenAIClientEvents.UserText(text), cancellationToken).ConfigureAwait(false);
            await RequestResponse(cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// A system message item (conversation.item.create) and no response.create: the model knows it from its next
        /// reply on. Valid mid-stream, also while a response is active (it is appended to the conversation).
        /// </summary>
        public async Task<ContextDelivery> AddContextAsync(string text, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(text)) throw new ArgumentException("Context is empty.", nameof(text));
            await SendJsonAsync(OpenAIClientEvents.SystemText(text), cancellationToken).ConfigureAwait(false);
            return ContextDelivery.Sent;
        }

        public async Task SendToolResultAsync(string callId, string name, string resultJson, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(callId)) throw new ArgumentException("A call id is required.", nameof(callId));
            await SendJsonAsync(OpenAIClientEvents.FunctionCallOutput(callId, resultJson), cancellationToken).ConfigureAwait(false);
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
                await SendJsonAsync(OpenAIClientEvents.ResponseCancel(responseId, NextEventId("cancel")), cancellationToken).ConfigureAwait(false);
            if (received >= 0)
            {
                var receivedMs = (int)(received / _outputSamplesPerMs);
                var endMs = Math.Min(request.PlayedMs, receivedMs);
                await SendJsonAsync(OpenAIClientEvents.Truncate(request.ItemId, endMs, NextEventId("truncate")), cancellationToken).ConfigureAwait(false);
            }
        }

        string NextEventId(string what) => "parley_" + what + "_" + Interlocked.Increment(ref _eventCounter);

        /// <summary>Milliseconds of output audio received for <paramref name="itemId"/> (-1 if unknown).</summary>
        public int ReceivedMs(string itemId)
        {
            lock (_state) return itemId != null && _receivedSamples.TryGetValue(itemId, out var s) ? (int)(s / _outputSamplesPerMs) : -1;
        }

        public Task DisconnectAsync(CancellationToken cancellationToken) => CloseAsync(cancellationToken);

        // ---------------------------------------------------------------- receiving

        protected override void OnEnded(Disconnected e)
        {
            lock (_state)
            {
                _responseActive = false;
                _pendingResponseCreate = false;
            }
            Raise(e);
        }

        protected override void OnError(ProviderError e) => Raise(e);

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

        protected override Task OnMessageAsync(ReadOnlySpan<byte> json, MessageKind kind)
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
            return Handle(o, CancellationToken.None);
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
                    CompleteHandshake();
                    return;
                case "transcription_session.updated":
                    CompleteHandshake();
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
                    }
                    ExpectServer(true);
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
                {
                    var callId = Str(o, "call_id");
                    var name = Str(o, "name");
                    if (string.IsNullOrEmpty(callId) || string.IsNullOrEmpty(name))
                    {
                        // function_call_output needs the call id, and no tool can be chosen without a name: such a
                        // call could never be answered, so it is reported and skipped rather than raised.
                        Raise(ConnectionErrors.Error(ProviderErrorKind.Protocol, "bad_tool_call", "function call without a string call_id and name; skipped.", false));
                        return;
                    }
                    Raise(new ToolCallRequested { CallId = callId, Name = name, ArgumentsJson = Str(o, "arguments") ?? "{}" });
                    return;
                }
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
            ExpectServer(sendQueued);
            Raise(done);
            if (r != null && r["usage"] is JObject)
                Raise(new UsageReported { Usage = done.Usage, Source = "response", Model = _model, EstimatedCostUsd = _options.Prices?.Cost(_model, done.Usage) });
            if (sendQueued)
                await SendJsonAsync(OpenAIClientEvents.Simple("response.create"), ct).ConfigureAwait(false);
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
            var e = ConnectionErrors.Error(kind, code ?? type ?? "error", message, fatal);
            if (!HandshakeDone)
            {
                // Refused setup: ConnectAsync throws it (the session never saw this connection).
                FailHandshake(ConnectionErrors.ToException(e));
                return;
            }
            Raise(e);
        }

        static ProviderErrorKind Classify(string type, string code)
        {
            var c = code ?? "";
            if (c == "invalid_api_key" || c.Contains("unauthorized")) return ProviderErrorKind.Authentication;
            return ConnectionErrors.ByReason((type ?? "") + " " + c, ProviderErrorKind.InvalidRequest);
        }
    }
}
