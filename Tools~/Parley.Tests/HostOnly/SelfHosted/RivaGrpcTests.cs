using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Grpc.Core;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.Llm;
using Parley.Providers.Riva;
using Parley.RivaGrpc;
using Parley.Servers.Llm;
using Parley.Servers.Riva;

namespace Parley.Tests.HostOnly.SelfHosted
{
    [TestFixture]
    public class RivaGrpcTests
    {
        const int Rate = 22050;
        static readonly string Question = Pcm.Text("user-question");
        static readonly string Price = Pcm.Text("npc-price");
        static readonly string Quest = Pcm.Text("npc-quest");

        sealed class Harness : IDisposable
        {
            public RivaGrpcServer Riva;
            public ChatCompletionsServer Llm;
            public RivaCascadeProvider Provider;
            public readonly RecordingListener Listener = new RecordingListener();
            public readonly Dictionary<string, short[]> Voices = new Dictionary<string, short[]>();

            public Harness(Action<RivaGrpcScript> script, Action<RivaGrpcOptions> options, params ChatReply[] replies)
            {
                var s = new RivaGrpcScript { TtsRate = Rate };
                s.Voice = t => Voices.TryGetValue(t, out var pcm) ? pcm : null;
                script?.Invoke(s);
                Riva = CascadeHarness.Run(RivaGrpcServer.StartAsync(s));
                var queue = new Queue<ChatReply>(replies);
                Llm = CascadeHarness.Run(ChatCompletionsServer.StartAsync(r => { lock (queue) return queue.Count > 0 ? queue.Dequeue() : new ChatReply { Text = "Fine." }; }));
                var o = new RivaGrpcOptions { Address = Riva.Address, OutputSampleRate = Rate, ResultTimeout = TimeSpan.FromSeconds(10) };
                options?.Invoke(o);
                Provider = new RivaCascadeProvider(new RivaCascadeOptions
                {
                    Asr = new RivaGrpcAsr(o),
                    Tts = new RivaGrpcTts(o),
                    Llm = new ChatCompletionsClient(new ChatCompletionsOptions { BaseUri = Llm.BaseUri, Model = "loopback" }),
                });
            }

            public void Voice(string id) => Voices[Pcm.Text(id)] = Pcm.Speech(id, Rate);

            public void Connect() => CascadeHarness.Run(Provider.ConnectAsync(new SessionConfig { Instructions = "You are a blacksmith." }, Listener, CancellationToken.None));

            public void Say(short[] pcm)
            {
                for (var i = 0; i < pcm.Length && Provider.IsConnected; i += 320)
                {
                    var t = Provider.SendAudioAsync(new ReadOnlyMemory<short>(pcm, i, Math.Min(320, pcm.Length - i)), CancellationToken.None).AsTask();
                    if (System.Threading.Tasks.Task.WhenAny(t, System.Threading.Tasks.Task.Delay(20000)).Result != t) throw new TimeoutException("send");
                    if (t.IsFaulted) break;   // the failure also reaches the listener
                }
            }

            public void Dispose()
            {
                try { Provider.Dispose(); } catch (Exception) { }
                CascadeHarness.Run(Llm.DisposeAsync().AsTask());
                CascadeHarness.Run(Riva.DisposeAsync().AsTask());
            }
        }

        [TestCase(SynthesizeOnlineMode.ClientStreaming)]
        [TestCase(SynthesizeOnlineMode.ServerStreaming)]
        public void AFullTurnOverGrpcWithNvcfMetadata(SynthesizeOnlineMode mode)
        {
            using (var h = new Harness(s => { s.RequiredToken = "nvapi-test"; s.RequiredFunctionId = "bb0837de-0000-4000-8000-000000000000"; },
                o => { o.SynthesizeMode = mode; o.FunctionId = "bb0837de-0000-4000-8000-000000000000"; o.Credentials = new StaticCredential("nvapi-test"); },
                new ChatReply { Text = Price + " " + Quest }))
            {
                h.Riva.Script.Transcripts.Enqueue(Question);
                h.Voice("npc-price");
                h.Voice("npc-quest");
                h.Connect();
                h.Say(Pcm.WithSilence(Pcm.Speech("user-question", 16000), 16000, 1000));
                var done = h.Listener.WaitFor<ResponseDone>(d => true, "the reply");
                Assert.That(done.Status, Is.EqualTo(ResponseStatus.Completed));
                Assert.That(h.Listener.All<UserTranscript>().Count(u => !u.IsFinal), Is.GreaterThan(2));
                Assert.That(h.Listener.All<UserTranscript>().Single(u => u.IsFinal).Text, Is.EqualTo(Question));
                var item = h.Listener.All<AgentAudioDone>().Single().ItemId;
                var expected = Pcm.Speech("npc-price", Rate).Concat(Pcm.Speech("npc-quest", Rate)).ToArray();
                Assert.That(h.Listener.AudioOf(item), Is.EqualTo(expected));
                Assert.That(h.Riva.TtsRequests, Is.EqualTo(2));
                // New form: one call per reply; old form: one call per phrase.
                Assert.That(h.Riva.TtsCalls, Is.EqualTo(mode == SynthesizeOnlineMode.ClientStreaming ? 1 : 2));
                Assert.That(h.Riva.SeenFunctionIds.Distinct().Single(), Is.EqualTo("bb0837de-0000-4000-8000-000000000000"));
                Assert.That(h.Riva.Protocol, Is.Empty);
                var latency = h.Listener.All<LatencyReported>().Single();
                Assert.That(latency.TtsFirstByteMs, Is.GreaterThan(0));
                Assert.That(latency.AsrFinalDelayMs, Is.GreaterThanOrEqualTo(0));
            }
        }

        [Test]
        public void AWrongTokenIsAnAuthenticationError()
        {
            using (var h = new Harness(s => s.RequiredToken = "right", o => o.Credentials = new StaticCredential("wrong")))
            {
                // The rejection comes either while connecting (the exception) or as the first event after it,
                // depending on whether the server answers before the connect returns: a race, so both are accepted.
                ProviderException thrown = null;
                try { h.Connect(); }
                catch (AggregateException e) when (e.InnerException is ProviderException p) { thrown = p; }
                if (thrown == null) h.Say(Pcm.Speech("user-question", 16000).Take(3200).ToArray());
                var error = thrown == null ? h.Listener.WaitFor<ProviderError>(e => true, "the error") : null;
                Assert.That(thrown?.Kind ?? error.ErrorKind, Is.EqualTo(ProviderErrorKind.Authentication));
                Assert.That(thrown?.Code ?? error.Code, Is.EqualTo("Unauthenticated"));
                Assert.That(thrown?.Message ?? error.Message, Does.Not.Contain("wrong"));
            }
        }

        /// <summary>gRPC statuses mid-stream through the one error table (grpc/doc/statuscodes.md for what each means).</summary>
        public static IEnumerable<TestCaseData> MidStreamStatuses()
        {
            yield return new TestCaseData(StatusCode.Unavailable, ProviderErrorKind.Transport, true).SetName("gRPC UNAVAILABLE mid-stream → Transport (recoverable)");
            yield return new TestCaseData(StatusCode.DeadlineExceeded, ProviderErrorKind.Stalled, true).SetName("gRPC DEADLINE_EXCEEDED mid-stream → Stalled (recoverable)");
            yield return new TestCaseData(StatusCode.Internal, ProviderErrorKind.Server, true).SetName("gRPC INTERNAL mid-stream → Server (recoverable)");
            yield return new TestCaseData(StatusCode.ResourceExhausted, ProviderErrorKind.RateLimited, true).SetName("gRPC RESOURCE_EXHAUSTED mid-stream → RateLimited (recoverable)");
            yield return new TestCaseData(StatusCode.PermissionDenied, ProviderErrorKind.Authentication, false).SetName("gRPC PERMISSION_DENIED mid-stream → Authentication (fatal)");
        }

        [TestCaseSource(nameof(MidStreamStatuses))]
        public void AServerStatusMidStreamIsOneTypedDisconnect(StatusCode status, ProviderErrorKind kind, bool recoverable)
        {
            using (var h = new Harness(s => { s.AsrFailStatus = status; s.AsrFailAfterMs = 400; }, null))
            {
                h.Connect();
                h.Say(Pcm.Speech("user-question", 16000).Take(16000).ToArray());
                var gone = h.Listener.WaitFor<Disconnected>(d => true, "the disconnect");
                Assert.That(gone.ByClient, Is.False);
                var error = gone.Error;
                Assert.That(error.ErrorKind, Is.EqualTo(kind));
                Assert.That(error.Code, Is.EqualTo(status.ToString()));
                Assert.That(error.Message, Does.Contain("model instance crashed"));
                Assert.That(error.IsFatal, Is.True);
                Assert.That(gone.Recoverable, Is.EqualTo(recoverable));
                Assert.That(h.Listener.All<ProviderError>().Single(), Is.SameAs(error));
                Assert.That(h.Provider.IsConnected, Is.False);
                h.Provider.Dispose();
                Assert.That(h.Listener.All<Disconnected>().Count, Is.EqualTo(1), "exactly one Disconnected");
            }
        }

        [Test]
        public void AClosedPortIsUnavailable()
        {
            var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            l.Start();
            var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            var listener = new RecordingListener();
            using (var asr = new RivaGrpcAsr(new RivaGrpcOptions { Address = new Uri("http://127.0.0.1:" + port) }))
            {
                var captured = new List<ProviderException>();
                var sink = new Sink(captured);
                ProviderException thrown = null;
                try { CascadeHarness.Run(asr.StartAsync(sink, CancellationToken.None)); }
                catch (AggregateException e) { thrown = e.InnerException as ProviderException; }
                if (thrown == null)
                    listener.WaitUntil(() => { lock (captured) return captured.Count > 0; }, "the failure");
                var error = thrown ?? captured[0];
                Assert.That(error.Kind, Is.EqualTo(ProviderErrorKind.Transport));
                Assert.That(error.Code, Is.EqualTo("Unavailable"));
            }
        }

        sealed class Sink : IAsrListener
        {
            readonly List<ProviderException> _errors;
            public Sink(List<ProviderException> errors) { _errors = errors; }
            public void OnPartial(string delta) { }
            public void OnFinal(string transcript, long userStopTimestamp) { }
            public void OnFailed(ProviderException error) { lock (_errors) _errors.Add(error); }
        }
    }

    /// <summary>The package's minimal protos keep the reference protos' names and numbers (nvidia-riva/common @ 87a6b16).</summary>
    [TestFixture]
    public class RivaGrpcProtoTests
    {
        static Dictionary<string, Dictionary<string, int>> Reference()
        {
            var result = new Dictionary<string, Dictionary<string, int>>();
            foreach (var file in System.IO.Directory.GetFiles(Parley.Tests.Support.PackagePaths.Fixture("protocols", "riva"), "*.proto"))
            {
                var text = Regex.Replace(System.IO.File.ReadAllText(file), @"//[^\n]*|/\*.*?\*/", "", RegexOptions.Singleline);
                foreach (Match block in Regex.Matches(text, @"(message|enum)\s+(\w+)\s*\{((?:[^{}]|\{[^{}]*\})*)\}"))
                {
                    var fields = new Dictionary<string, int>();
                    var body = Regex.Replace(block.Groups[3].Value, @"oneof\s+\w+\s*\{([^{}]*)\}", "$1");
                    foreach (Match f in Regex.Matches(body, @"(\w+)\s*=\s*(\d+)\s*;")) fields[f.Groups[1].Value] = int.Parse(f.Groups[2].Value);
                    result[block.Groups[2].Value] = fields;
                }
            }
            return result;
        }

        [Test]
        public void EveryGeneratedFieldAndEnumValueHasTheReferenceNumber()
        {
            var reference = Reference();
            var files = new[] { Parley.RivaGrpc.Proto.RivaAsrReflection.Descriptor, Parley.RivaGrpc.Proto.RivaTtsReflection.Descriptor, Parley.RivaGrpc.Proto.RivaAudioReflection.Descriptor, Parley.RivaGrpc.Proto.RivaCommonReflection.Descriptor };
            var checkedFields = 0;
            foreach (var file in files)
            {
                foreach (var m in file.MessageTypes)
                {
                    Assert.That(reference.ContainsKey(m.Name), Is.True, m.Name + " is not in the reference protos");
                    foreach (var f in m.Fields.InDeclarationOrder())
                    {
                        Assert.That(reference[m.Name].TryGetValue(f.Name, out var n), Is.True, m.Name + "." + f.Name + " is not in the reference");
                        Assert.That(f.FieldNumber, Is.EqualTo(n), m.Name + "." + f.Name);
                        checkedFields++;
                    }
                }
                foreach (var e in file.EnumTypes)
                    foreach (var v in e.Values)
                    {
                        Assert.That(reference[e.Name][v.Name], Is.EqualTo(v.Number), e.Name + "." + v.Name);
                        checkedFields++;
                    }
            }
            Assert.That(checkedFields, Is.GreaterThan(50));
        }

        [Test]
        public void ServicePathsAndStreamingShapesMatch()
        {
            var asr = Parley.RivaGrpc.Proto.RivaAsrReflection.Descriptor.Services.Single();
            Assert.That(asr.FullName, Is.EqualTo("nvidia.riva.asr.RivaSpeechRecognition"));
            var recognize = asr.FindMethodByName("StreamingRecognize");
            Assert.That(recognize.IsClientStreaming && recognize.IsServerStreaming, Is.True);
            var tts = Parley.RivaGrpc.Proto.RivaTtsReflection.Descriptor.Services.Single();
            Assert.That(tts.FullName, Is.EqualTo("nvidia.riva.tts.RivaSpeechSynthesis"));
            var online = tts.FindMethodByName("SynthesizeOnline");
            Assert.That(online.IsClientStreaming && online.IsServerStreaming, Is.True);
            var referenceTts = System.IO.File.ReadAllText(Parley.Tests.Support.PackagePaths.Fixture("protocols", "riva", "riva_tts.proto"));
            Assert.That(Regex.IsMatch(referenceTts, @"rpc\s+SynthesizeOnline\s*\(\s*stream\s+SynthesizeSpeechRequest\s*\)\s*returns\s*\(\s*stream\s+SynthesizeSpeechResponse"), Is.True);
        }
    }
}
