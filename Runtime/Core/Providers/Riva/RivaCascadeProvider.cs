using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Parley.Providers.Connection;
using Parley.Providers.Llm;

namespace Parley.Providers.Riva
{
    /// <summary>The three stages of the cascade and its limits.</summary>
    public sealed class RivaCascadeOptions
    {
        public IAsrStage Asr;
        public ITtsStage Tts;
        public ChatCompletionsClient Llm;
        /// <summary>Longest wait for the TTS to finish after the LLM ended (bounded by silence inside the stage too).</summary>
        public TimeSpan TtsCompleteTimeout = TimeSpan.FromSeconds(60);
        /// <summary>How long an interruption waits for the cancelled stages to wind down before returning.</summary>
        public TimeSpan InterruptWait = TimeSpan.FromSeconds(2);
        /// <summary>Speaking rate used to place the cut inside a phrase whose audio end is not known yet.</summary>
        public double WordsPerSecond = 2.5;
    }

    /// <summary>
    /// Riva as a voice provider: streaming ASR (final or endpointed transcript) → an OpenAI-compatible LLM streamed
    /// over SSE (with tools) → phrase chunking → streaming TTS → <see cref="IProviderListener.OnAudio"/>. The ASR
    /// keeps listening while the agent speaks, so the player can barge in; <see cref="InterruptAsync"/> cancels the
    /// LLM stream and the TTS together and the history keeps only the words the player heard.
    /// </summary>
    public sealed class RivaCascadeProvider : IVoiceProvider, IContextProvider, IAsrListener
    {
        readonly RivaCascadeOptions _options;
        readonly object _gate = new object();
        readonly List<ChatMessage> _history = new List<ChatMessage>();
        readonly List<string> _pendingUser = new List<string>();
        // Context given while a reply runs: that LLM request already has its messages; it joins the history after the reply.
        readonly List<string> _pendingContext = new List<string>();
        readonly Dictionary<string, ChatToolCall> _pendingCalls = new Dictionary<string, ChatToolCall>();
        readonly List<ToolDeclaration> _tools = new List<ToolDeclaration>();
        readonly ProviderCapabilities _capabilities;
        IProviderListener _listener;
        Response _active;
        bool _queued;
        bool _userSpeaking;
        long _userStop;
        long _finalAt;
        int _counter;
        string _userItem;
        volatile bool _connected;

        public RivaCascadeProvider(RivaCascadeOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            if (options.Asr == null || options.Tts == null || options.Llm == null)
                throw new ArgumentException("The cascade needs an ASR stage, a TTS stage and an LLM client.", nameof(options));
            _capabilities = new ProviderCapabilities
            {
                InputSampleRate = options.Asr.SampleRate,
                OutputSampleRate = options.Tts.SampleRate,
                ServerTurnDetection = true,
                ManualTurns = true,
                // The recogniser runs while the agent speaks; cutting the reply is entirely client-side.
                FullDuplex = true,
                TruncatesHistory = true,
                Tools = true,
                InputTranscripts = true,
                OutputTranscripts = true,
                UsageReporting = true,
                TextInput = true,
            };
        }

        public string Name => "riva";
        public ProviderCapabilities Capabilities => _capabilities;
        public bool IsConnected => _connected;

        /// <summary>The conversation as the LLM will see it next: only what the player heard of each reply.</summary>
        public IReadOnlyList<ChatMessage> History
        {
            get { lock (_gate) return _history.ToArray(); }
        }

        public async Task ConnectAsync(SessionConfig config, IProviderListener listener, CancellationToken cancellationToken)
        {
            if (config == null) throw new ArgumentNullException(nameof(config));
            _listener = listener ?? throw new ArgumentNullException(nameof(listener));
            if (config.TurnDetection != null && !_capabilities.Supports(config.TurnDetection.Mode))
                throw new ProviderException(ProviderErrorKind.Unsupported, "turn_detection", "The Riva cascade does not support " + config.TurnDetection.Mode + " turn detection.");
            lock (_gate)
            {
                _history.Clear();
                if (!string.IsNullOrEmpty(config.Instructions)) _history.Add(ChatMessage.System(config.Instructions));
                foreach (var h in config.History) AddReplayed(h);
                _tools.Clear();
                _tools.AddRange(config.Tools);
            }
            await _options.Asr.StartAsync(this, cancellationToken).ConfigureAwait(false);
            _connected = true;
            Emit(new SessionStarted { SessionId = "riva_" + Guid.NewGuid().ToString("N"), Model = _options.Llm.Options.Model });
        }

        void AddReplayed(HistoryItem h)
        {
            switch (h.Role)
            {
                case HistoryRole.User: _history.Add(ChatMessage.User(h.Text)); break;
                case HistoryRole.Agent: _history.Add(ChatMessage.Assistant(h.Text)); break;
                case HistoryRole.System: _history.Add(ChatMessage.System(h.Text)); break;
                case HistoryRole.ToolCall:
                    var m = ChatMessage.Assistant(null);
                    m.ToolCalls.Add(new ChatToolCall { Id = h.CallId, Name = h.ToolName, ArgumentsJson = h.Text });
                    _history.Add(m);
                    break;
                case HistoryRole.ToolResult: _history.Add(ChatMessage.Tool(h.CallId, h.Text)); break;
            }
        }

        public ValueTask SendAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken cancellationToken) =>
            _options.Asr.SendAudioAsync(pcm, cancellationToken);

        public Task StartUserTurnAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task EndUserTurnAsync(CancellationToken cancellationToken) => _options.Asr.FinishAsync(cancellationToken);

        public Task SendTextAsync(string text, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException("Empty message.", nameof(text));
            lock (_gate)
            {
                _pendingUser.Add(text);
                _userStop = 0;
                _finalAt = 0;
            }
            StartResponse();
            return Task.CompletedTask;
        }

        /// <summary>
        /// A system message in the LLM history, no request: the next reply's request carries it. While a reply runs
        /// it is held and appended after that reply (its request already went out), so the order stays as it happened.
        /// </summary>
        public Task<ContextDelivery> AddContextAsync(string text, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException("Empty context.", nameof(text));
            lock (_gate)
            {
                // Not between an assistant's tool_calls and their results either (the API requires them adjacent).
                if (_active != null || _pendingCalls.Count > 0)
                {
                    _pendingContext.Add(text);
                    return Task.FromResult(ContextDelivery.Queued);
                }
                _history.Add(ChatMessage.System(text));
            }
            return Task.FromResult(ContextDelivery.Sent);
        }

        /// <summary>Under the gate.</summary>
        void FlushContext()
        {
            foreach (var c in _pendingContext) _history.Add(ChatMessage.System(c));
            _pendingContext.Clear();
        }

        public Task SendToolResultAsync(string callId, string name, string resultJson, CancellationToken cancellationToken)
        {
            bool ready;
            lock (_gate)
            {
                if (!_pendingCalls.Remove(callId ?? string.Empty))
                    throw new ProviderException(ProviderErrorKind.InvalidRequest, "unknown_call", "No pending tool call with id " + callId + ".");
                _history.Add(ChatMessage.Tool(callId, resultJson ?? "null"));
                ready = _pendingCalls.Count == 0;
            }
            if (ready) StartResponse();
            return Task.CompletedTask;
        }

        public async Task InterruptAsync(InterruptRequest request, CancellationToken cancellationToken)
        {
            Response r;
            lock (_gate)
            {
                r = _active;
                if (r == null || (request.ItemId != null && request.ItemId != r.ItemId)) return;
            }
            if (!r.TryFinish()) return;
            r.Cancel();
            var heard = r.HeardText(request.PlayedMs, _capabilities.OutputSampleRate, _options.WordsPerSecond);
            lock (_gate)
            {
                if (heard.Length > 0) _history.Add(ChatMessage.Assistant(heard));
            }
            Emit(new AgentTranscript { ResponseId = r.Id, ItemId = r.ItemId, Text = heard, IsFinal = true });
            Emit(new ResponseDone { ResponseId = r.Id, Status = ResponseStatus.Interrupted, Reason = "client_interrupted" });
            // Wait (bounded) until the LLM read and the TTS receive have stopped, so nothing of this reply follows.
            await Task.WhenAny(r.Task ?? Task.CompletedTask, Task.Delay(_options.InterruptWait, cancellationToken)).ConfigureAwait(false);
            EndResponse(r);
        }

        public async Task DisconnectAsync(CancellationToken cancellationToken)
        {
            Response r;
            lock (_gate) r = _active;
            if (r != null && r.TryFinish()) r.Cancel();
            _connected = false;
            await _options.Asr.StopAsync(cancellationToken).ConfigureAwait(false);
            Emit(new Disconnected { CloseStatus = 1000, ByClient = true });
        }

        // ---- ASR listener (receive task of the ASR stage) ----

        void IAsrListener.OnPartial(string delta)
        {
            if (!_userSpeaking)
            {
                _userSpeaking = true;
                _userItem = "user_" + Interlocked.Increment(ref _counter);
                // The session decides on barge-in from this (it calls InterruptAsync with the played cursor).
                Emit(new UserSpeechStarted { ItemId = _userItem });
            }
            Emit(new UserTranscript { ItemId = _userItem, Text = delta, IsFinal = false });
        }

        void IAsrListener.OnFinal(string transcript, long userStopTimestamp)
        {
            var item = _userItem ?? "user_" + Interlocked.Increment(ref _counter);
            _userSpeaking = false;
            _userItem = null;
            Emit(new UserSpeechStopped { ItemId = item });
            Emit(new UserTranscript { ItemId = item, Text = transcript, IsFinal = true });
            lock (_gate)
            {
                _pendingUser.Add(transcript);
                _userStop = userStopTimestamp;
                _finalAt = Stopwatch.GetTimestamp();
            }
            StartResponse();
        }

        void IAsrListener.OnFailed(ProviderException error)
        {
            Response r;
            lock (_gate) r = _active;
            if (r != null && r.TryFinish()) r.Cancel();
            if (_connected)
            {
                // The recogniser is the cascade's connection: its end is the provider's one Disconnected, typed by the table.
                _connected = false;
                var cause = ConnectionErrors.FromException(error, true);
                Emit(cause);
                Emit(new Disconnected { CloseStatus = 1006, Reason = error.Message, ByClient = false, Error = cause, Recoverable = cause.Recoverable });
            }
        }

        // ---- responses ----

        void StartResponse()
        {
            Response r;
            lock (_gate)
            {
                if (_active != null) { _queued = true; return; }
                if (_pendingCalls.Count > 0) return;
                FlushContext();
                foreach (var u in _pendingUser) _history.Add(ChatMessage.User(u));
                _pendingUser.Clear();
                var n = Interlocked.Increment(ref _counter);
                r = new Response("resp_" + n, "item_" + n, _userStop, _finalAt, _listener);
                _userStop = 0;
                _finalAt = 0;
                _active = r;
            }
            r.Task = Task.Run(() => RunResponse(r));
        }

        void EndResponse(Response r)
        {
            bool again;
            lock (_gate)
            {
                if (_active != r) return;
                _active = null;
                if (_pendingCalls.Count == 0) FlushContext();
                again = _queued || _pendingUser.Count > 0;
                _queued = false;
                if (_pendingCalls.Count > 0) again = false;
            }
            if (again) StartResponse();
        }

        async Task RunResponse(Response r)
        {
            Emit(new ResponseStarted { ResponseId = r.Id });
            List<ChatMessage> messages;
            lock (_gate) messages = new List<ChatMessage>(_history);
            var chunker = new SentenceChunker();
            var phrases = new List<string>();
            ITtsStream tts = null;
            Task<ITtsStream> opening = null;
            Task sending = Task.CompletedTask;
            ChatCompletionResult result = null;
            try
            {
                // The TTS opens with the first words of the reply (its connect time hides behind the first phrase
                // being built): a tool-only or empty reply opens no TTS stream at all.
                result = await _options.Llm.StreamAsync(messages, _tools, delta =>
                {
                    if (r.Finished) return;
                    Emit(new AgentTranscript { ResponseId = r.Id, ItemId = r.ItemId, Text = delta, IsFinal = false });
                    if (opening == null && !string.IsNullOrWhiteSpace(delta)) opening = _options.Tts.OpenAsync(r, r.Token);
                    phrases.Clear();
                    chunker.Push(delta, phrases);
                    foreach (var p in phrases)
                        if (!string.IsNullOrWhiteSpace(p)) sending = Queue(r, opening, sending, p);
                }, r.Token).ConfigureAwait(false);
                var rest = chunker.Flush();
                if (!string.IsNullOrWhiteSpace(rest)) sending = Queue(r, opening, sending, rest);
                if (opening != null)
                {
                    tts = await opening.ConfigureAwait(false);
                    await sending.ConfigureAwait(false);
                    using (var limit = CancellationTokenSource.CreateLinkedTokenSource(r.Token))
                    {
                        limit.CancelAfter(_options.TtsCompleteTimeout);
                        await tts.CompleteAsync(limit.Token).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception e) when (r.Token.IsCancellationRequested && (e is OperationCanceledException || e is ProviderException || e is ObjectDisposedException))
            {
                // Interrupted or disconnected: InterruptAsync already reported it.
                DisposeTts(opening);
                return;
            }
            catch (Exception e)
            {
                DisposeTts(opening);
                if (!r.TryFinish()) return;
                r.Cancel();
                var pe = e as ProviderException ?? new ProviderException(ProviderErrorKind.Server, "cascade", e.Message, e);
                // What was synthesised may already be playing: keep those phrases; the player may hear them.
                var spoken = r.DeliveredText();
                lock (_gate)
                {
                    if (spoken.Length > 0) _history.Add(ChatMessage.Assistant(spoken));
                }
                Emit(ConnectionErrors.FromException(pe, false));
                Emit(new ResponseDone { ResponseId = r.Id, Status = ResponseStatus.Failed, Reason = pe.Code });
                EndResponse(r);
                return;
            }
            tts?.Dispose();
            if (!r.TryFinish()) return;
            if (tts != null) Emit(new AgentAudioDone { ResponseId = r.Id, ItemId = r.ItemId });
            Emit(new AgentTranscript { ResponseId = r.Id, ItemId = r.ItemId, Text = result.Text, IsFinal = true });
            var message = ChatMessage.Assistant(result.Text.Length > 0 ? result.Text : null);
            message.ToolCalls.AddRange(result.ToolCalls);
            lock (_gate)
            {
                _history.Add(message);
                foreach (var c in result.ToolCalls) _pendingCalls[c.Id] = c;
            }
            Emit(r.Latency(result.FirstTokenMs));
            if (result.HasUsage) Emit(new UsageReported { Usage = result.Usage, Source = "response" });
            foreach (var c in result.ToolCalls) Emit(new ToolCallRequested { CallId = c.Id, Name = c.Name, ArgumentsJson = c.ArgumentsJson });
            Emit(new ResponseDone { ResponseId = r.Id, Status = ResponseStatus.Completed, Reason = result.ToolCalls.Count > 0 ? "tool_calls" : result.FinishReason });
            EndResponse(r);
        }

        static Task Queue(Response r, Task<ITtsStream> opening, Task previous, string phrase)
        {
            r.AddPhrase(phrase);
            return QueueAsync(r, opening, previous, phrase);
        }

        static async Task QueueAsync(Response r, Task<ITtsStream> opening, Task previous, string phrase)
        {
            await previous.ConfigureAwait(false);
            var tts = await opening.ConfigureAwait(false);
            r.MarkPhraseSent();
            await tts.SpeakAsync(phrase, r.Token).ConfigureAwait(false);
        }

        static void DisposeTts(Task<ITtsStream> opening)
        {
            if (opening == null) return;
            opening.ContinueWith(t => { if (t.Status == TaskStatus.RanToCompletion) t.Result.Abort(); }, TaskScheduler.Default);
        }

        void Emit(ProviderEvent e) => _listener?.OnEvent(e);

        public void Dispose()
        {
            Response r;
            lock (_gate) r = _active;
            if (r != null && r.TryFinish()) r.Cancel();
            _options.Asr.Dispose();
            _options.Tts.Dispose();
            _options.Llm.Dispose();
            _connected = false;
        }

        /// <summary>One reply in flight: its cancellation, its phrases and where each one's audio ends.</summary>
        sealed class Response : ITtsSink
        {
            public readonly string Id;
            public readonly string ItemId;
            public Task Task;
            readonly CancellationTokenSource _cts = new CancellationTokenSource();
            readonly List<string> _phrases = new List<string>();
            readonly List<long> _phraseEnds = new List<long>();
            readonly long _userStop;
            readonly long _finalAt;
            long _delivered;
            long _firstPhraseSent;
            long _firstAudio;
            int _finished;
            readonly IProviderListener _listener;

            public Response(string id, string itemId, long userStop, long finalAt, IProviderListener listener)
            {
                _listener = listener;
                Id = id;
                ItemId = itemId;
                _userStop = userStop;
                _finalAt = finalAt;
            }

            public CancellationToken Token => _cts.Token;
            public bool Finished => Volatile.Read(ref _finished) != 0;

            /// <summary>True for the one caller that gets to report how this reply ended.</summary>
            public bool TryFinish() => Interlocked.Exchange(ref _finished, 1) == 0;

            public void Cancel()
            {
                try { _cts.Cancel(); } catch (ObjectDisposedException) { }
            }

            public void AddPhrase(string p) { lock (_phrases) _phrases.Add(p); }

            public void MarkPhraseSent()
            {
                if (_firstPhraseSent == 0) _firstPhraseSent = Stopwatch.GetTimestamp();
            }

            public void OnAudio(ReadOnlySpan<short> pcm)
            {
                if (Finished) return;
                if (_firstAudio == 0) _firstAudio = Stopwatch.GetTimestamp();
                Interlocked.Add(ref _delivered, pcm.Length);
                _listener?.OnAudio(ItemId, pcm);
            }

            public void OnPhraseDone()
            {
                lock (_phrases) _phraseEnds.Add(Interlocked.Read(ref _delivered));
            }

            /// <summary>The words of this reply the player heard, given how much of its audio was played.</summary>
            public string HeardText(int playedMs, int sampleRate, double wordsPerSecond)
            {
                var played = (long)playedMs * sampleRate / 1000;
                var sb = new StringBuilder();
                lock (_phrases)
                {
                    long start = 0;
                    for (var i = 0; i < _phrases.Count; i++)
                    {
                        if (played <= start) break;
                        var words = _phrases[i].Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                        int keep;
                        if (i < _phraseEnds.Count)
                        {
                            var end = _phraseEnds[i];
                            keep = played >= end ? words.Length : (int)(words.Length * (double)(played - start) / Math.Max(1, end - start));
                            start = end;
                        }
                        else
                        {
                            // Audio of this phrase is still arriving: estimate from the speaking rate, never past what was delivered.
                            var heardSamples = Math.Min(played, Interlocked.Read(ref _delivered)) - start;
                            keep = Math.Min(words.Length, (int)(heardSamples / (double)sampleRate * wordsPerSecond));
                            start = long.MaxValue;
                        }
                        if (keep <= 0) break;
                        if (sb.Length > 0) sb.Append(' ');
                        sb.Append(string.Join(" ", words, 0, keep));
                        if (keep < words.Length) break;
                    }
                }
                return sb.ToString();
            }

            /// <summary>Text of the phrases whose audio was completely delivered.</summary>
            public string DeliveredText()
            {
                lock (_phrases)
                {
                    var n = Math.Min(_phrases.Count, _phraseEnds.Count);
                    return string.Join(" ", _phrases.GetRange(0, n));
                }
            }

            public LatencyReported Latency(double llmFirstTokenMs)
            {
                return new LatencyReported
                {
                    ResponseId = Id,
                    AsrFinalDelayMs = _userStop != 0 && _finalAt != 0 ? Ms(_finalAt - _userStop) : -1,
                    LlmFirstTokenMs = llmFirstTokenMs,
                    TtsFirstByteMs = _firstPhraseSent != 0 && _firstAudio != 0 ? Ms(_firstAudio - _firstPhraseSent) : -1,
                    UserStopToFirstAudioMs = _userStop != 0 && _firstAudio != 0 ? Ms(_firstAudio - _userStop) : -1,
                };
            }

            static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        }
    }
}
