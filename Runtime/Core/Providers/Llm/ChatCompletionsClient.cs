using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Parley.Providers.Auth;
using Parley.Providers.Connection;
using Parley.Transport;

namespace Parley.Providers.Llm
{
    /// <summary>Where and how to reach an OpenAI-compatible chat-completions server (NIM, vLLM, Ollama, llama.cpp).</summary>
    public sealed class ChatCompletionsOptions
    {
        /// <summary>Base URL including the version path, e.g. http://127.0.0.1:8000/v1 (…/chat/completions is appended).</summary>
        public Uri BaseUri;
        public string Model;
        /// <summary>Bearer token, or null for servers without auth (local vLLM, Ollama).</summary>
        public ICredentialSource Credentials;
        /// <summary>Plain http:// to a non-loopback host (a LAN server) is refused unless this is set.</summary>
        public bool AllowInsecure;
        /// <summary>Request sent → response headers. Model load on first use can be slow; raise it for that.</summary>
        public TimeSpan ResponseTimeout = TimeSpan.FromSeconds(30);
        /// <summary>Longest silence between two stream chunks before the stream counts as stalled.</summary>
        public TimeSpan IdleTimeout = TimeSpan.FromSeconds(20);
        public float? Temperature;
        /// <summary>0 = server default.</summary>
        public int MaxTokens;
    }

    /// <summary>
    /// Streams /v1/chat/completions (stream: true) over HttpClient and reads the SSE reply chunk by chunk:
    /// text deltas are handed out as they come, tool-call deltas are assembled. Every failure is a
    /// <see cref="ProviderException"/>; every wait is bounded by a timeout or the caller's cancellation.
    /// Not for WebGL (HttpClient has no socket there); the browser build needs a fetch-based handler.
    /// </summary>
    public sealed class ChatCompletionsClient : IDisposable
    {
        readonly ChatCompletionsOptions _options;
        readonly HttpClient _http;
        readonly bool _ownsHttp;

        public ChatCompletionsClient(ChatCompletionsOptions options, HttpClient http = null)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            if (options.BaseUri == null) throw new ArgumentException("BaseUri is required.", nameof(options));
            EndpointSecurity.Check(options.BaseUri, options.AllowInsecure);
            _ownsHttp = http == null;
            _http = http ?? new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        }

        public ChatCompletionsOptions Options => _options;

        public Uri Endpoint => new Uri(_options.BaseUri.ToString().TrimEnd('/') + "/chat/completions");

        /// <summary>
        /// Streams one completion. <paramref name="onText"/> gets each content delta on the reading task.
        /// Cancelling <paramref name="cancellationToken"/> aborts the HTTP request at once (the server sees the disconnect).
        /// </summary>
        public async Task<ChatCompletionResult> StreamAsync(IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDeclaration> tools,
            Action<string> onText, CancellationToken cancellationToken)
        {
            var body = BuildRequest(messages, tools);
            var request = new HttpRequestMessage(HttpMethod.Post, Endpoint)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            if (_options.Credentials != null)
            {
                var credential = await _options.Credentials.GetAsync(cancellationToken).ConfigureAwait(false);
                if (!credential.IsEmpty) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential.Secret);
            }

            var clock = Stopwatch.StartNew();
            var result = new ChatCompletionResult();
            HttpResponseMessage response = null;
            using (var watchdog = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                watchdog.CancelAfter(_options.ResponseTimeout);
                try
                {
                    try
                    {
                        response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, watchdog.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new ProviderException(ProviderErrorKind.Stalled, "timeout", "No response from " + Describe() + " within " + _options.ResponseTimeout.TotalSeconds + " s.");
                    }
                    catch (HttpRequestException e)
                    {
                        throw HttpFailure.Classify(e, _options.BaseUri);
                    }
                    if (!response.IsSuccessStatusCode) throw await HttpError(response, watchdog.Token).ConfigureAwait(false);

                    var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                    watchdog.CancelAfter(System.Threading.Timeout.InfiniteTimeSpan);
                    await ReadStream(stream, result, onText, clock, cancellationToken).ConfigureAwait(false);
                    return result;
                }
                finally
                {
                    response?.Dispose();
                    request.Dispose();
                }
            }
        }

        async Task ReadStream(Stream stream, ChatCompletionResult result, Action<string> onText, Stopwatch clock, CancellationToken cancellationToken)
        {
            var tools = new ToolCallAssembler();
            var text = new StringBuilder();
            var idle = _options.IdleTimeout;
            var done = await SseStreamReader.ReadAsync(stream, new SseParser(), e =>
            {
                if (e.Data == "[DONE]") return false;
                HandleChunk(e.Data, result, tools, text, onText, clock);
                return true;
            }, () => idle, Describe(), cancellationToken).ConfigureAwait(false);
            if (!done && result.FinishReason == null)
                throw ConnectionErrors.ToException(ConnectionErrors.TruncatedStream(Describe() + " ended the stream before [DONE] and without a finish_reason (" + text.Length + " characters received)."));
            result.Text = text.ToString();
            tools.Complete(result.ToolCalls);
        }

        void HandleChunk(string data, ChatCompletionResult result, ToolCallAssembler tools, StringBuilder text, Action<string> onText, Stopwatch clock)
        {
            JObject chunk;
            try
            {
                chunk = JObject.Parse(data);
            }
            catch (JsonException e)
            {
                throw new ProviderException(ProviderErrorKind.Protocol, "bad_chunk", "Unparseable stream chunk from " + Describe() + ".", e);
            }
            // Every field read through JsonFields: a field of the wrong type is a server bug to tolerate, not an exception to leak.
            if (JsonFields.Field(chunk, "error") is JToken error && error.Type != JTokenType.Null)
            {
                var message = error.Type == JTokenType.Object ? JsonFields.Str(error, "message") : error.ToString();
                var code = JsonFields.Str(error, "code") ?? JsonFields.Str(error, "type");
                throw new ProviderException(ProviderErrorKind.Server, code ?? "server_error", "The LLM server failed mid-reply: " + message);
            }
            if (JsonFields.Obj(chunk, "usage") is JObject usage)
            {
                result.HasUsage = true;
                result.Usage.InputTextTokens = JsonFields.Long(usage, "prompt_tokens");
                result.Usage.OutputTextTokens = JsonFields.Long(usage, "completion_tokens");
                result.Usage.TotalTokens = JsonFields.Long(usage, "total_tokens");
            }
            if (!(JsonFields.Arr(chunk, "choices") is JArray choices) || choices.Count == 0) return;
            var choice = choices[0];
            var delta = JsonFields.Obj(choice, "delta");
            if (delta != null)
            {
                var piece = JsonFields.Str(delta, "content");
                if (!string.IsNullOrEmpty(piece))
                {
                    if (result.FirstTokenMs < 0) result.FirstTokenMs = clock.Elapsed.TotalMilliseconds;
                    text.Append(piece);
                    onText?.Invoke(piece);
                }
                if (JsonFields.Arr(delta, "tool_calls") is JArray calls)
                {
                    if (result.FirstTokenMs < 0) result.FirstTokenMs = clock.Elapsed.TotalMilliseconds;
                    for (var i = 0; i < calls.Count; i++)
                    {
                        var call = calls[i];
                        var function = JsonFields.Obj(call, "function");
                        tools.Add(JsonFields.Int(call, "index", i), JsonFields.Str(call, "id"), JsonFields.Str(function, "name"), JsonFields.Str(function, "arguments"));
                    }
                }
            }
            var finish = JsonFields.Str(choice, "finish_reason");
            if (finish != null) result.FinishReason = finish;
        }

        string BuildRequest(IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDeclaration> tools)
        {
            var sb = new StringBuilder(1024);
            using (var w = new JsonTextWriter(new StringWriter(sb)))
            {
                w.WriteStartObject();
                if (!string.IsNullOrEmpty(_options.Model)) { w.WritePropertyName("model"); w.WriteValue(_options.Model); }
                w.WritePropertyName("stream"); w.WriteValue(true);
                if (_options.Temperature.HasValue) { w.WritePropertyName("temperature"); w.WriteValue(_options.Temperature.Value); }
                if (_options.MaxTokens > 0) { w.WritePropertyName("max_tokens"); w.WriteValue(_options.MaxTokens); }
                w.WritePropertyName("messages");
                w.WriteStartArray();
                foreach (var m in messages) WriteMessage(w, m);
                w.WriteEndArray();
                if (tools != null && tools.Count > 0)
                {
                    w.WritePropertyName("tools");
                    w.WriteStartArray();
                    foreach (var t in tools)
                    {
                        w.WriteStartObject();
                        w.WritePropertyName("type"); w.WriteValue("function");
                        w.WritePropertyName("function");
                        w.WriteStartObject();
                        w.WritePropertyName("name"); w.WriteValue(t.Name);
                        if (!string.IsNullOrEmpty(t.Description)) { w.WritePropertyName("description"); w.WriteValue(t.Description); }
                        w.WritePropertyName("parameters"); w.WriteRawValue(string.IsNullOrEmpty(t.ParametersJsonSchema) ? "{\"type\":\"object\",\"properties\":{}}" : t.ParametersJsonSchema);
                        w.WriteEndObject();
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WritePropertyName("tool_choice"); w.WriteValue("auto");
                }
                w.WriteEndObject();
            }
            return sb.ToString();
        }

        static void WriteMessage(JsonTextWriter w, ChatMessage m)
        {
            w.WriteStartObject();
            w.WritePropertyName("role"); w.WriteValue(m.Role);
            w.WritePropertyName("content");
            if (m.Content == null) w.WriteNull(); else w.WriteValue(m.Content);
            if (m.ToolCallId != null) { w.WritePropertyName("tool_call_id"); w.WriteValue(m.ToolCallId); }
            if (m.ToolCalls.Count > 0)
            {
                w.WritePropertyName("tool_calls");
                w.WriteStartArray();
                foreach (var c in m.ToolCalls)
                {
                    w.WriteStartObject();
                    w.WritePropertyName("id"); w.WriteValue(c.Id);
                    w.WritePropertyName("type"); w.WriteValue("function");
                    w.WritePropertyName("function");
                    w.WriteStartObject();
                    w.WritePropertyName("name"); w.WriteValue(c.Name);
                    w.WritePropertyName("arguments"); w.WriteValue(c.ArgumentsJson ?? "{}");
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }

        async Task<ProviderException> HttpError(HttpResponseMessage response, CancellationToken token)
        {
            var status = (int)response.StatusCode;
            string detail = null;
            try
            {
                var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                if (text.Length > 0 && text.TrimStart().StartsWith("{"))
                {
                    var json = JObject.Parse(text);
                    var error = json["error"];
                    detail = error is JObject o ? (string)o["message"] : (string)error ?? (string)json["detail"] ?? (string)json["message"];
                }
            }
            catch (Exception e) when (e is JsonException || e is IOException || e is HttpRequestException || e is InvalidCastException || e is ArgumentException)
            {
            }
            token.ThrowIfCancellationRequested();
            return ConnectionErrors.ToException(ConnectionErrors.FromHttpStatus(status, Describe() + " answered HTTP " + status + (detail != null ? ": " + detail : ".")));
        }

        string Describe() => _options.BaseUri.Scheme + "://" + _options.BaseUri.Authority;

        public void Dispose()
        {
            if (_ownsHttp) _http.Dispose();
        }
    }
}
