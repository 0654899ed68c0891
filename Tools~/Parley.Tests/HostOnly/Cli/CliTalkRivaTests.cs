using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using NUnit.Framework;
using Parley.Servers.Llm;
using Parley.Servers.Riva;
using Parley.Tests.HostOnly.SelfHosted;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Cli
{
    /// <summary>
    /// `parley talk --provider riva` against the loopback Riva gRPC server (StreamingRecognize, SynthesizeOnline over
    /// h2c) or the Speech NIM realtime WebSocket server, and the chat-completions SSE server: the cascade the CLI
    /// builds, end to end.
    /// </summary>
    public class CliTalkRivaTests
    {
        const int TtsRate = 22050;

        const string FunctionId = "1598d209-5e27-4d3c-8079-4751568b1081";

        [TestCase("grpc", false)]
        [TestCase("grpc", true)]
        [TestCase("websocket", false)]
        public void A_cascade_turn_plays_exactly_the_speech_the_tts_server_sent(string transport, bool nvcf)
        {
            var voice = Pcm.Speech("npc-price", TtsRate);
            long sentSamples = 0;
            Func<string, short[]> speak = text => { Interlocked.Add(ref sentSamples, voice.Length); return voice; };
            IAsyncDisposable speech;
            Uri url;
            Func<string> check;   // what the speech server saw, or null when it was used as expected
            if (transport == "grpc")
            {
                // As NVIDIA cloud functions: calls without this bearer token and function id fail.
                var script = new RivaGrpcScript { TtsRate = TtsRate, Voice = speak, RequiredToken = nvcf ? "nvapi-parley-test" : null, RequiredFunctionId = nvcf ? FunctionId : null };
                script.Transcripts.Enqueue(Pcm.Text("user-question"));
                var riva = CascadeHarness.Run(RivaGrpcServer.StartAsync(script));
                (speech, url) = (riva, riva.Address);
                check = () => riva.AsrCalls >= 1 && riva.TtsRequests >= 1 && riva.Protocol.IsEmpty && riva.SeenFunctionIds.Distinct().Count() == (nvcf ? 1 : 0) ? null : "asr " + riva.AsrCalls + ", tts " + riva.TtsRequests + ", " + string.Join("; ", riva.Protocol);
            }
            else
            {
                var script = new NimRealtimeScript { TtsRate = TtsRate, Voice = speak };
                script.Transcripts.Enqueue(Pcm.Text("user-question"));
                var nim = CascadeHarness.Run(NimRealtimeServer.StartAsync(script));
                (speech, url) = (nim, nim.BaseUri);
                check = () => nim.AsrSessions >= 1 && nim.TtsSessions >= 1 && nim.Errors.IsEmpty ? null : "asr " + nim.AsrSessions + ", tts " + nim.TtsSessions + ", " + string.Join("; ", nim.Errors);
            }
            using (var run = new TalkRun())
            {
                var llm = CascadeHarness.Run(ChatCompletionsServer.StartAsync(_ => new ChatReply { Text = "Ten gold pieces, and it is yours by sunset." }));
                try
                {
                    var args = new List<string>
                    {
                        "--provider", "riva", "--riva-transport", transport,
                        "--asr-url", url.ToString(), "--tts-url", url.ToString(), "--llm-url", llm.BaseUri.ToString(),
                        "--input", PackagePaths.Fixture("audio", "speech", "user-question-48k.wav"),
                    };
                    if (nvcf) args.AddRange(new[] { "--asr-function-id", FunctionId, "--tts-function-id", FunctionId, "--api-key-env", "PARLEY_TEST_NVIDIA_KEY" });
                    var r = run.Talk(args, new Dictionary<string, string> { ["PARLEY_TEST_NVIDIA_KEY"] = "nvapi-parley-test" });
                    Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
                    Assert.That(check(), Is.Null, "ASR and TTS went over " + transport + " as the server expects");
                    Assert.That(llm.Requests.Count, Is.EqualTo(1));
                    // The LLM got the transcript the ASR produced from the WAV's speech.
                    Assert.That(llm.Requests.Single().ToString(), Does.Contain(Pcm.Text("user-question")));
                }
                finally
                {
                    CascadeHarness.Run(llm.DisposeAsync().AsTask());
                    CascadeHarness.Run(speech.DisposeAsync().AsTask());
                }

                var sentMs = Interlocked.Read(ref sentSamples) * 1000.0 / TtsRate;
                var reply = run.Reply();
                // Every sample the TTS server sent reached the speaker, resampled 22.05 → 48 kHz: same energy, same length.
                var sentEnergy = TalkRun.Energy(voice.Select(s => s / 32768f).ToArray(), TtsRate) * (sentSamples / voice.Length);
                var heardEnergy = TalkRun.Energy(reply.Samples, reply.SampleRate);
                Assert.That(10 * Math.Log10(heardEnergy / sentEnergy), Is.EqualTo(0).Within(0.2), "reply energy vs what the TTS server sent, dB");
                var replyMs = (double)run.Metrics()["reply_audio_ms"];
                // The metrics say which clock they used, and the timeline they report is the output WAV's length.
                Assert.That((string)run.Metrics()["clock"], Does.StartWith("wall"));
                Assert.That((double)run.Metrics()["timeline_ms"], Is.EqualTo(reply.Samples.Length * 1000.0 / reply.SampleRate).Within(1.0));
                TestContext.WriteLine(transport + ": sent " + sentMs.ToString("0.0") + " ms, rendered " + replyMs.ToString("0.0") + " ms, energy "
                                      + (10 * Math.Log10(heardEnergy / sentEnergy)).ToString("0.000") + " dB");
                Assert.That(replyMs, Is.EqualTo(sentMs).Within(30 + sentMs * 0.01), "agent audio rendered vs sent");
                var loud = Enumerable.Range(0, reply.Samples.Length).Where(i => Math.Abs(reply.Samples[i]) > 0.02f).ToList();
                Assert.That(loud.Count, Is.GreaterThan(reply.SampleRate / 4), "audible speech, not silence");
                Assert.That((loud.Last() - loud.First()) * 1000.0 / reply.SampleRate, Is.LessThanOrEqualTo(sentMs + 20));

                var names = run.Events().Select(e => (string)e["event"]).ToList();
                Assert.That(names, Does.Contain("connected").And.Contain("agent.audible").And.Contain("agent.playback_done"));
                var finals = run.Events("user.transcript").Where(e => (bool)e["is_final"]).Select(e => (string)e["text"]).ToList();
                Assert.That(finals, Is.EqualTo(new[] { Pcm.Text("user-question") }));
                var done = run.Events("agent.response_done");
                Assert.That(done.Select(e => (string)e["status"]), Is.EqualTo(new[] { "completed" }));
            }
        }

        [Test]
        public void A_grpc_url_that_is_a_websocket_url_is_one_clear_line()
        {
            var r = CliProcess.Run(new[] { "talk", "--provider", "riva", "--asr-url", "ws://127.0.0.1:50051", "--tts-url", "http://127.0.0.1:50051", "--llm-url", "http://127.0.0.1:8000/v1" });
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.Stderr.Trim().Split('\n').Length, Is.EqualTo(1), r.Stderr);
            Assert.That(r.Stderr, Does.Contain("--asr-url for --riva-transport grpc is http://host:50051"));
        }
    }
}
