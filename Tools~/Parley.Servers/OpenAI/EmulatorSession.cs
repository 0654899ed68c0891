using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Parley.Servers.OpenAI
{
    /// <summary>One emulated Realtime session on one WebSocket.</summary>
    sealed class EmulatorSession
    {
        // The input clock counts 24 kHz ticks whatever the wire format (an 8 kHz G.711 sample is 3 ticks), so
        // audio_start_ms/audio_end_ms and the commit minimum read the same for every format.
        const int Rate = 24000;
        const int FrameSamples = 240; // 10 ms VAD frames, in ticks

        readonly OpenAIRealtimeEmulator _host;
        readonly OpenAIRealtimeEmulatorOptions _o;
        readonly WebSocket _socket;
        readonly HttpContext _ctx;
        readonly SemaphoreSlim _sendLock = new SemaphoreSlim(1, 1);
        readonly object _gate = new object();
        readonly CancellationTokenSource _closed = new CancellationTokenSource();
        readonly JsonObject _session;
        int _ids;

        // input side
        long _inputSamples;               // total received (session clock)
        long _bufferStartSamples;         // start of the uncommitted input buffer
        readonly short[] _frame = new short[FrameSamples];
        int _frameFill;
        int _loudRun, _quietRun;
        bool _inSpeech;
        string _speechItemId;
        long _speechStartSamples;
        string _lastItemId;
        int _userTurns;
        bool _lastItemIsUserTurn;
        string _lastUserText;

        // output side
        Response _active;
        int _replyIndex;
        bool _faultFired;
        readonly Dictionary<string, long> _sentSamplesByItem = new Dictionary<string, long>();

        sealed class Response
        {
            public string Id;
            public CancellationTokenSource Cancel = new CancellationTokenSource();
            public string CancelReason;
            public Task Task;
        }

        public EmulatorSession(OpenAIRealtimeEmulator host, WebSocket socket, HttpContext ctx, string model)
        {
            _host = host;
            _o = host.Options;
            _socket = socket;
            _ctx = ctx;
            _session = new JsonObject
            {
                ["type"] = "realtime",
                ["model"] = model,
                ["output_modalities"] = new JsonArray("audio"),
                ["instructions"] = "You are a helpful assistant.",
                ["audio"] = new JsonObject
                {
                    ["input"] = new JsonObject
                    {
                        ["format"] = new JsonObject { ["type"] = "audio/pcm", ["rate"] = Rate },
                        ["turn_detection"] = new JsonObject
                        {
                            ["type"] = "server_vad", ["threshold"] = 0.5, ["prefix_padding_ms"] = 300, ["silence_duration_ms"] = 500,
                            ["create_response"] = true, ["interrupt_response"] = true,
                        },
                    },
                    ["output"] = new JsonObject { ["format"] = new JsonObject { ["type"] = "audio/pcm", ["rate"] = Rate }, ["voice"] = "marin", ["speed"] = 1.0 },
                },
                ["tools"] = new JsonArray(),
                ["tool_choice"] = "auto",
                ["max_output_tokens"] = "inf",
            };
        }

        string NewId(string prefix) => prefix + "_" + Interlocked.Increment(ref _ids).ToString("D6");

        JsonObject TurnDetection => _session["audio"]?["input"]?["turn_detection"] as JsonObject;
        bool TdFlag(string name) => TurnDetection?[name]?.GetValue<bool>() ?? true;

        public async Task RunAsync(bool betaShape)
        {
            try
            {
                if (betaShape)
                {
                    await SendError("invalid_request_error", "beta_api_shape_disabled", "The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.", null).ConfigureAwait(false);
                    await _socket.CloseOutputAsync((WebSocketCloseStatus)4000, "invalid_request_error.beta_api_shape_disabled", CancellationToken.None).ConfigureAwait(false);
                    return;
                }
                await Send(new JsonObject { ["type"] = "session.created", ["session"] = _session.DeepClone() }).ConfigureAwait(false);
                await Send(new JsonObject { ["type"] = "conversation.created", ["conversation"] = new JsonObject { ["id"] = NewId("conv"), ["object"] = "realtime.conversation" } }).ConfigureAwait(false);
                await ReceiveLoop().ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException || e is OperationCanceledException || e is ObjectDisposedException)
            {
            }
            finally
            {
                _closed.Cancel();
                Response r;
                lock (_gate) r = _active;
                r?.Cancel.Cancel();
            }
        }

        async Task ReceiveLoop()
        {
            var buffer = new ArrayBufferWriter<byte>(64 * 1024);
            while (_socket.State == WebSocketState.Open)
            {
                buffer.Clear();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.GetMemory(16 * 1024), _ctx.RequestAborted).ConfigureAwait(false);
                    buffer.Advance(result.Count);
                    if (buffer.WrittenCount > 16 * 1024 * 1024)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "message too big", CancellationToken.None).ConfigureAwait(false);
                        return;
                    }
                } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None).ConfigureAwait(false);
                    return;
                }
                var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
                await HandleFrame(text).ConfigureAwait(false);
            }
        }

        async Task HandleFrame(string text)
        {
            JsonObject e;
            try { e = JsonNode.Parse(text) as JsonObject; }
            catch (System.Text.Json.JsonException)
            {
                _host.RecordClient(text.Length > 200 ? text.Substring(0, 200) : text);
                await SendError("invalid_request_error", "invalid_json", "The event is not valid JSON.", null).ConfigureAwait(false);
                return;
            }
            var type = e?["type"]?.GetValue<string>();
            var eventId = e?["event_id"]?.GetValue<string>();
            _host.RecordClient(type == "input_audio_buffer.append" ? "{\"type\":\"input_audio_buffer.append\",\"audio\":\"…\"}" : text);
            if (e == null || type == null)
            {
                await SendError("invalid_request_error", "invalid_event", "The 'type' field is missing.", eventId).ConfigureAwait(false);
                return;
            }
            if (_o.Strict && !OpenAIRealtimeEmulator.Validate(_host.ClientSchema, text, out var problem))
            {
                _host.RecordViolation("client: " + type + ": " + problem);
                await SendError("invalid_request_error", "invalid_event", "Invalid '" + type + "' event: " + problem, eventId).ConfigureAwait(false);
                return;
            }
            switch (type)
            {
                case "session.update": await SessionUpdate(e["session"] as JsonObject).ConfigureAwait(false); break;
                case "input_audio_buffer.append":
                    var heardBefore = _inputSamples;
                    await Append(e["audio"]?.GetValue<string>(), eventId).ConfigureAwait(false);
                    _host.Heard(_inputSamples - heardBefore);
                    break;
                case "input_audio_buffer.commit": await Commit(eventId).ConfigureAwait(false); break;
                case "input_audio_buffer.clear":
                    lock (_gate) { _bufferStartSamples = _inputSamples; _inSpeech = false; _loudRun = 0; }
                    await Send(new JsonObject { ["type"] = "input_audio_buffer.cleared" }).ConfigureAwait(false);
                    break;
                case "conversation.item.create": await ItemCreate(e["item"] as JsonObject, eventId).ConfigureAwait(false); break;
                case "conversation.item.truncate": await Truncate(e, eventId).ConfigureAwait(false); break;
                case "conversation.item.delete":
                    await Send(new JsonObject { ["type"] = "conversation.item.deleted", ["item_id"] = e["item_id"]?.GetValue<string>() }).ConfigureAwait(false);
                    break;
                case "response.create": await StartResponse(eventId).ConfigureAwait(false); break;
                case "response.cancel":
                {
                    Response r;
                    lock (_gate) r = _active;
                    if (r == null) await SendError("invalid_request_error", "response_cancel_not_active", "Cancellation failed: no active response found", eventId).ConfigureAwait(false);
                    else await CancelActive("client_cancelled").ConfigureAwait(false);
                    break;
                }
                default:
                    await SendError("invalid_request_error", "invalid_event", "Unsupported event type '" + type + "' in this emulator.", eventId).ConfigureAwait(false);
                    break;
            }
        }

        async Task SessionUpdate(JsonObject update)
        {
            if (_o.Fault == EmulatorFault.Close1007OnSessionUpdate)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.InvalidPayloadData, "Request contains an invalid argument.", CancellationToken.None).ConfigureAwait(false);
                return;
            }
            if (update != null)
                lock (_gate) Merge(_session, update);
            await Send(new JsonObject { ["type"] = "session.updated", ["session"] = _session.DeepClone() }).ConfigureAwait(false);
        }

        /// <summary>Only the fields present are updated (nested objects merged, null clears).</summary>
        static void Merge(JsonObject target, JsonObject update)
        {
            foreach (var kv in update.ToList())
            {
                if (kv.Value is JsonObject child && target[kv.Key] is JsonObject existing && kv.Key != "format" && kv.Key != "turn_detection")
                    Merge(existing, child);
                else if (kv.Value == null) target.Remove(kv.Key);
                else target[kv.Key] = kv.Value.DeepClone();
            }
        }

        // ------------------------------------------------------------ input + VAD

        /// <summary>The negotiated wire format of one direction ("audio/pcm", "audio/pcmu" or "audio/pcma").</summary>
        string FormatType(string direction)
        {
            lock (_gate) return _session["audio"]?[direction]?["format"]?["type"]?.GetValue<string>() ?? "audio/pcm";
        }

        async Task Append(string base64, string eventId)
        {
            byte[] bytes;
            try { bytes = Convert.FromBase64String(base64 ?? ""); }
            catch (FormatException)
            {
                await SendError("invalid_request_error", "invalid_value", "Invalid 'audio'. Expected base64-encoded audio.", eventId).ConfigureAwait(false);
                return;
            }
            // The VAD always runs on decoded PCM16: G.711 codes are expanded first.
            var samples = WireAudio.ToPcm(FormatType("input"), bytes);
            var ticksPerSample = Rate / WireAudio.SampleRate(FormatType("input"));
            var frameLength = FrameSamples / ticksPerSample;
            var td = TurnDetection;
            var vad = td != null;
            var prefixMs = td?["prefix_padding_ms"]?.GetValue<int>() ?? 300;
            var silenceMs = td?["silence_duration_ms"]?.GetValue<int>() ?? 500;
            foreach (var sample in samples)
            {
                _frame[_frameFill++] = sample;
                _inputSamples += ticksPerSample;
                if (_frameFill < frameLength) continue;
                _frameFill = 0;
                if (!vad) continue;
                double sum = 0;
                for (var k = 0; k < frameLength; k++) sum += (double)_frame[k] * _frame[k];
                var dbfs = 10 * Math.Log10(sum / frameLength / (32768.0 * 32768.0) + 1e-12);
                var loud = dbfs > _o.VadThresholdDbfs;
                if (!_inSpeech)
                {
                    _loudRun = loud ? _loudRun + 1 : 0;
                    if (_loudRun >= _o.VadStartFrames)
                    {
                        _inSpeech = true;
                        _quietRun = 0;
                        _speechItemId = NewId("item");
                        _speechStartSamples = Math.Max(_bufferStartSamples, _inputSamples - _loudRun * FrameSamples - prefixMs * Rate / 1000);
                        await Send(new JsonObject { ["type"] = "input_audio_buffer.speech_started", ["audio_start_ms"] = Ms(_speechStartSamples), ["item_id"] = _speechItemId }).ConfigureAwait(false);
                        if (TdFlag("interrupt_response")) await CancelActive("turn_detected").ConfigureAwait(false);
                    }
                }
                else
                {
                    _quietRun = loud ? 0 : _quietRun + 1;
                    if (_quietRun * 10 >= silenceMs)
                    {
                        _inSpeech = false;
                        _loudRun = 0;
                        var endSamples = _inputSamples - _quietRun * FrameSamples;
                        await Send(new JsonObject { ["type"] = "input_audio_buffer.speech_stopped", ["audio_end_ms"] = Ms(endSamples), ["item_id"] = _speechItemId }).ConfigureAwait(false);
                        await CommitUserAudio(_speechItemId, endSamples - _speechStartSamples).ConfigureAwait(false);
                        if (TdFlag("create_response")) await StartResponse(null).ConfigureAwait(false);
                    }
                }
            }
        }

        static int Ms(long samples) => (int)(samples * 1000 / Rate);

        async Task Commit(string eventId)
        {
            var samples = _inputSamples - _bufferStartSamples;
            if (samples < Rate / 10)
            {
                await SendError("invalid_request_error", "input_audio_buffer_commit_empty",
                    "Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but buffer only has " + Ms(samples) + "ms of audio.", eventId).ConfigureAwait(false);
                return;
            }
            _inSpeech = false;
            _loudRun = 0;
            await CommitUserAudio(NewId("item"), samples).ConfigureAwait(false);
        }

        async Task CommitUserAudio(string itemId, long samples)
        {
            var previous = _lastItemId;
            _bufferStartSamples = _inputSamples;
            _lastItemId = itemId;
            _userTurns++;
            _lastItemIsUserTurn = true;
            var transcript = _userTurns - 1 < _o.UserTranscripts.Length ? _o.UserTranscripts[_userTurns - 1] : "(speech)";
            _lastUserText = transcript;
            var committed = new JsonObject { ["type"] = "input_audio_buffer.committed", ["previous_item_id"] = previous, ["item_id"] = itemId };
            await Send(committed).ConfigureAwait(false);
            var item = new JsonObject
            {
                ["id"] = itemId, ["object"] = "realtime.item", ["type"] = "message", ["status"] = "completed", ["role"] = "user",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "input_audio" }),
            };
            await Send(new JsonObject { ["type"] = "conversation.item.added", ["previous_item_id"] = previous, ["item"] = item.DeepClone() }).ConfigureAwait(false);
            await Send(new JsonObject { ["type"] = "conversation.item.done", ["previous_item_id"] = previous, ["item"] = item }).ConfigureAwait(false);
            if (_session["audio"]?["input"]?["transcription"] is JsonObject)
            {
                var audioTokens = Math.Max(1, Ms(samples) / 100);
                var words = transcript.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                foreach (var w in words)
                    await Send(new JsonObject { ["type"] = "conversation.item.input_audio_transcription.delta", ["item_id"] = itemId, ["content_index"] = 0, ["delta"] = w + " " }).ConfigureAwait(false);
                await Send(new JsonObject
                {
                    ["type"] = "conversation.item.input_audio_transcription.completed", ["item_id"] = itemId, ["content_index"] = 0, ["transcript"] = transcript,
                    ["usage"] = new JsonObject
                    {
                        ["type"] = "tokens", ["total_tokens"] = audioTokens + words.Length, ["input_tokens"] = audioTokens, ["output_tokens"] = words.Length,
                        ["input_token_details"] = new JsonObject { ["text_tokens"] = 0, ["audio_tokens"] = audioTokens },
                    },
                }).ConfigureAwait(false);
            }
        }

        // The text messages of this connection's conversation ("role: text"), in order (what a response is built from).
        readonly List<string> _conversation = new List<string>();

        async Task ItemCreate(JsonObject item, string eventId)
        {
            var type = item?["type"]?.GetValue<string>();
            var id = item?["id"]?.GetValue<string>() ?? NewId("item");
            var copy = (JsonObject)item.DeepClone();
            copy["id"] = id;
            copy["object"] = "realtime.item";
            copy["status"] = "completed";
            if (type == "message" && item["role"]?.GetValue<string>() == "user")
            {
                _userTurns++;
                _lastItemIsUserTurn = true;
                _lastUserText = string.Join(" ", (item["content"] as JsonArray ?? new JsonArray()).Select(c => c?["text"]?.GetValue<string>()).Where(t => t != null));
            }
            else _lastItemIsUserTurn = false;
            if (type == "function_call_output")
            {
                // The real server accepts an unknown call_id silently; record nothing special.
            }
            if (type == "message")
                lock (_conversation) _conversation.Add(item["role"]?.GetValue<string>() + ": " + string.Join(" ", (item["content"] as JsonArray ?? new JsonArray()).Select(c => c?["text"]?.GetValue<string>()).Where(t => t != null)));
            var previous = _lastItemId;
            _lastItemId = id;
            await Send(new JsonObject { ["type"] = "conversation.item.added", ["previous_item_id"] = previous, ["item"] = copy.DeepClone() }).ConfigureAwait(false);
            await Send(new JsonObject { ["type"] = "conversation.item.done", ["previous_item_id"] = previous, ["item"] = copy }).ConfigureAwait(false);
        }

        async Task Truncate(JsonObject e, string eventId)
        {
            var itemId = e["item_id"]?.GetValue<string>();
            var endMs = e["audio_end_ms"]?.GetValue<double>() ?? -1;
            long sent;
            bool known;
            lock (_gate) known = _sentSamplesByItem.TryGetValue(itemId ?? "", out sent);
            if (!known)
            {
                await SendError("invalid_request_error", "item_not_found", "Item with item_id '" + itemId + "' not found in the conversation.", eventId).ConfigureAwait(false);
                return;
            }
            var sentMs = Ms(sent);
            if (endMs < 0 || endMs > sentMs)
            {
                await SendError("invalid_request_error", "invalid_value",
                    "Audio content of " + sentMs + "ms is already shorter than " + endMs + "ms", eventId).ConfigureAwait(false);
                return;
            }
            await Send(new JsonObject { ["type"] = "conversation.item.truncated", ["item_id"] = itemId, ["content_index"] = 0, ["audio_end_ms"] = (int)endMs }).ConfigureAwait(false);
        }

        // ------------------------------------------------------------ responses

        async Task StartResponse(string eventId)
        {
            if (_o.Fault == EmulatorFault.RateLimitResponses)
            {
                await Send(new JsonObject
                {
                    ["type"] = "rate_limits.updated",
                    ["rate_limits"] = new JsonArray(
                        new JsonObject { ["name"] = "requests", ["limit"] = 100, ["remaining"] = 0, ["reset_seconds"] = 20.5 },
                        new JsonObject { ["name"] = "tokens", ["limit"] = 40000, ["remaining"] = 0, ["reset_seconds"] = 20.5 }),
                }).ConfigureAwait(false);
                await SendError("rate_limit_error", "rate_limit_exceeded", "Rate limit reached for requests. Please try again in 20.5s.", eventId).ConfigureAwait(false);
                return;
            }
            Response r;
            lock (_gate)
            {
                if (_active != null) r = null;
                else _active = r = new Response { Id = NewId("resp") };
            }
            if (r == null)
            {
                await SendError("invalid_request_error", "conversation_already_has_active_response",
                    "Conversation already has an active response in progress. Wait until the response is finished before creating a new one.", eventId).ConfigureAwait(false);
                return;
            }
            var toolCall = ShouldCallTool(out var toolName);
            _lastItemIsUserTurn = false;
            lock (_conversation) _host.RecordResponseContext(_conversation.ToArray());
            // Streamed on its own task so the session keeps receiving (barge-in, truncate, cancel).
            r.Task = Task.Run(() => RunResponse(r, toolCall, toolName));
            await Task.Yield();
        }

        bool ShouldCallTool(out string name)
        {
            name = null;
            var tools = _session["tools"] as JsonArray;
            if (tools == null || tools.Count == 0 || !_lastItemIsUserTurn) return false;
            var byTurn = _o.ToolCallOnTurn > 0 && _userTurns == _o.ToolCallOnTurn;
            var byWord = !string.IsNullOrEmpty(_o.ToolKeyword) && _lastUserText != null && _lastUserText.IndexOf(_o.ToolKeyword, StringComparison.OrdinalIgnoreCase) >= 0;
            if (!byTurn && !byWord) return false;
            name = _o.ToolName ?? tools[0]?["name"]?.GetValue<string>();
            return name != null;
        }

        async Task RunResponse(Response r, bool toolCall, string toolName)
        {
            var output = new JsonArray();
            var outputTokensAudio = 0;
            var outputTokensText = 0;
            string status = "completed";
            try
            {
                await Send(new JsonObject { ["type"] = "response.created", ["response"] = ResponseObject(r.Id, "in_progress", new JsonArray(), null) }).ConfigureAwait(false);
                var index = 0;
                if (toolCall)
                {
                    var fc = await StreamFunctionCall(r, index++, toolName).ConfigureAwait(false);
                    output.Add(fc);
                    outputTokensText += 10;
                    if (_o.SpeakAfterToolCall)
                    {
                        var (item, audioTokens, textTokens) = await StreamAudioMessage(r, index++, "npc-greeting").ConfigureAwait(false);
                        output.Add(item);
                        outputTokensAudio += audioTokens;
                        outputTokensText += textTokens;
                    }
                }
                else
                {
                    var clip = _o.Replies[_replyIndex++ % _o.Replies.Length];
                    var (item, audioTokens, textTokens) = await StreamAudioMessage(r, index++, clip).ConfigureAwait(false);
                    output.Add(item);
                    outputTokensAudio += audioTokens;
                    outputTokensText += textTokens;
                }
            }
            catch (OperationCanceledException) when (r.Cancel.IsCancellationRequested)
            {
                status = "cancelled";
            }
            catch (Exception e) when (e is WebSocketException || e is ObjectDisposedException)
            {
                lock (_gate) if (_active == r) _active = null;
                return;
            }
            if (_closed.IsCancellationRequested) return;
            var inputAudio = Math.Max(1, Ms(_inputSamples) / 100);
            var usage = new JsonObject
            {
                ["total_tokens"] = inputAudio + 20 + outputTokensAudio + outputTokensText,
                ["input_tokens"] = inputAudio + 20,
                ["output_tokens"] = outputTokensAudio + outputTokensText,
                ["input_token_details"] = new JsonObject
                {
                    ["text_tokens"] = 20, ["audio_tokens"] = inputAudio, ["image_tokens"] = 0, ["cached_tokens"] = 0,
                    ["cached_tokens_details"] = new JsonObject { ["text_tokens"] = 0, ["audio_tokens"] = 0, ["image_tokens"] = 0 },
                },
                ["output_token_details"] = new JsonObject { ["text_tokens"] = outputTokensText, ["audio_tokens"] = outputTokensAudio },
            };
            var details = status == "cancelled" ? new JsonObject { ["type"] = "cancelled", ["reason"] = r.CancelReason ?? "client_cancelled" } : null;
            lock (_gate) if (_active == r) _active = null;
            try
            {
                await Send(new JsonObject { ["type"] = "response.done", ["response"] = ResponseObject(r.Id, status, output, usage, details) }).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException || e is ObjectDisposedException || e is OperationCanceledException) { }
        }

        JsonObject ResponseObject(string id, string status, JsonArray output, JsonObject usage, JsonObject details = null)
        {
            var o = new JsonObject
            {
                ["object"] = "realtime.response", ["id"] = id, ["status"] = status,
                ["output"] = output.DeepClone(), ["conversation_id"] = "conv_emulated",
                ["output_modalities"] = new JsonArray("audio"), ["max_output_tokens"] = "inf",
                ["audio"] = new JsonObject { ["output"] = new JsonObject { ["format"] = OutputFormat(), ["voice"] = _session["audio"]?["output"]?["voice"]?.DeepClone() ?? "marin" } },
                ["metadata"] = null,
            };
            if (details != null) o["status_details"] = details;
            if (usage != null) o["usage"] = usage;
            return o;
        }

        JsonObject OutputFormat()
        {
            lock (_gate) return _session["audio"]?["output"]?["format"]?.DeepClone() as JsonObject ?? new JsonObject { ["type"] = "audio/pcm", ["rate"] = Rate };
        }

        async Task<JsonObject> StreamFunctionCall(Response r, int outputIndex, string name)
        {
            var itemId = NewId("item");
            var callId = NewId("call");
            var args = _o.ToolArgumentsJson ?? "{}";
            JsonObject Item(string status, string a) => new JsonObject
            {
                ["id"] = itemId, ["object"] = "realtime.item", ["type"] = "function_call", ["status"] = status,
                ["call_id"] = callId, ["name"] = name, ["arguments"] = a,
            };
            await Send(new JsonObject { ["type"] = "response.output_item.added", ["response_id"] = r.Id, ["output_index"] = outputIndex, ["item"] = Item("in_progress", "") }).ConfigureAwait(false);
            await Send(new JsonObject { ["type"] = "conversation.item.added", ["previous_item_id"] = _lastItemId, ["item"] = Item("in_progress", "") }).ConfigureAwait(false);
            _lastItemId = itemId;
            var half = args.Length / 2;
            foreach (var part in new[] { args.Substring(0, half), args.Substring(half) })
            {
                r.Cancel.Token.ThrowIfCancellationRequested();
                await Send(new JsonObject { ["type"] = "response.function_call_arguments.delta", ["response_id"] = r.Id, ["item_id"] = itemId, ["output_index"] = outputIndex, ["call_id"] = callId, ["delta"] = part }).ConfigureAwait(false);
            }
            await Send(new JsonObject { ["type"] = "response.function_call_arguments.done", ["response_id"] = r.Id, ["item_id"] = itemId, ["output_index"] = outputIndex, ["call_id"] = callId, ["name"] = name, ["arguments"] = args }).ConfigureAwait(false);
            await Send(new JsonObject { ["type"] = "response.output_item.done", ["response_id"] = r.Id, ["output_index"] = outputIndex, ["item"] = Item("completed", args) }).ConfigureAwait(false);
            await Send(new JsonObject { ["type"] = "conversation.item.done", ["item"] = Item("completed", args) }).ConfigureAwait(false);
            return Item("completed", args);
        }

        async Task<(JsonObject item, int audioTokens, int textTokens)> StreamAudioMessage(Response r, int outputIndex, string clipId)
        {
            var itemId = NewId("item");
            // The reply in the negotiated format: 24 kHz PCM16 bytes, or 8 kHz G.711 codes (one byte a sample).
            var format = FormatType("output");
            var payload = _host.Payload(clipId, format);
            var rate = WireAudio.SampleRate(format);
            var bytesPerSample = format == "audio/pcm" ? 2 : 1;
            var ticksPerSample = Rate / rate;
            var totalSamples = payload.Length / bytesPerSample;
            var text = _o.ReplyTexts.TryGetValue(clipId, out var t) ? t : clipId;
            var words = text.Split(' ');
            JsonObject Item(string status, JsonArray content) => new JsonObject
            {
                ["id"] = itemId, ["object"] = "realtime.item", ["type"] = "message", ["status"] = status, ["role"] = "assistant", ["content"] = content,
            };
            JsonObject Ids() => new JsonObject { ["response_id"] = r.Id, ["item_id"] = itemId, ["output_index"] = outputIndex, ["content_index"] = 0 };
            JsonObject With(string type, JsonObject extra)
            {
                var o = new JsonObject { ["type"] = type };
                foreach (var kv in Ids().ToList()) o[kv.Key] = kv.Value?.DeepClone();
                foreach (var kv in extra.ToList()) o[kv.Key] = kv.Value?.DeepClone();
                return o;
            }

            await Send(new JsonObject { ["type"] = "response.output_item.added", ["response_id"] = r.Id, ["output_index"] = outputIndex, ["item"] = Item("in_progress", new JsonArray()) }).ConfigureAwait(false);
            await Send(new JsonObject { ["type"] = "conversation.item.added", ["previous_item_id"] = _lastItemId, ["item"] = Item("in_progress", new JsonArray()) }).ConfigureAwait(false);
            _lastItemId = itemId;
            await Send(With("response.content_part.added", new JsonObject { ["part"] = new JsonObject { ["type"] = "audio", ["transcript"] = "" } })).ConfigureAwait(false);
            lock (_gate) _sentSamplesByItem[itemId] = 0;

            var chunk = Math.Max(1, _o.ChunkMs) * rate / 1000;
            var chunks = (totalSamples + chunk - 1) / chunk;
            var wordsSent = 0;
            var transcript = new StringBuilder();
            var started = DateTime.UtcNow;
            var cancelled = false;
            for (var c = 0; c < chunks; c++)
            {
                if (r.Cancel.IsCancellationRequested) { cancelled = true; break; }
                if (c > 0 && c == _o.HoldReplyAfterChunks)
                {
                    try { await _o.ReleaseReply.WaitAsync(r.Cancel.Token).ConfigureAwait(false); }
                    catch (OperationCanceledException) { cancelled = true; break; }
                }
                await MaybeFault(c).ConfigureAwait(false);
                var n = Math.Min(chunk, totalSamples - c * chunk);
                var delta = Convert.ToBase64String(payload, c * chunk * bytesPerSample, n * bytesPerSample);
                await Send(With("response.output_audio.delta", new JsonObject { ["delta"] = delta }), validate: c < 2).ConfigureAwait(false);
                // Sent audio in 24 kHz ticks, so truncate checks read the same for every format.
                lock (_gate) _sentSamplesByItem[itemId] += n * ticksPerSample;
                var wordsDue = (int)Math.Round((double)words.Length * (c + 1) / chunks);
                if (wordsDue > wordsSent)
                {
                    var spoken = string.Join(" ", words.Skip(wordsSent).Take(wordsDue - wordsSent)) + (wordsDue < words.Length ? " " : "");
                    transcript.Append(spoken);
                    wordsSent = wordsDue;
                    await Send(With("response.output_audio_transcript.delta", new JsonObject { ["delta"] = spoken })).ConfigureAwait(false);
                }
                if (_o.PlaybackSpeed > 0)
                {
                    var due = started + TimeSpan.FromMilliseconds((c + 1) * _o.ChunkMs / _o.PlaybackSpeed);
                    var wait = due - DateTime.UtcNow;
                    if (wait > TimeSpan.Zero)
                    {
                        try { await Task.Delay(wait, r.Cancel.Token).ConfigureAwait(false); }
                        catch (OperationCanceledException) { cancelled = true; break; }
                    }
                }
            }
            var heard = transcript.ToString();
            var content = new JsonArray(new JsonObject { ["type"] = "output_audio", ["transcript"] = heard });
            if (cancelled)
            {
                await Send(new JsonObject { ["type"] = "response.output_item.done", ["response_id"] = r.Id, ["output_index"] = outputIndex, ["item"] = Item("incomplete", content.DeepClone().AsArray()) }).ConfigureAwait(false);
                await Send(new JsonObject { ["type"] = "conversation.item.done", ["item"] = Item("incomplete", content.DeepClone().AsArray()) }).ConfigureAwait(false);
                throw new OperationCanceledException(r.Cancel.Token);
            }
            await Send(With("response.output_audio.done", new JsonObject())).ConfigureAwait(false);
            await Send(With("response.output_audio_transcript.done", new JsonObject { ["transcript"] = heard })).ConfigureAwait(false);
            await Send(With("response.content_part.done", new JsonObject { ["part"] = new JsonObject { ["type"] = "audio", ["transcript"] = heard } })).ConfigureAwait(false);
            var done = Item("completed", content);
            await Send(new JsonObject { ["type"] = "response.output_item.done", ["response_id"] = r.Id, ["output_index"] = outputIndex, ["item"] = done.DeepClone() }).ConfigureAwait(false);
            await Send(new JsonObject { ["type"] = "conversation.item.done", ["item"] = done.DeepClone() }).ConfigureAwait(false);
            // Output audio is billed at 20 tokens a second, whatever the format.
            return (done, (int)((long)totalSamples * ticksPerSample / (Rate / 20)), words.Length);
        }

        async Task MaybeFault(int chunkIndex)
        {
            if (_faultFired || chunkIndex < _o.FaultAfterChunks || _o.Fault == EmulatorFault.None) return;
            if (_o.FaultLimit > 0 && Interlocked.Increment(ref _o.FaultsFired) > _o.FaultLimit) { _faultFired = true; return; }
            switch (_o.Fault)
            {
                case EmulatorFault.DropMidReply:
                    _faultFired = true;
                    // Let the chunks already sent reach the client first: a TCP reset discards data the peer
                    // has not read yet, and the scenario is "dropped after part of the reply arrived".
                    await Task.Delay(300).ConfigureAwait(false);
                    _ctx.Abort();
                    throw new OperationCanceledException();
                case EmulatorFault.StallMidReply:
                    _faultFired = true;
                    try { await Task.Delay(Timeout.Infinite, _closed.Token).ConfigureAwait(false); }
                    catch (OperationCanceledException) { }
                    throw new ObjectDisposedException("socket");
                case EmulatorFault.MalformedJsonMidReply:
                    _faultFired = true;
                    await SendRaw("{\"type\":\"response.output_audio.delta\",\"delta\":").ConfigureAwait(false);
                    break;
                case EmulatorFault.Close1011MidReply:
                    _faultFired = true;
                    await _sendLock.WaitAsync().ConfigureAwait(false);
                    try { await _socket.CloseOutputAsync(WebSocketCloseStatus.InternalServerError, "Internal server error", CancellationToken.None).ConfigureAwait(false); }
                    finally { _sendLock.Release(); }
                    throw new ObjectDisposedException("socket");
            }
        }

        async Task CancelActive(string reason)
        {
            Response r;
            lock (_gate) r = _active;
            if (r == null) return;
            r.CancelReason = reason;
            r.Cancel.Cancel();
            // response.done (cancelled) is sent by the response task; wait so events stay ordered.
            if (r.Task != null) await Task.WhenAny(r.Task, Task.Delay(5000)).ConfigureAwait(false);
        }

        // ------------------------------------------------------------ sending

        Task SendError(string type, string code, string message, string eventId) =>
            Send(new JsonObject
            {
                ["type"] = "error",
                ["error"] = new JsonObject { ["type"] = type, ["code"] = code, ["message"] = message, ["param"] = null, ["event_id"] = eventId },
            });

        async Task Send(JsonObject e, bool validate = true)
        {
            var body = new JsonObject { ["event_id"] = NewId("event") };
            foreach (var kv in e.ToList())
            {
                e.Remove(kv.Key);
                body[kv.Key] = kv.Value;
            }
            var json = body.ToJsonString();
            var type = body["type"]!.GetValue<string>();
            _host.RecordServer(type);
            if (_o.ValidateOutgoing && validate && !OpenAIRealtimeEmulator.Validate(_host.ServerSchema, json, out var problem))
                _host.RecordViolation("server: " + type + ": " + problem);
            await SendRaw(json).ConfigureAwait(false);
        }

        async Task SendRaw(string json)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            await _sendLock.WaitAsync(_closed.Token).ConfigureAwait(false);
            try
            {
                if (_socket.State != WebSocketState.Open) throw new ObjectDisposedException("socket");
                await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, _closed.Token).ConfigureAwait(false);
            }
            finally { _sendLock.Release(); }
        }
    }
}
