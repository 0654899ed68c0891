using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Audio;
using Parley.Audio.Kernels;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.OpenAI;
using Parley.Tests.Support;
using Parley.Transport;

namespace Parley.Tests.Core.Providers.OpenAI
{
    /// <summary>Provider logic against the scripted in-memory transport (portable: also runs in Unity).</summary>
    public class OpenAIRealtimeProviderTests
    {
        static readonly TimeSpan T = TimeSpan.FromSeconds(10);

        sealed class Listener : IProviderListener
        {
            public readonly List<ProviderEvent> Events = new List<ProviderEvent>();
            public readonly Dictionary<string, List<short>> Audio = new Dictionary<string, List<short>>();
            public void OnEvent(ProviderEvent e) { lock (Events) Events.Add(e); }
            public void OnAudio(string itemId, ReadOnlySpan<short> pcm)
            {
                lock (Events)
                {
                    if (!Audio.TryGetValue(itemId, out var l)) Audio[itemId] = l = new List<short>();
                    l.AddRange(pcm.ToArray());
                }
            }
            public List<T> All<T>() where T : ProviderEvent { lock (Events) return Events.OfType<T>().ToList(); }
            public T Wait<T>(Func<T, bool> match = null) where T : ProviderEvent
            {
                var deadline = DateTime.UtcNow + T_;
                while (DateTime.UtcNow < deadline)
                {
                    var found = All<T>().FirstOrDefault(e => match == null || match(e));
                    if (found != null) return found;
                    Thread.Sleep(5);
                }
                throw new TimeoutException("No " + typeof(T).Name + "; saw " + string.Join(",", Events.Select(e => e.Kind)));
            }
            static readonly TimeSpan T_ = TimeSpan.FromSeconds(10);
        }

        ScriptedWebSocketTransport _wire;
        OpenAIRealtimeProvider _provider;
        Listener _listener;
        List<string> _log;

        [SetUp]
        public void SetUp()
        {
            _wire = new ScriptedWebSocketTransport();
            _log = new List<string>();
            _listener = new Listener();
            _provider = new OpenAIRealtimeProvider(new OpenAIRealtimeOptions
            {
                Credentials = new StaticCredential("sk-unit-test"),
                TransportFactory = () => _wire,
                Log = m => { lock (_log) _log.Add(m); },
            });
        }

        [TearDown]
        public void TearDown() => _provider.Dispose();

        void Connect(SessionConfig config = null)
        {
            _wire.EnqueueText("{\"type\":\"session.created\",\"event_id\":\"e1\",\"session\":{\"type\":\"realtime\",\"model\":\"gpt-realtime\"}}");
            _wire.EnqueueText("{\"type\":\"session.updated\",\"event_id\":\"e2\",\"session\":{\"type\":\"realtime\"}}");
            Assert.That(_provider.ConnectAsync(config ?? new SessionConfig(), _listener, CancellationToken.None).Wait(T), Is.True);
        }

        static string AudioDelta(string item, short[] pcm)
        {
            var bytes = new byte[pcm.Length * 2];
            Buffer.BlockCopy(pcm, 0, bytes, 0, bytes.Length);
            return "{\"type\":\"response.output_audio.delta\",\"event_id\":\"e\",\"response_id\":\"resp_1\",\"item_id\":\"" + item + "\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + Convert.ToBase64String(bytes) + "\"}";
        }

        static short[] Ramp(int n, int start)
        {
            var s = new short[n];
            for (var i = 0; i < n; i++) s[i] = (short)((start + i) * 7);
            return s;
        }

        [Test]
        public void Connect_SendsBearerAndGaSessionUpdate()
        {
            var config = new SessionConfig { Model = "gpt-realtime-mini", Instructions = "Be brief." };
            config.TurnDetection.Mode = TurnDetectionMode.Manual;
            Connect(config);
            Assert.That(_wire.ConnectedUri.ToString(), Is.EqualTo("wss://api.openai.com/v1/realtime?model=gpt-realtime-mini"));
            Assert.That(_wire.ConnectOptions.Headers.Single(h => h.Key == "Authorization").Value, Is.EqualTo("Bearer sk-unit-test"));
            Assert.That(_wire.ConnectOptions.Headers.Any(h => h.Key.StartsWith("OpenAI-Beta")), Is.False);
            var update = JObject.Parse(_wire.Sent[0]);
            Assert.That((string)update["type"], Is.EqualTo("session.update"));
            Assert.That((string)update["session"]["type"], Is.EqualTo("realtime"));
            Assert.That(update["session"]["audio"]["input"]["turn_detection"].Type, Is.EqualTo(JTokenType.Null));
            Assert.That((int)update["session"]["audio"]["input"]["format"]["rate"], Is.EqualTo(24000));
            Assert.That((string)update["session"]["max_output_tokens"], Is.EqualTo("inf"));
            Assert.That(_listener.Wait<SessionStarted>().Model, Is.EqualTo("gpt-realtime"));
        }

        [Test]
        public void AudioDeltas_AreDeliveredPerItem_AndTruncationUsesMinOfPlayedAndReceived()
        {
            Connect();
            _wire.EnqueueText("{\"type\":\"response.created\",\"event_id\":\"e\",\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\"}}");
            _wire.EnqueueText(AudioDelta("item_a", Ramp(2400, 0)));
            _wire.EnqueueText(AudioDelta("item_a", Ramp(2400, 2400)));
            _wire.EnqueueText(AudioDelta("item_b", Ramp(480, 0)));
            _listener.Wait<ResponseStarted>();
            var deadline = DateTime.UtcNow + T;
            while (_provider.ReceivedMs("item_b") < 20 && DateTime.UtcNow < deadline) Thread.Sleep(5);
            Assert.That(_listener.Audio["item_a"], Is.EqualTo(Ramp(2400, 0).Concat(Ramp(2400, 2400)).ToArray()));
            Assert.That(_provider.ReceivedMs("item_a"), Is.EqualTo(200));
            Assert.That(_provider.ReceivedMs("item_b"), Is.EqualTo(20));

            Assert.That(_provider.InterruptAsync(new InterruptRequest("item_a", 5000), CancellationToken.None).Wait(T), Is.True);
            var cancel = JObject.Parse(_wire.WaitForSentAsync("response.cancel", T).Result);
            Assert.That((string)cancel["response_id"], Is.EqualTo("resp_1"));
            var truncate = JObject.Parse(_wire.WaitForSentAsync("conversation.item.truncate", T).Result);
            Assert.That((int)truncate["audio_end_ms"], Is.EqualTo(200), "clamped to what was received");
            Assert.That((int)truncate["content_index"], Is.EqualTo(0));

            Assert.That(_provider.InterruptAsync(new InterruptRequest("item_b", 7), CancellationToken.None).Wait(T), Is.True);
            var second = JObject.Parse(_wire.WaitForSentAsync("conversation.item.truncate", T, 1).Result);
            Assert.That((int)second["audio_end_ms"], Is.EqualTo(7), "what was played");
            // Truncate errors are reported but never fatal.
            _wire.EnqueueText("{\"type\":\"error\",\"event_id\":\"e9\",\"error\":{\"type\":\"invalid_request_error\",\"code\":\"invalid_value\",\"message\":\"too long\",\"param\":null,\"event_id\":\"" + (string)second["event_id"] + "\"}}");
            var error = _listener.Wait<ProviderError>();
            Assert.That(error.IsFatal, Is.False);
            Assert.That(error.Code, Is.EqualTo("invalid_value"));
        }

        [Test]
        public void ToolResult_WhileResponseActive_QueuesResponseCreateUntilDone()
        {
            Connect();
            _wire.EnqueueText("{\"type\":\"response.created\",\"event_id\":\"e\",\"response\":{\"id\":\"resp_1\"}}");
            _wire.EnqueueText("{\"type\":\"response.function_call_arguments.done\",\"event_id\":\"e\",\"response_id\":\"resp_1\",\"item_id\":\"fc_1\",\"output_index\":0,\"call_id\":\"call_1\",\"name\":\"open_door\",\"arguments\":\"{\\\"door\\\":\\\"north\\\"}\"}");
            var call = _listener.Wait<ToolCallRequested>();
            Assert.That(call.Name, Is.EqualTo("open_door"));
            Assert.That(call.ArgumentsJson, Is.EqualTo("{\"door\":\"north\"}"));
            Assert.That(_provider.SendToolResultAsync(call.CallId, call.Name, "{\"ok\":true}", CancellationToken.None).Wait(T), Is.True);
            var output = JObject.Parse(_wire.WaitForSentAsync("function_call_output", T).Result);
            Assert.That((string)output["item"]["call_id"], Is.EqualTo("call_1"));
            Assert.That((string)output["item"]["output"], Is.EqualTo("{\"ok\":true}"));
            Assert.That(_wire.Sent.Any(s => s.Contains("response.create")), Is.False, "queued while the response is active");
            _wire.EnqueueText("{\"type\":\"response.done\",\"event_id\":\"e\",\"response\":{\"id\":\"resp_1\",\"status\":\"completed\",\"usage\":{\"total_tokens\":30,\"input_tokens\":20,\"output_tokens\":10,\"input_token_details\":{\"text_tokens\":12,\"audio_tokens\":8,\"cached_tokens\":4,\"cached_tokens_details\":{\"text_tokens\":4,\"audio_tokens\":0}},\"output_token_details\":{\"text_tokens\":10,\"audio_tokens\":0}}}}");
            _wire.WaitForSentAsync("response.create", T).Wait(T);
            var done = _listener.Wait<ResponseDone>();
            Assert.That(done.Usage.InputAudioTokens, Is.EqualTo(8));
            Assert.That(done.Usage.CachedInputTokens, Is.EqualTo(4));
            var usage = _listener.Wait<UsageReported>();
            // 8 text x $4 + 4 cached text x $0.4 + 8 audio x $32 + 10 text out x $16, per million.
            Assert.That(usage.EstimatedCostUsd, Is.EqualTo((8 * 4 + 4 * 0.4 + 8 * 32 + 10 * 16) / 1e6).Within(1e-12));
            Assert.That(_provider.ResponseActive, Is.True, "the queued response.create counts as active");
        }

        /// <summary>
        /// The flaw the gemini-events fuzz target found in the Gemini provider, here too: a function call without a
        /// string call_id (or name) was raised with a null id, which SendToolResultAsync refuses, so it could never be
        /// answered. It is now a non-fatal bad_tool_call error, and the next call still arrives.
        /// </summary>
        [TestCase("\"name\":\"open_door\"")]
        [TestCase("\"call_id\":[1],\"name\":\"open_door\"")]
        [TestCase("\"call_id\":\"call_1\",\"name\":9223372036854775808")]
        public void AFunctionCallWithoutAStringCallIdOrName_IsABadToolCallError_AndTheNextCallStillCounts(string fields)
        {
            Connect();
            _wire.EnqueueText("{\"type\":\"response.function_call_arguments.done\",\"event_id\":\"e\",\"response_id\":\"resp_1\",\"item_id\":\"fc_1\",\"output_index\":0," + fields + ",\"arguments\":\"{}\"}");
            _wire.EnqueueText("{\"type\":\"response.function_call_arguments.done\",\"event_id\":\"e\",\"response_id\":\"resp_1\",\"item_id\":\"fc_2\",\"output_index\":1,\"call_id\":\"call_2\",\"name\":\"ring_bell\",\"arguments\":\"{}\"}");
            var call = _listener.Wait<ToolCallRequested>();
            Assert.That(call.CallId, Is.EqualTo("call_2"));
            Assert.That(_listener.All<ToolCallRequested>(), Has.Count.EqualTo(1));
            var error = _listener.All<ProviderError>().Single();
            Assert.That(error.Code, Is.EqualTo("bad_tool_call"));
            Assert.That(error.ErrorKind, Is.EqualTo(ProviderErrorKind.Protocol));
            Assert.That(error.IsFatal, Is.False);
            Assert.That(_provider.SendToolResultAsync(call.CallId, call.Name, "{}", CancellationToken.None).Wait(T), Is.True);
        }

        // Found by fuzzing (Tools~/Parley.Fuzz, target openai-events): fields of the wrong type threw Json.NET's
        // FormatException / InvalidCastException / InvalidOperationException inside the handler (reported as
        // "handler_failed"). A wrong field now reads as absent; the event itself still arrives.
        [Test]
        public void FieldsOfTheWrongType_ReadAsAbsent_NotAsAnInternalException()
        {
            Connect();
            _wire.EnqueueText("{\"type\":\"rate_limits.updated\",\"rate_limits\":[{\"name\":\"tokens\",\"limit\":50000,\"remaining\":[[]],\"reset_seconds\":\"AAAA\"},{\"name\":\"requests\",\"reset_seconds\":9223372036854775808}]}");
            _wire.EnqueueText("{\"type\":\"conversation.item.input_audio_transcription.completed\",\"item_id\":\"i\",\"transcript\":\"hi\",\"usage\":{\"type\":\"duration\",\"seconds\":[{}]}}");
            _wire.EnqueueText("{\"type\":\"session.updated\",\"session\":{\"audio\":{\"input\":\"AAA=\",\"output\":[[]]}}}");
            _wire.EnqueueText("{\"type\":\"input_audio_buffer.speech_started\",\"audio_start_ms\":1e30,\"item_id\":\"msg_003\"}");
            var started = _listener.Wait<UserSpeechStarted>();
            Assert.That(started.AudioStartMs, Is.EqualTo(-1), "an out-of-range number reads as absent");
            var limits = _listener.All<RateLimitsUpdated>();
            Assert.That(limits.Select(l => l.Name), Is.EqualTo(new[] { "tokens", "requests" }));
            Assert.That(limits.Select(l => l.ResetSeconds), Is.EqualTo(new[] { 0.0, 0.0 }), "a string and a number past 2^63 read as absent");
            Assert.That(limits[0].Limit, Is.EqualTo(50000));
            Assert.That(limits[0].Remaining, Is.EqualTo(0));
            Assert.That(_listener.All<UsageReported>().Single().Usage.TranscriptionSeconds, Is.EqualTo(0));
            Assert.That(_listener.All<ProviderError>(), Is.Empty);
        }

        [Test]
        public void UnknownEvents_AreLoggedOnce_MalformedJsonIsAProtocolError_AndNeitherIsFatal()
        {
            Connect();
            _wire.EnqueueText("{\"type\":\"response.future_thing\",\"event_id\":\"e\"}");
            _wire.EnqueueText("{\"type\":\"response.future_thing\",\"event_id\":\"e\"}");
            _wire.EnqueueText("{\"type\":\"response.output_audio.delta\",\"delta\":");
            _wire.EnqueueText("{\"type\":\"input_audio_buffer.speech_started\",\"event_id\":\"e\",\"audio_start_ms\":1000,\"item_id\":\"msg_003\"}");
            var started = _listener.Wait<UserSpeechStarted>();
            Assert.That(started.AudioStartMs, Is.EqualTo(1000));
            Assert.That(_log.Count(l => l.Contains("response.future_thing")), Is.EqualTo(1));
            var error = _listener.All<ProviderError>().Single();
            Assert.That(error.ErrorKind, Is.EqualTo(ProviderErrorKind.Protocol));
            Assert.That(error.IsFatal, Is.False);
            Assert.That(_listener.All<Disconnected>(), Is.Empty);
        }

        [TestCase(4000, "invalid_request_error.beta_api_shape_disabled", ProviderErrorKind.InvalidRequest, "beta_api_shape_disabled")]
        [TestCase(1011, "Internal error", ProviderErrorKind.Server, "1011")]
        [TestCase(1007, "Request contains an invalid argument.", ProviderErrorKind.InvalidRequest, "1007")]
        public void ServerClose_IsATypedFatalError(int status, string reason, ProviderErrorKind kind, string code)
        {
            Connect();
            _wire.EnqueueClose(status, reason);
            var gone = _listener.Wait<Disconnected>();
            Assert.That(gone.CloseStatus, Is.EqualTo(status));
            Assert.That(gone.ByClient, Is.False);
            Assert.That(gone.Error.ErrorKind, Is.EqualTo(kind));
            Assert.That(gone.Error.Code, Is.EqualTo(code));
            Assert.That(gone.Error.IsFatal, Is.True);
            Assert.That(_listener.All<ProviderError>().Single(), Is.SameAs(gone.Error), "the typed error, then one Disconnected carrying it");
            Assert.That(_listener.All<Disconnected>().Count, Is.EqualTo(1));
        }

        [Test]
        public void Rejected401_IsAuthentication()
        {
            _wire.ConnectFailure = new TransportException(TransportErrorKind.Rejected, "refused with HTTP 401", null, 401);
            var e = Assert.Throws<AggregateException>(() => _provider.ConnectAsync(new SessionConfig(), _listener, CancellationToken.None).Wait(T));
            var pe = (ProviderException)e.InnerException;
            Assert.That(pe.Kind, Is.EqualTo(ProviderErrorKind.Authentication));
        }

        OpenAIRealtimeProvider G711Provider(OpenAIAudioEncoding encoding)
        {
            _provider.Dispose();
            return _provider = new OpenAIRealtimeProvider(new OpenAIRealtimeOptions
            {
                Credentials = new StaticCredential("sk-unit-test"),
                TransportFactory = () => _wire,
                InputEncoding = encoding,
                OutputEncoding = encoding,
            });
        }

        /// <summary>20 ms of real speech at 8 kHz: the loudest frame of npc-greeting, resampled by the core resampler.</summary>
        static short[] SpeechFrame8k()
        {
            var clip = TestWav.Speech("npc-greeting", 16000);
            var resampler = new Resampler(16000, 8000);
            var out8k = new float[resampler.MaxOutputFor(clip.Samples.Length)];
            var n = resampler.Process(clip.Samples, out8k);
            var best = 0;
            var bestLevel = double.NegativeInfinity;
            for (var start = 0; start + 160 <= n; start += 160)
            {
                var level = Signals.RmsDbfs(new ReadOnlySpan<float>(out8k, start, 160));
                if (level > bestLevel) { bestLevel = level; best = start; }
            }
            Assert.That(bestLevel, Is.GreaterThan(-30), "a speech frame, not silence");
            var pcm = new short[160];
            PcmConvert.FloatToPcm16(new ReadOnlySpan<float>(out8k, best, 160), pcm);
            return pcm;
        }

        [TestCase(OpenAIAudioEncoding.Pcmu, "audio/pcmu")]
        [TestCase(OpenAIAudioEncoding.Pcma, "audio/pcma")]
        public void G711_SessionUpdateNamesTheFormat_CapabilitiesAre8kHz_AndAnInputFrameIsTheKernelsCodes(OpenAIAudioEncoding encoding, string type)
        {
            var p = G711Provider(encoding);
            Assert.That(p.Capabilities.InputSampleRate, Is.EqualTo(8000));
            Assert.That(p.Capabilities.OutputSampleRate, Is.EqualTo(8000));
            Connect();
            var update = JObject.Parse(_wire.Sent[0]);
            // GA shape: {"type":"audio/pcmu"} with no rate (the schema forbids additional properties).
            var input = (JObject)update["session"]["audio"]["input"]["format"];
            var output = (JObject)update["session"]["audio"]["output"]["format"];
            Assert.That(input.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("{\"type\":\"" + type + "\"}"));
            Assert.That(output.ToString(Newtonsoft.Json.Formatting.None), Is.EqualTo("{\"type\":\"" + type + "\"}"));

            var frame = SpeechFrame8k();
            Assert.That(p.SendAudioAsync(frame, CancellationToken.None).AsTask().Wait(T), Is.True);
            var append = JObject.Parse(_wire.WaitForSentAsync("input_audio_buffer.append", T).Result);
            var sent = Convert.FromBase64String((string)append["audio"]);
            var expected = new byte[frame.Length];
            for (var i = 0; i < frame.Length; i++)
                expected[i] = encoding == OpenAIAudioEncoding.Pcmu ? G711Kernel.MuLawEncode(frame[i]) : G711Kernel.ALawEncode(frame[i]);
            Assert.That(sent, Is.EqualTo(expected), "one byte a sample, the kernel's code for each");
        }

        [TestCase(OpenAIAudioEncoding.Pcmu)]
        [TestCase(OpenAIAudioEncoding.Pcma)]
        public void G711_OutputDeltas_DecodeEveryCode_AndTruncationCountsEightSamplesPerMs(OpenAIAudioEncoding encoding)
        {
            var p = G711Provider(encoding);
            Connect();
            // All 256 codes, then 100 ms more: 2 656 samples = 332 ms at 8 kHz.
            var codes = new byte[256 + 800];
            for (var i = 0; i < codes.Length; i++) codes[i] = (byte)(i * 7);
            Assert.That(Convert.ToBase64String(codes, 256, 800), Does.Contain("/"));
            _wire.EnqueueText("{\"type\":\"response.created\",\"event_id\":\"e\",\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\"}}");
            _wire.EnqueueText("{\"type\":\"response.output_audio.delta\",\"event_id\":\"e\",\"response_id\":\"resp_1\",\"item_id\":\"item_g\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + Convert.ToBase64String(codes, 0, 256) + "\"}");
            // An escaped slash sends this one through the fallback parser: same decoding there.
            _wire.EnqueueText("{\"type\":\"response.output_audio.delta\",\"event_id\":\"e\",\"response_id\":\"resp_1\",\"item_id\":\"item_g\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + Convert.ToBase64String(codes, 256, 800).Replace("/", "\\/") + "\"}");
            var deadline = DateTime.UtcNow + T;
            while (p.ReceivedMs("item_g") < 132 && DateTime.UtcNow < deadline) Thread.Sleep(5);
            Assert.That(p.ReceivedMs("item_g"), Is.EqualTo(1056 / 8));
            var expected = codes.Select(c => encoding == OpenAIAudioEncoding.Pcmu ? G711Kernel.MuLawDecode(c) : G711Kernel.ALawDecode(c)).ToArray();
            Assert.That(_listener.Audio["item_g"], Is.EqualTo(expected));

            // Played beyond what arrived: clamped to 1056 samples / 8 = 132 ms (a 24 kHz count would say 44).
            Assert.That(p.InterruptAsync(new InterruptRequest("item_g", 5000), CancellationToken.None).Wait(T), Is.True);
            var truncate = JObject.Parse(_wire.WaitForSentAsync("conversation.item.truncate", T).Result);
            Assert.That((int)truncate["audio_end_ms"], Is.EqualTo(132));
        }

        [Test]
        public void SessionUpdated_WithAnotherAudioFormat_IsReportedButNotFatal()
        {
            G711Provider(OpenAIAudioEncoding.Pcmu);
            _wire.EnqueueText("{\"type\":\"session.created\",\"event_id\":\"e1\",\"session\":{\"type\":\"realtime\"}}");
            _wire.EnqueueText("{\"type\":\"session.updated\",\"event_id\":\"e2\",\"session\":{\"type\":\"realtime\",\"audio\":{\"input\":{\"format\":{\"type\":\"audio/pcmu\"}},\"output\":{\"format\":{\"type\":\"audio/pcm\",\"rate\":24000}}}}}");
            Assert.That(_provider.ConnectAsync(new SessionConfig(), _listener, CancellationToken.None).Wait(T), Is.True);
            var error = _listener.All<ProviderError>().Single();
            Assert.That(error.Code, Is.EqualTo("audio_format_mismatch"));
            Assert.That(error.Message, Does.Contain("output").And.Contain("audio/pcmu"));
            Assert.That(error.IsFatal, Is.False);
        }

        [Test]
        public void Capabilities_Pcm24k_AndTheSixtyMinuteCap()
        {
            Assert.That(_provider.Capabilities.InputSampleRate, Is.EqualTo(24000));
            Assert.That(_provider.Capabilities.OutputSampleRate, Is.EqualTo(24000));
            Assert.That(_provider.Capabilities.MaxSessionDuration, Is.EqualTo(TimeSpan.FromMinutes(60)));
            var mixed = new OpenAIRealtimeProvider(new OpenAIRealtimeOptions { InputEncoding = OpenAIAudioEncoding.Pcm24k, OutputEncoding = OpenAIAudioEncoding.Pcma });
            Assert.That(mixed.Capabilities.InputSampleRate, Is.EqualTo(24000));
            Assert.That(mixed.Capabilities.OutputSampleRate, Is.EqualTo(8000));
            mixed.Dispose();
            Assert.Throws<ArgumentOutOfRangeException>(() => new OpenAIRealtimeProvider(new OpenAIRealtimeOptions { InputEncoding = (OpenAIAudioEncoding)9 }));
        }

        internal static SessionConfig WithHistory()
        {
            var config = new SessionConfig();
            config.History.Add(new HistoryItem(HistoryRole.System, "The player is a knight."));
            config.History.Add(new HistoryItem(HistoryRole.User, "Open the north door."));
            config.History.Add(new HistoryItem(HistoryRole.ToolCall, "{\"door\":\"north\"}") { CallId = "call_7", ToolName = "open_door" });
            config.History.Add(new HistoryItem(HistoryRole.ToolResult, "{\"ok\":true}") { CallId = "call_7", ToolName = "open_door" });
            config.History.Add(new HistoryItem(HistoryRole.Agent, "The door creaks"));
            config.History.Add(new HistoryItem(HistoryRole.Agent, ""));
            return config;
        }

        [Test]
        public void Connect_ReplaysHistoryAsItems_WithoutAskingForAResponse()
        {
            Connect(WithHistory());
            var sent = _wire.Sent.Skip(1).Select(JObject.Parse).ToList();
            Assert.That(sent.Select(e => (string)e["type"]), Is.All.EqualTo("conversation.item.create"));
            var items = sent.Select(e => (JObject)e["item"]).ToList();
            Assert.That(items.Count, Is.EqualTo(5), "the empty agent turn is skipped");
            Assert.That((string)items[0]["role"], Is.EqualTo("system"));
            Assert.That((string)items[0]["content"][0]["type"], Is.EqualTo("input_text"));
            Assert.That((string)items[1]["role"], Is.EqualTo("user"));
            Assert.That((string)items[1]["content"][0]["text"], Is.EqualTo("Open the north door."));
            Assert.That((string)items[2]["type"], Is.EqualTo("function_call"));
            Assert.That((string)items[2]["call_id"], Is.EqualTo("call_7"));
            Assert.That((string)items[2]["name"], Is.EqualTo("open_door"));
            Assert.That((string)items[2]["arguments"], Is.EqualTo("{\"door\":\"north\"}"));
            Assert.That((string)items[3]["type"], Is.EqualTo("function_call_output"));
            Assert.That((string)items[3]["call_id"], Is.EqualTo("call_7"));
            Assert.That((string)items[4]["role"], Is.EqualTo("assistant"));
            Assert.That((string)items[4]["content"][0]["type"], Is.EqualTo("output_text"));
            Assert.That((string)items[4]["content"][0]["text"], Is.EqualTo("The door creaks"));
            Assert.That(_wire.Sent.Any(e => e.Contains("response.create")), Is.False);
        }

        [Test]
        public void DroppedSocket_RaisesTransportErrorAndDisconnected()
        {
            Connect();
            _wire.EnqueueText("{\"type\":\"response.created\",\"event_id\":\"e\",\"response\":{\"id\":\"resp_1\"}}");
            _wire.EnqueueDrop();
            var gone = _listener.Wait<Disconnected>();
            Assert.That(gone.ByClient, Is.False);
            Assert.That(gone.Error.ErrorKind, Is.EqualTo(ProviderErrorKind.Transport));
            Assert.That(gone.Error.Code, Is.EqualTo("connection_lost"));
            Assert.That(gone.Recoverable, Is.True);
            Assert.That(_provider.ResponseActive, Is.False);
        }

        [Test]
        public void PriceTable_PrefersTheLongestPrefix()
        {
            var table = PriceTable.OpenAIExamples();
            Assert.That(table.TryGet("gpt-realtime-mini-2025-10-06", out var mini), Is.True);
            Assert.That(mini.OutputAudio, Is.EqualTo(20));
            Assert.That(table.TryGet("gpt-realtime-2025-08-28", out var full), Is.True);
            Assert.That(full.OutputAudio, Is.EqualTo(64));
            Assert.That(table.Cost("some-other-model", new TokenUsage { OutputAudioTokens = 5 }), Is.Null);
            var audio = new TokenUsage { InputAudioTokens = 1000000, CachedInputTokens = 500000, CachedInputAudioTokens = 500000 };
            Assert.That(table.Cost("gpt-realtime", audio), Is.EqualTo(0.5 * 32 + 0.5 * 0.4).Within(1e-9));
        }
    }
}
