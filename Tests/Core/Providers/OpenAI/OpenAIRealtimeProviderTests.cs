using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.OpenAI;
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
            var error = _listener.All<ProviderError>().Single();
            Assert.That(error.ErrorKind, Is.EqualTo(kind));
            Assert.That(error.Code, Is.EqualTo(code));
            Assert.That(error.IsFatal, Is.True);
        }

        [Test]
        public void Rejected401_IsAuthentication()
        {
            _wire.ConnectFailure = new TransportException(TransportErrorKind.Rejected, "refused with HTTP 401", null, 401);
            var e = Assert.Throws<AggregateException>(() => _provider.ConnectAsync(new SessionConfig(), _listener, CancellationToken.None).Wait(T));
            var pe = (ProviderException)e.InnerException;
            Assert.That(pe.Kind, Is.EqualTo(ProviderErrorKind.Authentication));
        }

        [Test]
        public void G711_IsRefusedClearly_UntilACodecIsAvailable()
        {
            var p = new OpenAIRealtimeProvider(new OpenAIRealtimeOptions { Credentials = new StaticCredential("k"), InputEncoding = OpenAIAudioEncoding.Pcmu, TransportFactory = () => _wire });
            var e = Assert.Throws<AggregateException>(() => p.ConnectAsync(new SessionConfig(), _listener, CancellationToken.None).Wait(T));
            Assert.That(((ProviderException)e.InnerException).Kind, Is.EqualTo(ProviderErrorKind.Unsupported));
        }

        [Test]
        public void DroppedSocket_RaisesTransportErrorAndDisconnected()
        {
            Connect();
            _wire.EnqueueText("{\"type\":\"response.created\",\"event_id\":\"e\",\"response\":{\"id\":\"resp_1\"}}");
            _wire.EnqueueDrop();
            var gone = _listener.Wait<Disconnected>();
            Assert.That(gone.ByClient, Is.False);
            Assert.That(_listener.All<ProviderError>().Single().ErrorKind, Is.EqualTo(ProviderErrorKind.Transport));
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
