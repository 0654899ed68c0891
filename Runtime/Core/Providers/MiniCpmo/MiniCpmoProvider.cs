using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Parley.Audio;
using Parley.Providers.Llm;
using Parley.Providers.Connection;
using Parley.Transport;

namespace Parley.Providers.MiniCpmo
{
    /// <summary>
    /// MiniCPM-o 2.6 through its demo server. The server is <b>half-duplex</b>: while the model speaks (and 2.5 s
    /// after) it answers every input chunk with <c>skip</c> and ignores it, so the player cannot barge in by voice.
    /// The capabilities say so (FullDuplex = false) and every ignored chunk is reported as <see cref="InputIgnored"/>;
    /// the game can still cut a reply with <see cref="InterruptAsync"/> (POST /stop).
    /// Flow: init_options (uid header, system prompt, reference voice) → a long-lived POST /completions whose SSE
    /// reply starts when the server's VAD ends the player's turn → 200 ms 16 kHz WAV chunks to /stream meanwhile.
    /// </summary>
    public sealed class MiniCpmoProvider : IVoiceProvider, IContextProvider
    {
        public const int InputRate = 16000;
        public const int OutputRate = 24000;
        const int ChunkSamples = InputRate / 5;
        const string EndMarker = "\n<end>";

        readonly MiniCpmoOptions _options;
        readonly HttpClient _http;
        readonly bool _ownsHttp;
        readonly ProviderCapabilities _capabilities = new ProviderCapabilities
        {
            InputSampleRate = InputRate,
            OutputSampleRate = OutputRate,
            ServerTurnDetection = true,
            ManualTurns = false,
            FullDuplex = false,
            TruncatesHistory = false,
            Tools = false,
            InputTranscripts = false,
            OutputTranscripts = true,
            TextInput = false,
        };
        readonly short[] _pending = new short[ChunkSamples];
        readonly byte[] _wav = new byte[WavChunk.HeaderBytes + ChunkSamples * 2];
        readonly Queue<string> _unsent = new Queue<string>();
        // Local barge-in (issue 13): the server ignores audio while it speaks and for a while after /stop, so after a
        // client interrupt the skipped chunks are kept and re-sent once it listens again, led by the last
        // PreRollChunks skipped before the interrupt (the words the local VAD heard begin there).
        const int PreRollChunks = 3;
        static readonly TimeSpan KeptRetryInterval = TimeSpan.FromMilliseconds(200);
        readonly Queue<string> _recentSkipped = new Queue<string>();
        volatile bool _keepSkipped;
        bool _preRollQueued;
        DateTime _retryAt;
        readonly SemaphoreSlim _audioLane = new SemaphoreSlim(1, 1);
        int _pendingCount;
        IProviderListener _listener;
        CancellationTokenSource _life;
        Task _replies;
        volatile bool _connected;
        volatile string _interruptedResponse;
        volatile Reply _speaking;
        short[] _pcm = new short[8192];
        int _turn;
        string _instructions;
        readonly List<string> _context = new List<string>();

        public MiniCpmoProvider(MiniCpmoOptions options, HttpClient http = null)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            if (options.BaseUri == null) throw new ArgumentException("BaseUri is required.", nameof(options));
            if (string.IsNullOrEmpty(options.Uid)) throw new ArgumentException("Uid is required.", nameof(options));
            _ownsHttp = http == null;
            _http = http ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        }

        public string Name => "minicpmo";
        public ProviderCapabilities Capabilities => _capabilities;
        public bool IsConnected => _connected;

        /// <summary>Milliseconds of player audio the server ignored so far (half-duplex).</summary>
        public int IgnoredMs { get; private set; }

        Uri Api(string path) => new Uri(_options.BaseUri.ToString().TrimEnd('/') + "/api/v1/" + path);

        public async Task ConnectAsync(SessionConfig config, IProviderListener listener, CancellationToken cancellationToken)
        {
            _listener = listener ?? throw new ArgumentNullException(nameof(listener));
            try
            {
                EndpointSecurity.Check(_options.BaseUri, _options.AllowInsecure);
            }
            catch (TransportException e)
            {
                throw new ProviderException(ProviderErrorKind.Transport, e.Kind.ToString(), e.Message, e);
            }
            if (config != null)
            {
                if (config.TurnDetection != null && !_capabilities.Supports(config.TurnDetection.Mode))
                    throw new ProviderException(ProviderErrorKind.Unsupported, "turn_detection", "MiniCPM-o's demo server only detects turns itself (server VAD); " + config.TurnDetection.Mode + " is not available.");
                if (config.Tools.Count > 0)
                    throw new ProviderException(ProviderErrorKind.Unsupported, "tools", "MiniCPM-o's demo server has no tool calling.");
            }
            _instructions = config?.Instructions ?? _options.AssistantPrompt ?? "";
            lock (_context)
            {
                _context.Clear();
                // Game context of the conversation so far (the server cannot replay history): part of the prompt.
                if (config != null)
                    foreach (var h in config.History)
                        if (h.Role == HistoryRole.System && !string.IsNullOrEmpty(h.Text)) _context.Add(h.Text);
            }
            var body = InitOptionsBody(true);
            var reply = await PostJsonAsync("init_options", body, cancellationToken).ConfigureAwait(false);
            _life = new CancellationTokenSource();
            _connected = true;
            _listener.OnEvent(new SessionStarted { SessionId = _options.Uid, Model = (string)reply["choices"]?["content"] ?? "minicpm-o" });
            _replies = Task.Run(() => ReplyLoop(_life.Token));
        }

        /// <summary>init_options: the reference voice (first time only) and the options, the prompt followed by the game context.</summary>
        string InitOptionsBody(bool withVoice)
        {
            var prompt = new StringBuilder(_instructions);
            lock (_context)
                foreach (var c in _context) prompt.Append(prompt.Length > 0 ? "\n" : "").Append(c);
            var options = new JObject
            {
                ["voice_clone_prompt"] = _options.VoiceClonePrompt ?? "",
                ["assistant_prompt"] = prompt.ToString(),
                ["use_audio_prompt"] = _options.UseAudioPrompt,
                ["vad_threshold"] = _options.VadThreshold,
                ["hd_video"] = false,
            };
            var content = new JArray();
            if (withVoice && _options.ReferenceVoiceWav != null)
                content.Add(new JObject { ["type"] = "input_audio", ["input_audio"] = new JObject { ["data"] = Convert.ToBase64String(_options.ReferenceVoiceWav), ["format"] = "wav" } });
            content.Add(new JObject { ["type"] = "options", ["options"] = options });
            return new JObject { ["messages"] = new JArray(new JObject { ["role"] = "user", ["content"] = content }) }.ToString(Newtonsoft.Json.Formatting.None);
        }

        /// <summary>
        /// The demo server has no text channel: its prompt (init_options' assistant_prompt) is read only when it starts
        /// a new model session (a new uid, or its KV cache passing 8192 tokens; model_server.py sys_prompt_init). The
        /// context is appended to the prompt and posted again (the server stores it; no reply starts), and every later
        /// connection sends it: <see cref="ContextDelivery.Deferred"/>.
        /// </summary>
        public async Task<ContextDelivery> AddContextAsync(string text, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException("Empty context.", nameof(text));
            if (!_connected) throw new ProviderException(ProviderErrorKind.Transport, "not_connected", "MiniCPM-o is not connected.");
            lock (_context) _context.Add(text);
            await PostJsonAsync("init_options", InitOptionsBody(false), cancellationToken).ConfigureAwait(false);
            return ContextDelivery.Deferred;
        }

        async Task<JObject> PostJsonAsync(string path, string json, CancellationToken cancellationToken)
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            using (var request = new HttpRequestMessage(HttpMethod.Post, Api(path)) { Content = new StringContent(json, Encoding.UTF8, "application/json") })
            {
                timeout.CancelAfter(_options.RequestTimeout);
                request.Headers.TryAddWithoutValidation("uid", _options.Uid);
                try
                {
                    using (var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false))
                    {
                        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                        if (!response.IsSuccessStatusCode)
                        {
                            var status = (int)response.StatusCode;
                            throw new ProviderException(ConnectionErrors.KindOfHttpStatus(status), status.ToString(),
                                "MiniCPM-o /" + path + " answered HTTP " + status + ": " + Trim(text));
                        }
                        try
                        {
                            return JObject.Parse(text);
                        }
                        catch (Newtonsoft.Json.JsonException e)
                        {
                            throw new ProviderException(ProviderErrorKind.Protocol, "bad_json", "MiniCPM-o /" + path + " answered with something that is not JSON.", e);
                        }
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new ProviderException(ProviderErrorKind.Stalled, "timeout", "MiniCPM-o /" + path + " did not answer within " + _options.RequestTimeout.TotalSeconds + " s.");
                }
                catch (HttpRequestException e)
                {
                    throw HttpFailure.Classify(e, _options.BaseUri);
                }
            }
        }

        static string Trim(string s) => s == null ? "" : s.Length > 200 ? s.Substring(0, 200) : s;

        /// <summary>Buffers 16 kHz audio into 200 ms WAV chunks and posts each to /stream, in order.</summary>
        public async ValueTask SendAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken cancellationToken)
        {
            if (!_connected) throw new ProviderException(ProviderErrorKind.Transport, "not_connected", "MiniCPM-o is not connected.");
            await _audioLane.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var src = pcm;
                while (src.Length > 0)
                {
                    var n = Math.Min(src.Length, ChunkSamples - _pendingCount);
                    src.Span.Slice(0, n).CopyTo(new Span<short>(_pending, _pendingCount, n));
                    _pendingCount += n;
                    src = src.Slice(n);
                    if (_pendingCount == ChunkSamples)
                    {
                        _pendingCount = 0;
                        Enqueue();
                    }
                }
                await DrainAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _audioLane.Release();
            }
        }

        void Enqueue()
        {
            var len = WavChunk.Write(_pending, InputRate, _wav);
            var stamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString();
            var body = "{\"uid\":\"" + _options.Uid + "\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\",\"input_audio\":{\"data\":\""
                + Convert.ToBase64String(_wav, 0, len) + "\",\"format\":\"wav\",\"timestamp\":\"" + stamp + "\"}}]}]}";
            _unsent.Enqueue(body);
            if (_unsent.Count > _options.MaxUnsentChunks)
            {
                _unsent.Dequeue();
                Ignored(200, "server unreachable; oldest unsent audio dropped");
            }
        }

        async Task DrainAsync(CancellationToken cancellationToken)
        {
            if (_keepSkipped && !_preRollQueued)
            {
                // The player's first words went out (and were skipped) before the interrupt: they lead the kept audio.
                _preRollQueued = true;
                if (_recentSkipped.Count > 0)
                {
                    var all = new List<string>(_recentSkipped);
                    all.AddRange(_unsent);
                    _unsent.Clear();
                    foreach (var body in all) _unsent.Enqueue(body);
                    _recentSkipped.Clear();
                }
            }
            // A chunk leaves the queue only once the server took it: a failed post is retried with the next audio.
            while (_unsent.Count > 0)
            {
                if (_keepSkipped && DateTime.UtcNow < _retryAt) return;
                var reply = await PostJsonAsync("stream", _unsent.Peek(), cancellationToken).ConfigureAwait(false);
                var finish = (string)reply["choices"]?["finish_reason"];
                if (finish == "skip" && _keepSkipped)
                {
                    // After our /stop the server still ignores input for a while: keep the chunk at the head and retry.
                    _retryAt = DateTime.UtcNow + KeptRetryInterval;
                    return;
                }
                var sent = _unsent.Dequeue();
                if (finish == "skip")
                {
                    _recentSkipped.Enqueue(sent);
                    if (_recentSkipped.Count > PreRollChunks) _recentSkipped.Dequeue();
                    Ignored(200, "model speaking (half-duplex server)");
                }
                else if (_keepSkipped)
                {
                    KeptChunksDelivered++;
                    if (_unsent.Count == 0) { _keepSkipped = false; _preRollQueued = false; }
                }
                else _recentSkipped.Clear();
            }
        }

        /// <summary>Chunks the server took that were held back after a client interrupt (the player's words kept).</summary>
        public int KeptChunksDelivered { get; private set; }

        void Ignored(int ms, string reason)
        {
            IgnoredMs += ms;
            _listener.OnEvent(new InputIgnored { Milliseconds = ms, Reason = reason });
        }

        async Task ReplyLoop(CancellationToken life)
        {
            while (!life.IsCancellationRequested)
            {
                try
                {
                    await OneReply(life).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (life.IsCancellationRequested)
                {
                    return;
                }
                catch (ProviderException e)
                {
                    var fatal = e.Kind == ProviderErrorKind.Transport;
                    _listener.OnEvent(new ProviderError { ErrorKind = e.Kind, Code = e.Code, Message = e.Message, IsFatal = fatal });
                    if (fatal)
                    {
                        _connected = false;
                        _listener.OnEvent(new Disconnected { CloseStatus = 1006, Reason = e.Message, ByClient = false });
                        return;
                    }
                }
            }
        }

        /// <summary>One POST /completions: waits for the player's turn to end, then streams the reply.</summary>
        async Task OneReply(CancellationToken life)
        {
            var n = Interlocked.Increment(ref _turn);
            var responseId = "resp_" + n;
            var itemId = "item_" + n;
            var body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"none\"}]}],\"stream\":true}";
            using (var request = new HttpRequestMessage(HttpMethod.Post, Api("completions")) { Content = new StringContent(body, Encoding.UTF8, "application/json") })
            {
                request.Headers.TryAddWithoutValidation("uid", _options.Uid);
                HttpResponseMessage response;
                try
                {
                    // No timeout here: the server holds this request until the player has spoken, which may be minutes.
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, life).ConfigureAwait(false);
                }
                catch (HttpRequestException e)
                {
                    throw HttpFailure.Classify(e, _options.BaseUri);
                }
                using (response)
                {
                    if (!response.IsSuccessStatusCode)
                    {
                        var status = (int)response.StatusCode;
                        throw new ProviderException(ConnectionErrors.KindOfHttpStatus(status), status.ToString(), "MiniCPM-o /completions answered HTTP " + status + ".");
                    }
                    var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                    var reply = new Reply { ResponseId = responseId, ItemId = itemId };
                    bool ended;
                    try
                    {
                        ended = await SseStreamReader.ReadAsync(stream, new SseParser(), e => OnEvent(e, reply),
                            () => reply.Events == 0 ? Timeout.InfiniteTimeSpan : _options.ReplyIdleTimeout, "MiniCPM-o", life).ConfigureAwait(false);
                    }
                    catch (ProviderException e) when (reply.Started && !reply.Done)
                    {
                        Finish(reply, ResponseStatus.Failed, e.Code);
                        throw;
                    }
                    if (reply.Error != null)
                    {
                        Finish(reply, ResponseStatus.Failed, "server_error");
                        throw reply.Error;
                    }
                    if (!ended && reply.Started && !reply.Done)
                    {
                        // The stream closed without "\n<end>": the reply was cut (by /stop or by the server).
                        Finish(reply, _interruptedResponse == responseId ? ResponseStatus.Interrupted : ResponseStatus.Incomplete, "stream_closed");
                    }
                }
            }
        }

        sealed class Reply
        {
            public string ResponseId;
            public string ItemId;
            public int Events;
            public bool Started;
            public bool Done;
            public ProviderException Error;
            public readonly StringBuilder Text = new StringBuilder();
        }

        bool OnEvent(SseEvent e, Reply reply)
        {
            reply.Events++;
            JObject json;
            try
            {
                json = JObject.Parse(e.Data);
            }
            catch (Newtonsoft.Json.JsonException ex)
            {
                reply.Error = new ProviderException(ProviderErrorKind.Protocol, "bad_json", "MiniCPM-o sent an SSE event that is not JSON.", ex);
                return false;
            }
            if (json["error"] != null)
            {
                reply.Error = new ProviderException(ProviderErrorKind.Server, "server_error", "MiniCPM-o failed: " + (string)json["error"]);
                return false;
            }
            // The first event echoes the player's merged input audio: it marks the end of their turn, not a reply.
            if (reply.Events == 1)
            {
                _listener.OnEvent(new UserSpeechStopped { ItemId = "user_" + reply.ItemId });
                return true;
            }
            var choice = (json["choices"] as JArray)?.Count > 0 ? json["choices"][0] : null;
            if (choice == null) return true;
            if (!reply.Started)
            {
                reply.Started = true;
                _speaking = reply;
                _listener.OnEvent(new ResponseStarted { ResponseId = reply.ResponseId });
            }
            var interrupted = _interruptedResponse == reply.ResponseId;
            var audio = (string)choice["audio"];
            if (!string.IsNullOrEmpty(audio) && !interrupted)
            {
                var error = DeliverWav(audio, reply.ItemId);
                if (error != null)
                {
                    reply.Error = error;
                    _ = StopQuietly();
                    return false;
                }
            }
            var text = (string)choice["text"] ?? string.Empty;
            var end = text.IndexOf(EndMarker, StringComparison.Ordinal);
            var visible = end >= 0 ? text.Substring(0, end) : text;
            if (visible.Length > 0 && !interrupted)
            {
                reply.Text.Append(visible);
                _listener.OnEvent(new AgentTranscript { ResponseId = reply.ResponseId, ItemId = reply.ItemId, Text = visible, IsFinal = false });
            }
            if (end >= 0)
            {
                if (!interrupted)
                {
                    _listener.OnEvent(new AgentAudioDone { ResponseId = reply.ResponseId, ItemId = reply.ItemId });
                    _listener.OnEvent(new AgentTranscript { ResponseId = reply.ResponseId, ItemId = reply.ItemId, Text = reply.Text.ToString(), IsFinal = true });
                }
                Finish(reply, interrupted ? ResponseStatus.Interrupted : ResponseStatus.Completed, interrupted ? "client_interrupted" : "end");
                return false;
            }
            return true;
        }

        void Finish(Reply reply, ResponseStatus status, string reason)
        {
            if (reply.Done) return;
            reply.Done = true;
            // An interrupted reply was already reported by InterruptAsync.
            if (_interruptedResponse == reply.ResponseId) return;
            _listener.OnEvent(new ResponseDone { ResponseId = reply.ResponseId, Status = status, Reason = reason });
        }

        ProviderException DeliverWav(string b64, string itemId)
        {
            byte[] wav;
            try
            {
                wav = Convert.FromBase64String(b64);
            }
            catch (FormatException e)
            {
                return new ProviderException(ProviderErrorKind.Protocol, "bad_audio", "MiniCPM-o sent audio that is not base64.", e);
            }
            int rate, channels, offset, bytes;
            try
            {
                WavChunk.Parse(wav, out rate, out channels, out offset, out bytes);
            }
            catch (FormatException e)
            {
                return new ProviderException(ProviderErrorKind.Protocol, "bad_wav", "MiniCPM-o sent a bad WAV chunk: " + e.Message, e);
            }
            if (rate != OutputRate || channels != 1)
                return new ProviderException(ProviderErrorKind.Protocol, "sample_rate", "MiniCPM-o sent a " + rate + " Hz x" + channels + " chunk; the demo server's output is fixed at " + OutputRate + " Hz mono.");
            var samples = bytes / 2;
            if (_pcm.Length < samples) _pcm = new short[samples * 2];
            Buffer.BlockCopy(wav, offset, _pcm, 0, bytes);
            _listener.OnAudio(itemId, new ReadOnlySpan<short>(_pcm, 0, samples));
            return null;
        }

        async Task StopQuietly()
        {
            try
            {
                await PostJsonAsync("stop", "{}", CancellationToken.None).ConfigureAwait(false);
            }
            catch (ProviderException)
            {
            }
        }

        public Task StartUserTurnAsync(CancellationToken cancellationToken) => throw Unsupported("manual turns");
        public Task EndUserTurnAsync(CancellationToken cancellationToken) => throw Unsupported("manual turns");
        public Task SendTextAsync(string text, CancellationToken cancellationToken) => throw Unsupported("text input");
        public Task SendToolResultAsync(string callId, string name, string resultJson, CancellationToken cancellationToken) => throw Unsupported("tools");

        static ProviderException Unsupported(string what) =>
            new ProviderException(ProviderErrorKind.Unsupported, "unsupported", "MiniCPM-o's demo server has no " + what + ".");

        /// <summary>
        /// Stops the current reply (POST /stop): a game-side action or Parley's local VAD (the server ignores the
        /// player's voice while it speaks, so it never barges in by itself). The player's audio the server skips from
        /// just before this call until it listens again is kept and re-sent in order.
        /// </summary>
        public async Task InterruptAsync(InterruptRequest request, CancellationToken cancellationToken)
        {
            var reply = _speaking;
            // Nothing is being said (or it already ended): there is nothing to stop.
            if (reply == null || reply.Done || _interruptedResponse == reply.ResponseId) return;
            if (request.ItemId != null && request.ItemId != reply.ItemId) return;
            _interruptedResponse = reply.ResponseId;
            _keepSkipped = true;
            _listener.OnEvent(new ResponseDone { ResponseId = reply.ResponseId, Status = ResponseStatus.Interrupted, Reason = "client_interrupted" });
            await PostJsonAsync("stop", "{}", cancellationToken).ConfigureAwait(false);
        }

        public async Task DisconnectAsync(CancellationToken cancellationToken)
        {
            if (!_connected && _life == null) return;
            _connected = false;
            _life?.Cancel();
            if (_replies != null) await Task.WhenAny(_replies, Task.Delay(2000, cancellationToken)).ConfigureAwait(false);
            _listener?.OnEvent(new Disconnected { CloseStatus = 1000, ByClient = true });
        }

        public void Dispose()
        {
            _connected = false;
            _life?.Cancel();
            if (_ownsHttp) _http.Dispose();
        }
    }
}
