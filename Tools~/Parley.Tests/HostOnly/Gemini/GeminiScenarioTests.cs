using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.Gemini;
using Parley.Servers.Gemini;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Gemini
{
    /// <summary>The Gemini provider against the loopback Gemini server's scenario modes (real WebSockets on 127.0.0.1).</summary>
    public class GeminiScenarioTests
    {
        static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
        GeminiLiveServer _server;

        [SetUp]
        public void StartServer() => _server = GeminiLiveServer.StartAsync().GetAwaiter().GetResult();

        [TearDown]
        public void StopServer() => _server.DisposeAsync().AsTask().Wait(Wait);

        GeminiLiveProvider Provider(Action<GeminiLiveOptions> configure = null, string secret = null)
        {
            var options = new GeminiLiveOptions { Host = _server.Host };
            configure?.Invoke(options);
            return new GeminiLiveProvider(new StaticCredential(secret ?? _server.ExpectedKey), options);
        }

        static void Connect(GeminiLiveProvider p, GeminiTestListener l, SessionConfig config = null) =>
            Assert.That(p.ConnectAsync(config ?? new SessionConfig(), l, CancellationToken.None).Wait(Wait), Is.True, "connected in time");

        static short[] ToPcm16(float[] x)
        {
            var pcm = new short[x.Length];
            for (var i = 0; i < x.Length; i++) pcm[i] = (short)Math.Round(Math.Max(-1f, Math.Min(1f, x[i])) * 32767f);
            return pcm;
        }

        /// <summary>Zero crossings per second / 2 — the frequency of a clean sine.</summary>
        static double EstimateHz(short[] x, int rate)
        {
            var crossings = 0;
            for (var i = 1; i < x.Length; i++) if ((x[i - 1] < 0) != (x[i] < 0)) crossings++;
            return crossings / 2.0 / ((double)x.Length / rate);
        }

        [TestCase(true)]
        [TestCase(false)]
        public void Setup_comes_first_alone_then_speech_goes_in_at_16k_and_reply_comes_out_at_24k(bool binaryFrames)
        {
            _server.BinaryFrames = binaryFrames;
            var heard = new AudioSink();
            _server.Script = GeminiScenarios.AudioTurn(TimeSpan.FromMilliseconds(400), heard, 24000, 440);
            var speech = ToPcm16(TestWav.Speech("npc-greeting", 16000).Samples);
            var listener = new GeminiTestListener();
            using (var p = Provider())
            {
                var config = new SessionConfig { Voice = "Kore", Model = "gemini-3.1-flash-live-preview" };
                config.TurnDetection.Mode = TurnDetectionMode.Manual;
                var connect = p.ConnectAsync(config, listener, CancellationToken.None);
                Assert.That(connect.Wait(Wait), Is.True);
                Assert.That(p.Capabilities.InputSampleRate, Is.EqualTo(16000));
                Assert.That(p.Capabilities.OutputSampleRate, Is.EqualTo(24000));

                p.StartUserTurnAsync(CancellationToken.None).Wait(Wait);
                for (var i = 0; i < speech.Length; i += 320) // 20 ms chunks, as the capture tick sends them
                    p.SendAudioAsync(new ReadOnlyMemory<short>(speech, i, Math.Min(320, speech.Length - i)), CancellationToken.None).AsTask().Wait(Wait);
                p.EndUserTurnAsync(CancellationToken.None).Wait(Wait);

                Assert.That(listener.WaitUntil(l => l.All<ResponseDone>().Count == 1, Wait), Is.True, listener.Describe());
                var setup = JObject.Parse(_server.Accepted.Single().Received[0]);
                Assert.That((string)setup.SelectToken("setup.generationConfig.speechConfig.voiceConfig.prebuiltVoiceConfig.voiceName"), Is.EqualTo("Kore"));
                Assert.That((string)setup.SelectToken("setup.model"), Is.EqualTo("models/gemini-3.1-flash-live-preview"));
                Assert.That((bool)setup.SelectToken("setup.realtimeInputConfig.automaticActivityDetection.disabled"), Is.True);
                Assert.That(_server.Accepted.Single().Received.Count(f => f.Contains("\"activityStart\"")), Is.EqualTo(1));

                // In: every sample arrived unchanged, labelled 16 kHz (the script checks the label).
                Assert.That(heard.ToArray(), Is.EqualTo(speech));
                // Out: 1 s at 24 kHz, and a 440 Hz tone measures 440 Hz only when read at 24 kHz.
                var item = listener.All<ResponseStarted>().Single().ResponseId;
                var reply = listener.Audio(item);
                Assert.That(reply.Length, Is.EqualTo(24000));
                Assert.That(EstimateHz(reply, 24000), Is.EqualTo(440).Within(2));
                Assert.That(listener.All<UserTranscript>().Last().Text, Is.EqualTo("hello there"));
                Assert.That(listener.All<UserTranscript>().Last().IsFinal, Is.True);
                Assert.That(listener.All<AgentTranscript>().Last().IsFinal, Is.True);
                Assert.That(listener.All<AgentAudioDone>().Count, Is.EqualTo(1));
                Assert.That(listener.All<ResponseDone>().Single().Status, Is.EqualTo(ResponseStatus.Completed));
                p.DisconnectAsync(CancellationToken.None).Wait(Wait);
            }
            Assert.That(_server.Problems, Is.Empty);
        }

        [Test]
        public void Server_vad_setup_carries_the_tunables_and_mic_release_sends_audioStreamEnd()
        {
            var heard = new AudioSink();
            _server.Script = GeminiScenarios.AudioTurn(TimeSpan.Zero, heard, 2400, 440);
            var listener = new GeminiTestListener();
            using (var p = Provider(o => { o.CompressionTriggerTokens = 25600; o.CompressionTargetTokens = 12800; }))
            {
                var config = new SessionConfig();
                config.TurnDetection.StartSensitivity = "low";
                config.TurnDetection.EndSensitivity = "high";
                config.TurnDetection.PrefixPaddingMs = 20;
                config.TurnDetection.SilenceDurationMs = 100;
                Connect(p, listener, config);
                p.SendAudioAsync(new short[1600], CancellationToken.None).AsTask().Wait(Wait);
                p.EndUserTurnAsync(CancellationToken.None).Wait(Wait);
                Assert.That(listener.WaitUntil(l => l.All<ResponseDone>().Count == 1, Wait), Is.True, listener.Describe());
                var s = JObject.Parse(_server.Accepted.Single().Received[0])["setup"];
                var aad = s.SelectToken("realtimeInputConfig.automaticActivityDetection");
                Assert.That((bool)aad["disabled"], Is.False);
                Assert.That((string)aad["startOfSpeechSensitivity"], Is.EqualTo("START_SENSITIVITY_LOW"));
                Assert.That((string)aad["endOfSpeechSensitivity"], Is.EqualTo("END_SENSITIVITY_HIGH"));
                Assert.That((int)aad["prefixPaddingMs"], Is.EqualTo(20));
                Assert.That((int)aad["silenceDurationMs"], Is.EqualTo(100));
                Assert.That((string)s.SelectToken("contextWindowCompression.triggerTokens"), Is.EqualTo("25600"));
                Assert.That((string)s.SelectToken("contextWindowCompression.slidingWindow.targetTokens"), Is.EqualTo("12800"));
                Assert.That(s["sessionResumption"], Is.Not.Null);
                Assert.That(_server.Accepted.Single().Received.Last(), Does.Contain("\"audioStreamEnd\":true"));
                Assert.That(heard.Count, Is.EqualTo(1600));
            }
            Assert.That(_server.Problems, Is.Empty);
        }

        [Test]
        public void Server_interruption_mid_reply_flushes_and_the_next_turn_gets_a_new_item()
        {
            _server.Script = GeminiScenarios.InterruptMidReply(chunks: 5, samplesPerChunk: 2400);
            var listener = new GeminiTestListener();
            using (var p = Provider())
            {
                Connect(p, listener);
                p.SendAudioAsync(new short[320], CancellationToken.None).AsTask().Wait(Wait);
                Assert.That(listener.WaitUntil(l => l.All<ResponseDone>().Count == 2, Wait), Is.True, listener.Describe());

                var events = listener.Events;
                var interrupted = events.FindIndex(e => e is ServerInterrupted);
                var firstDone = events.FindIndex(e => e is ResponseDone);
                Assert.That(interrupted, Is.GreaterThan(0));
                Assert.That(interrupted, Is.LessThan(firstDone), "interrupted is raised before the turn ends");
                var done = listener.All<ResponseDone>();
                Assert.That(done[0].Status, Is.EqualTo(ResponseStatus.Interrupted));
                Assert.That(done[1].Status, Is.EqualTo(ResponseStatus.Completed));
                Assert.That(done[0].ResponseId, Is.Not.EqualTo(done[1].ResponseId));
                Assert.That(listener.Audio(done[0].ResponseId).Length, Is.EqualTo(5 * 2400));
                Assert.That(listener.Audio(done[1].ResponseId).Length, Is.EqualTo(2400));
                Assert.That(listener.All<AgentAudioDone>().Single().ResponseId, Is.EqualTo(done[1].ResponseId), "no generationComplete for the interrupted turn");
                Assert.That(listener.All<AgentTranscript>().First(t => t.IsFinal).Text, Is.EqualTo("Once upon a"));
                Assert.That(listener.All<UserTranscript>().First(t => t.IsFinal).Text, Is.EqualTo("tell me a story"));

                var usage = listener.All<UsageReported>().Single().Usage;
                Assert.That(usage.InputAudioTokens, Is.EqualTo(100));
                Assert.That(usage.InputTextTokens, Is.EqualTo(20));
                Assert.That(usage.OutputAudioTokens, Is.EqualTo(40));
                Assert.That(usage.OutputTextTokens, Is.EqualTo(0));
                Assert.That(usage.TotalTokens, Is.EqualTo(160));
                Assert.That(done[1].Usage.TotalTokens, Is.EqualTo(160));
            }
        }

        [TestCase("gemini-live-test", true)]
        [TestCase("another-model", false)]
        public void Usage_is_priced_by_the_session_model_when_the_table_has_it(string model, bool priced)
        {
            _server.Script = GeminiScenarios.InterruptMidReply(chunks: 2, samplesPerChunk: 2400);
            var listener = new GeminiTestListener();
            var prices = new ModelPrices { InputText = 1, InputAudio = 3, OutputText = 2, OutputAudio = 12 };
            using (var p = Provider(o => o.Prices = new PriceTable().Set("gemini-live", prices)))
            {
                Connect(p, listener, new SessionConfig { Model = model });
                p.SendAudioAsync(new short[320], CancellationToken.None).AsTask().Wait(Wait);
                Assert.That(listener.WaitUntil(l => l.All<UsageReported>().Count == 1, Wait), Is.True, listener.Describe());
                var u = listener.All<UsageReported>().Single();
                Assert.That(u.Model, Is.EqualTo(model));
                if (priced)
                    // 20 text + 100 audio tokens in, 40 audio tokens out (the scenario's usageMetadata).
                    Assert.That(u.EstimatedCostUsd, Is.EqualTo((20 * 1 + 100 * 3 + 40 * 12) / 1e6).Within(1e-12));
                else
                    Assert.That(u.EstimatedCostUsd, Is.Null, "no price for this model: no estimate rather than $0");
            }
        }

        [Test]
        public void Tool_calls_are_raised_cancellations_reported_and_results_sent_with_id_and_name()
        {
            _server.Script = GeminiScenarios.ToolCallWithCancellation();
            var listener = new GeminiTestListener();
            using (var p = Provider())
            {
                var config = new SessionConfig();
                config.Tools.Add(new ToolDeclaration("open_door", "Opens a door", "{\"type\":\"object\",\"properties\":{\"door\":{\"type\":\"string\",\"enum\":[\"north\",\"south\"]}},\"required\":[\"door\"]}"));
                config.Tools.Add(new ToolDeclaration("ring_bell", "Rings the bell", null));
                Connect(p, listener, config);
                p.SendTextAsync("open the north door", CancellationToken.None).Wait(Wait);
                Assert.That(listener.WaitUntil(l => l.All<ToolCallsCancelled>().Count == 1, Wait), Is.True, listener.Describe());
                var calls = listener.All<ToolCallRequested>();
                Assert.That(calls.Select(c => c.CallId), Is.EqualTo(new[] { "function-call-1", "function-call-2" }));
                Assert.That((string)JObject.Parse(calls[0].ArgumentsJson)["door"], Is.EqualTo("north"));
                Assert.That(listener.All<ToolCallsCancelled>().Single().CallIds, Is.EqualTo(new[] { "function-call-2" }));

                p.SendToolResultAsync("function-call-1", "open_door", "{\"opened\":true}", CancellationToken.None).Wait(Wait);
                Assert.That(listener.WaitUntil(l => l.All<ResponseDone>().Count == 1, Wait), Is.True, listener.Describe());
                Assert.That(listener.AudioSamples, Is.EqualTo(2400));

                var frames = _server.Accepted.Single().Received;
                var decl = JObject.Parse(frames[0]).SelectToken("setup.tools[0].functionDeclarations[0].parameters");
                Assert.That((string)decl["type"], Is.EqualTo("OBJECT"));
                Assert.That((string)decl.SelectToken("properties.door.type"), Is.EqualTo("STRING"));
                Assert.That(decl.SelectToken("properties.door.enum").Select(t => (string)t), Is.EqualTo(new[] { "north", "south" }));
                Assert.That((string)JObject.Parse(frames[1]).SelectToken("realtimeInput.text"), Is.EqualTo("open the north door"));
                Assert.That((bool)JObject.Parse(frames[2]).SelectToken("toolResponse.functionResponses[0].response.opened"), Is.True);
            }
            Assert.That(_server.Problems, Is.Empty);
        }

        [Test]
        public void GoAway_is_reported_once_and_a_new_provider_resumes_with_the_last_resumable_handle_losing_no_audio()
        {
            var heard = new AudioSink();
            _server.Script = GeminiScenarios.GoAwayResume(samplesBeforeGoAway: 8000, heard);
            var listener = new GeminiTestListener();
            // 3 s of a ramp: every sample distinct in its neighbourhood, so loss, duplication or reordering shows.
            var sent = new short[48000];
            for (var i = 0; i < sent.Length; i++) sent[i] = (short)((i * 7) % 30000 - 15000);
            const int half = 24000;
            string handle;
            using (var p = Provider())
            {
                Connect(p, listener);
                Assert.That(listener.WaitUntil(l => l.All<ResumptionHandleUpdated>().Count == 2, Wait), Is.True);
                for (var i = 0; i < half; i += 320)
                    p.SendAudioAsync(new ReadOnlyMemory<short>(sent, i, 320), CancellationToken.None).AsTask().Wait(Wait);
                Assert.That(listener.WaitUntil(l => l.All<GoingAway>().Count == 1, Wait), Is.True, listener.Describe());
                Assert.That(SpinWait.SpinUntil(() => heard.Count >= half, Wait), Is.True, "server got " + heard.Count);
                // The provider does not reconnect by itself: still one connection, still connected.
                Assert.That(p.IsConnected, Is.True);
                Assert.That(_server.Connections, Is.EqualTo(1));
                handle = p.ResumeHandle;
                p.DisconnectAsync(CancellationToken.None).Wait(Wait);
            }
            Assert.That(handle, Is.EqualTo("handle-42"));
            var resumed = new GeminiTestListener();
            using (var p2 = Provider())
            {
                Connect(p2, resumed, new SessionConfig { ResumeHandle = handle });
                for (var i = half; i < sent.Length; i += 320)
                    p2.SendAudioAsync(new ReadOnlyMemory<short>(sent, i, 320), CancellationToken.None).AsTask().Wait(Wait);
                Assert.That(SpinWait.SpinUntil(() => heard.Count >= sent.Length, Wait), Is.True, "server got " + heard.Count);
                p2.DisconnectAsync(CancellationToken.None).Wait(Wait);
            }
            Assert.That(heard.ToArray(), Is.EqualTo(sent), "every sample, once, in order");
            Assert.That(listener.All<GoingAway>().Single().TimeLeft, Is.EqualTo(TimeSpan.FromSeconds(50)));
            Assert.That(listener.All<ResumptionHandleUpdated>().Select(h => h.Handle), Is.EqualTo(new[] { "handle-old", "handle-42" }), "non-resumable updates are ignored");
            Assert.That(listener.All<Reconnecting>(), Is.Empty);
            Assert.That(listener.All<Resumed>(), Is.Empty);
            Assert.That(listener.All<ProviderError>(), Is.Empty);
            Assert.That(listener.All<Disconnected>().Single().ByClient, Is.True);
            var conns = _server.Accepted.ToArray();
            Assert.That(conns.Length, Is.EqualTo(2));
            Assert.That(conns[0].Finished.Wait(Wait), Is.True);
            Assert.That(conns[0].ClientCloseStatus, Is.EqualTo(1000), "old socket closed by the client");
            Assert.That(conns[0].FinishedAt, Is.LessThan(conns[1].AcceptedAt), "old socket closed before the new one opened");
            foreach (var c in conns)
                Assert.That(c.Received.Count(f => f.StartsWith("{\"setup\"")), Is.EqualTo(1), "exactly one setup per connection");
            Assert.That(_server.Problems, Is.Empty);
        }

        [Test]
        public void Socket_dropped_mid_reply_is_reported_once_and_not_reconnected_by_the_provider()
        {
            _server.Script = GeminiScenarios.DropMidReply();
            var listener = new GeminiTestListener();
            string handle;
            using (var p = Provider())
            {
                Connect(p, listener);
                Assert.That(listener.WaitUntil(l => l.All<ResumptionHandleUpdated>().Count == 1, Wait), Is.True);
                p.SendTextAsync("hi", CancellationToken.None).Wait(Wait);
                Assert.That(listener.WaitUntil(l => l.All<Disconnected>().Count == 1, Wait), Is.True, listener.Describe());
                var error = listener.All<ProviderError>().Single();
                Assert.That(error.ErrorKind, Is.EqualTo(ProviderErrorKind.Transport));
                var d = listener.All<Disconnected>().Single();
                Assert.That(d.ByClient, Is.False);
                Assert.That(d.Error, Is.SameAs(error), "the disconnect carries its cause");
                Assert.That(listener.All<Reconnecting>(), Is.Empty);
                Assert.That(listener.AudioSamples, Is.EqualTo(2400));
                Assert.That(p.IsConnected, Is.False);
                var ex = Assert.Throws<AggregateException>(() => p.SendTextAsync("x", CancellationToken.None).Wait(Wait));
                Assert.That(((ProviderException)ex.InnerException).Code, Is.EqualTo("not_connected"));
                handle = p.ResumeHandle;
            }
            // What the session does next: a new provider with the handle gets the rest of the reply.
            var resumed = new GeminiTestListener();
            using (var p2 = Provider())
            {
                Connect(p2, resumed, new SessionConfig { ResumeHandle = handle });
                Assert.That(resumed.WaitUntil(l => l.All<ResponseDone>().Any(x => x.Status == ResponseStatus.Completed), Wait), Is.True, resumed.Describe());
                Assert.That(resumed.AudioSamples, Is.EqualTo(2400));
            }
            Assert.That(_server.Connections, Is.EqualTo(2));
            Assert.That(_server.Problems, Is.Empty);
        }
        [TestCase(1007, "Request contains an invalid argument.", ProviderErrorKind.InvalidRequest)]
        [TestCase(1008, "Quota exceeded for quota metric 'Live sessions'.", ProviderErrorKind.RateLimited)]
        [TestCase(1011, "Internal error encountered.", ProviderErrorKind.Server)]
        public void Close_codes_become_typed_errors_with_the_vendor_reason_and_a_clean_end(int status, string reason, ProviderErrorKind kind)
        {
            _server.Script = GeminiScenarios.CloseWith(status, reason);
            var listener = new GeminiTestListener();
            using (var p = Provider())
            {
                Connect(p, listener);
                Assert.That(listener.WaitUntil(l => l.All<Disconnected>().Count == 1, Wait), Is.True, listener.Describe());
                var e = listener.All<ProviderError>().Single();
                Assert.That(e.ErrorKind, Is.EqualTo(kind));
                Assert.That(e.Code, Is.EqualTo(status.ToString()));
                Assert.That(e.Message, Does.Contain(reason));
                Assert.That(e.IsFatal, Is.True, "no handle to resume with");
                Assert.That(listener.All<Disconnected>().Single().CloseStatus, Is.EqualTo(status));
                Assert.That(p.IsConnected, Is.False);
                var ex = Assert.Throws<AggregateException>(() => p.SendTextAsync("x", CancellationToken.None).Wait(Wait));
                Assert.That(ex.InnerException, Is.TypeOf<ProviderException>());
            }
        }

        [TestCase(1011, "Deadline expired before operation could complete.", ProviderErrorKind.Server)]
        [TestCase(1007, "Request contains an invalid argument.", ProviderErrorKind.InvalidRequest)]
        public void With_a_handle_a_close_is_reported_once_with_its_kind_and_the_handle_kept_for_the_session(int status, string reason, ProviderErrorKind kind)
        {
            var release = new TaskCompletionSource<bool>();
            release.SetResult(true);
            var heard = new AudioSink();
            _server.Script = GeminiScenarios.CloseThenResume(status, reason, release.Task, heard);
            var listener = new GeminiTestListener();
            using (var p = Provider())
            {
                Connect(p, listener);
                Assert.That(listener.WaitUntil(l => l.All<Disconnected>().Count == 1, Wait), Is.True, listener.Describe());
                var e = listener.All<ProviderError>().Single();
                Assert.That(e.Code, Is.EqualTo(status.ToString()));
                Assert.That(e.ErrorKind, Is.EqualTo(kind));
                Assert.That(e.Message, Does.Contain(reason));
                Assert.That(e.IsFatal, Is.True, "this connection is over");
                Assert.That(listener.All<Disconnected>().Single().Error, Is.SameAs(e));
                Assert.That(p.IsConnected, Is.False);
                Assert.That(p.ResumeHandle, Is.EqualTo("handle-close"));
                Assert.That(listener.All<Reconnecting>(), Is.Empty);
            }
            Assert.That(_server.Connections, Is.EqualTo(1), "the provider never reconnects by itself");
            Assert.That(_server.Problems, Is.Empty);
        }

        [Test]
        public void GoAway_without_a_handle_ends_at_the_deadline_when_the_server_goes_silent()
        {
            _server.Script = GeminiScenarios.GoAwayThenSilence("0.5s");
            var listener = new GeminiTestListener();
            using (var p = Provider())
            {
                Connect(p, listener);
                Assert.That(listener.WaitUntil(l => l.All<Disconnected>().Count == 1, Wait), Is.True, listener.Describe());
                Assert.That(listener.All<GoingAway>().Single().TimeLeft, Is.EqualTo(TimeSpan.FromSeconds(0.5)));
                var e = listener.All<ProviderError>().Single();
                Assert.That(e.ErrorKind, Is.EqualTo(ProviderErrorKind.Stalled));
                Assert.That(e.Code, Is.EqualTo("go_away_deadline"));
                Assert.That(e.IsFatal, Is.True);
                Assert.That(listener.All<Reconnecting>(), Is.Empty, "nothing to resume with");
            }
        }

        [Test]
        public void A_bad_key_fails_connect_with_an_authentication_error_and_the_server_reason()
        {
            _server.Script = GeminiScenarios.Replay(new RecordedFrame[0]);
            using (var p = Provider(secret: "wrong-key"))
            {
                var ex = Assert.Throws<AggregateException>(() => p.ConnectAsync(new SessionConfig(), new GeminiTestListener(), CancellationToken.None).Wait(Wait));
                var pe = (ProviderException)ex.InnerException;
                Assert.That(pe.Kind, Is.EqualTo(ProviderErrorKind.Authentication));
                Assert.That(pe.Code, Is.EqualTo("1008"));
                Assert.That(pe.Message, Does.Contain("API key not valid"));
                Assert.That(pe.Message, Does.Not.Contain("wrong-key"));
            }
        }

        [Test]
        public void Ephemeral_tokens_use_access_token_on_BidiGenerateContentConstrained()
        {
            _server.Script = GeminiScenarios.CloseWith(1000, "bye");
            var listener = new GeminiTestListener();
            using (var p = Provider(secret: "auth_tokens/" + _server.ExpectedKey))
            {
                Connect(p, listener);
                Assert.That(listener.WaitUntil(l => l.All<Disconnected>().Count == 1, Wait), Is.True);
            }
            Assert.That(_server.RequestPaths.Single(), Is.EqualTo("/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContentConstrained"));
        }

        [Test]
        public void Malformed_json_is_reported_and_the_session_carries_on()
        {
            _server.Script = GeminiScenarios.MalformedThenValid();
            var listener = new GeminiTestListener();
            using (var p = Provider())
            {
                Connect(p, listener);
                Assert.That(listener.WaitUntil(l => l.All<ResponseDone>().Count == 1, Wait), Is.True, listener.Describe());
                var errors = listener.All<ProviderError>();
                Assert.That(errors.Count, Is.EqualTo(2));
                Assert.That(errors.All(e => e.ErrorKind == ProviderErrorKind.Protocol && e.Code == "malformed_json" && !e.IsFatal), Is.True);
                Assert.That(listener.AudioSamples, Is.EqualTo(480));
                Assert.That(p.IsConnected, Is.True);
            }
        }

        [Test]
        public void A_frame_over_the_size_limit_is_a_typed_error_and_the_session_ends_cleanly()
        {
            _server.Script = GeminiScenarios.Oversize(200 * 1024);
            var listener = new GeminiTestListener();
            using (var p = Provider(o => o.MaxMessageBytes = 64 * 1024))
            {
                Connect(p, listener);
                Assert.That(listener.WaitUntil(l => l.All<Disconnected>().Count == 1, Wait), Is.True, listener.Describe());
                var e = listener.All<ProviderError>().Single();
                Assert.That(e.Code, Is.EqualTo("message_too_large"));
                Assert.That(e.IsFatal, Is.True);
                Assert.That(listener.AudioSamples, Is.EqualTo(0));
                Assert.That(p.IsConnected, Is.False);
            }
        }

        [Test]
        public void A_server_that_goes_silent_mid_reply_is_reported_as_stalled()
        {
            _server.Script = GeminiScenarios.StallMidReply();
            var listener = new GeminiTestListener();
            // The watchdog's clock is moved by hand once the first chunk is here: on the system clock a loaded machine
            // could hold that chunk back past the 1 s stall, and the stall came before any audio.
            var clock = new Parley.Providers.Connection.ManualConnectionClock();
            using (var p = Provider(o => { o.StallTimeout = TimeSpan.FromSeconds(1); o.Clock = clock; }))
            {
                Connect(p, listener);
                p.SendTextAsync("hello?", CancellationToken.None).Wait(Wait);
                Assert.That(listener.WaitUntil(l => l.AudioSamples == 480, Wait), Is.True, listener.Describe());
                Assert.That(listener.All<Disconnected>(), Is.Empty, "no stall while the clock stands");
                clock.Advance(TimeSpan.FromSeconds(1));
                Assert.That(listener.WaitUntil(l => l.All<Disconnected>().Count == 1, Wait), Is.True, listener.Describe());
                var e = listener.All<ProviderError>().Single();
                Assert.That(e.ErrorKind, Is.EqualTo(ProviderErrorKind.Stalled));
                Assert.That(listener.AudioSamples, Is.EqualTo(480));
            }
        }
    }
}
