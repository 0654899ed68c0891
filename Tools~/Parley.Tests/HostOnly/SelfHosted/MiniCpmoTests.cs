using System;
using System.Linq;
using System.Threading;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Providers;
using Parley.Providers.MiniCpmo;
using Parley.Servers.MiniCpmo;

namespace Parley.Tests.HostOnly.SelfHosted
{
    [TestFixture]
    public class MiniCpmoTests
    {
        sealed class Harness : IDisposable
        {
            public MiniCpmoServer Server;
            public MiniCpmoProvider Provider;
            public readonly RecordingListener Listener = new RecordingListener();
            public MiniCpmoOptions Options;

            public Harness(Action<MiniCpmoScript> script = null)
            {
                var s = new MiniCpmoScript();
                script?.Invoke(s);
                Server = CascadeHarness.Run(MiniCpmoServer.StartAsync(s));
                Options = new MiniCpmoOptions
                {
                    BaseUri = Server.BaseUri,
                    AssistantPrompt = "You are a blacksmith.",
                    ReferenceVoiceWav = System.IO.File.ReadAllBytes(Parley.Tests.Support.PackagePaths.Fixture("audio", "speech", "npc-greeting-16k.wav")),
                    // Only a hung server should trip it: a gated reply waits while the test talks, on a loaded machine too.
                    ReplyIdleTimeout = TimeSpan.FromSeconds(30),
                };
                Provider = new MiniCpmoProvider(Options);
            }

            public void Connect(SessionConfig config = null) =>
                CascadeHarness.Run(Provider.ConnectAsync(config ?? new SessionConfig(), Listener, CancellationToken.None));

            /// <summary>When the last piece of the last <see cref="Say"/> began to be sent: no chunk reached the server before.</summary>
            public DateTime LastSendStarted;

            /// <summary>Microphone-sized pieces (20 ms); the provider makes the 200 ms WAV chunks.</summary>
            public void Say(short[] pcm)
            {
                for (var i = 0; i < pcm.Length && Provider.IsConnected; i += 320)
                {
                    LastSendStarted = DateTime.UtcNow;
                    var t = Provider.SendAudioAsync(new ReadOnlyMemory<short>(pcm, i, Math.Min(320, pcm.Length - i)), CancellationToken.None).AsTask();
                    if (System.Threading.Tasks.Task.WhenAny(t, System.Threading.Tasks.Task.Delay(20000)).Result != t) throw new TimeoutException("send timed out");
                    t.GetAwaiter().GetResult();
                }
            }

            public void Dispose()
            {
                try { CascadeHarness.Run(Provider.DisconnectAsync(CancellationToken.None)); } catch (Exception) { }
                Provider.Dispose();
                CascadeHarness.Run(Server.DisposeAsync().AsTask());
            }
        }

        [Test]
        public void AFullTurnSkipsTheEchoAndDeliversThe24kReply()
        {
            using (var h = new Harness())
            {
                var reply = Pcm.Speech("npc-greeting", 24000);
                h.Server.Script.Replies.Enqueue((Pcm.Text("npc-greeting"), reply));
                h.Connect(new SessionConfig { Instructions = "You are a blacksmith." });
                Assert.That(h.Provider.Capabilities.FullDuplex, Is.False);
                Assert.That(h.Provider.Capabilities.InputSampleRate, Is.EqualTo(16000));
                Assert.That(h.Provider.Capabilities.OutputSampleRate, Is.EqualTo(24000));

                h.Say(Pcm.WithSilence(Pcm.Speech("user-question", 16000), 16000, 1000));
                var done = h.Listener.WaitFor<ResponseDone>(d => true, "the reply");
                Assert.That(done.Status, Is.EqualTo(ResponseStatus.Completed));
                Assert.That(h.Server.TurnsByVad, Is.EqualTo(1));

                // Init carried the uid, system prompt and reference voice.
                var content = h.Server.InitOptions["messages"][0]["content"];
                Assert.That((string)content[0]["input_audio"]["format"], Is.EqualTo("wav"));
                Assert.That((string)content[1]["options"]["assistant_prompt"], Is.EqualTo("You are a blacksmith."));
                // Every chunk was a complete 200 ms WAV at 16 kHz.
                Assert.That(h.Server.ChunkSamples.All(n => n == 3200), Is.True);

                // The echoed input (first event) is not played; the reply audio is exactly the voice.
                var item = h.Listener.All<AgentAudioDone>().Single().ItemId;
                Assert.That(h.Listener.AudioOf(item), Is.EqualTo(reply));
                Assert.That(h.Listener.Audio.Count, Is.EqualTo(1));
                Assert.That(h.Listener.All<AgentTranscript>().Single(t => t.IsFinal).Text.Trim(), Is.EqualTo(Pcm.Text("npc-greeting")));
                Assert.That(h.Listener.All<UserSpeechStopped>().Count, Is.EqualTo(1));
            }
        }

        [Test]
        public void InputWhileTheModelSpeaksIsSkippedAndReported()
        {
            // The server holds the reply after its first step (an explicit gate, not real-time pacing), so the model
            // is still speaking while the player talks, however loaded the machine.
            using (var h = new Harness(s => { s.HoldAfterSteps = 1; s.ExtraWait = TimeSpan.FromMilliseconds(500); }))
            {
                h.Server.Script.Replies.Enqueue((Pcm.Text("npc-quest"), Pcm.Speech("npc-quest", 24000)));
                h.Connect();
                h.Say(Pcm.WithSilence(Pcm.Speech("user-question", 16000), 16000, 1000));
                h.Listener.WaitFor<ResponseStarted>(r => true, "the reply to start");
                // The player talks over the model: the half-duplex server ignores it.
                h.Say(Pcm.Speech("user-interrupt", 16000).Take(8000).ToArray());
                h.Server.Script.Release.Release();
                var ignored = h.Listener.All<InputIgnored>();
                Assert.That(ignored.Count, Is.GreaterThan(0));
                Assert.That(h.Server.Skipped, Is.EqualTo(ignored.Count));
                Assert.That(h.Provider.IgnoredMs, Is.EqualTo(200 * h.Server.Skipped));
                Assert.That(h.Listener.WaitFor<ResponseDone>(d => true, "the reply").Status, Is.EqualTo(ResponseStatus.Completed));
            }
        }

        [Test]
        public void ContextMidReplyIsPostedAsThePromptWithoutAReplyAndSeedsTheNextConnection()
        {
            const string context = "The player carries the king's seal.";
            using (var h = new Harness(s => { s.HoldAfterSteps = 1; }))
            {
                var reply = Pcm.Speech("npc-quest", 24000);
                h.Server.Script.Replies.Enqueue((Pcm.Text("npc-quest"), reply));
                h.Connect(new SessionConfig { Instructions = "You are a blacksmith." });
                h.Say(Pcm.WithSilence(Pcm.Speech("user-question", 16000), 16000, 1000));
                h.Listener.WaitFor<ResponseStarted>(r => true, "the reply to start");

                // The model is speaking (held by the server's gate): the demo server has no text channel.
                var delivery = CascadeHarness.Run(h.Provider.AddContextAsync(context, CancellationToken.None));
                Assert.That(delivery, Is.EqualTo(ContextDelivery.Deferred));
                var bodies = h.Server.InitBodies.ToArray();
                Assert.That(bodies.Length, Is.EqualTo(2));
                var content = (JArray)bodies[1]["messages"][0]["content"];
                Assert.That(content.Select(c => (string)c["type"]), Is.EqualTo(new[] { "options" }), "the reference voice is not uploaded again");
                Assert.That((string)content[0]["options"]["assistant_prompt"], Is.EqualTo("You are a blacksmith.\n" + context));
                Assert.That(h.Server.RepliesStarted, Is.EqualTo(1), "no reply for the context");

                h.Server.Script.Release.Release();
                var done = h.Listener.WaitFor<ResponseDone>(d => true, "the reply");
                Assert.That(done.Status, Is.EqualTo(ResponseStatus.Completed), "the reply went on");
                Assert.That(h.Listener.AudioOf(h.Listener.All<AgentAudioDone>().Single().ItemId), Is.EqualTo(reply));
            }
            // The next connection (a reconnect is always fresh here) is seeded from the session's history.
            using (var h = new Harness())
            {
                var config = new SessionConfig { Instructions = "You are a blacksmith." };
                config.History.Add(new HistoryItem(HistoryRole.User, "Hello?"));
                config.History.Add(new HistoryItem(HistoryRole.System, context));
                h.Connect(config);
                Assert.That((string)h.Server.InitOptions["messages"][0]["content"][1]["options"]["assistant_prompt"], Is.EqualTo("You are a blacksmith.\n" + context));
                Assert.That(h.Server.RepliesStarted, Is.EqualTo(0));
            }
        }

        [Test]
        public void TheTurnEndsThreeSecondsAfterTheLastChunk()
        {
            using (var h = new Harness())
            {
                h.Server.Script.Replies.Enqueue((Pcm.Text("npc-price"), Pcm.Speech("npc-price", 24000)));
                h.Connect();
                // Speech with no trailing silence, then the microphone stops sending (muted, app paused).
                h.Say(Pcm.Speech("user-question", 16000));
                h.Listener.WaitFor<ResponseDone>(d => true, "the reply", 20000);
                Assert.That(h.Server.TurnsByTimeout, Is.EqualTo(1));
                Assert.That(h.Server.TurnsByVad, Is.EqualTo(0));
                // Measured from before the last send (not after Say returns, which a loaded machine delays past the
                // server's receipt of the last chunk): load can only lengthen this, never shorten it.
                Assert.That(DateTime.UtcNow - h.LastSendStarted, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2.9)));
            }
        }

        [Test]
        public void InterruptPostsStopAndNoMoreAudioOfThatReplyArrives()
        {
            // Held after three 200 ms steps (a gate, not pacing): the interrupt lands mid-reply on any machine.
            using (var h = new Harness(s => { s.HoldAfterSteps = 3; s.StepMs = 200; }))
            {
                h.Server.Script.Replies.Enqueue((Pcm.Text("trainer-step"), Pcm.Speech("trainer-step", 24000)));
                h.Connect();
                h.Say(Pcm.WithSilence(Pcm.Speech("user-question", 16000), 16000, 1000));
                h.Listener.WaitUntil(() => h.Listener.TotalSamples >= 12000, "half a second of reply");
                var item = h.Listener.Audio.Keys.Single();
                CascadeHarness.Run(h.Provider.InterruptAsync(new InterruptRequest(item, 400), CancellationToken.None));
                var at = h.Listener.Samples(item);
                Assert.That(h.Server.Stops, Is.EqualTo(1));
                Assert.That(h.Listener.WaitFor<ResponseDone>(d => true, "the end").Status, Is.EqualTo(ResponseStatus.Interrupted));
                // Gate on the server having finished the stream (stopped): whatever it wrote before that, it wrote.
                h.Listener.WaitUntil(() => Volatile.Read(ref h.Server.RepliesEnded) == 1, "the stopped stream to end");
                Assert.That(h.Listener.Samples(item), Is.EqualTo(at));
                Assert.That(h.Listener.Samples(item), Is.LessThan(Pcm.Speech("trainer-step", 24000).Length));
                Assert.That(h.Listener.All<ResponseDone>().Count, Is.EqualTo(1));
            }
        }

        [Test]
        public void After_a_client_interrupt_the_skipped_words_are_kept_and_sent_once_the_server_listens()
        {
            // Local barge-in (issue 13): the model speaks (held after three steps), the player starts talking (the
            // server skips it), the local VAD interrupts (/stop), the server ignores input a while longer after the stop.
            using (var h = new Harness(s => { s.HoldAfterSteps = 3; s.StepMs = 200; s.ExtraWait = TimeSpan.FromMilliseconds(600); }))
            {
                h.Server.Script.Replies.Enqueue((Pcm.Text("trainer-step"), Pcm.Speech("trainer-step", 24000)));
                h.Server.Script.Replies.Enqueue((Pcm.Text("npc-price"), Pcm.Speech("npc-price", 24000)));
                h.Connect();
                h.Say(Pcm.WithSilence(Pcm.Speech("user-question", 16000), 16000, 1000));
                h.Listener.WaitUntil(() => h.Listener.TotalSamples >= 12000, "half a second of reply");
                var item = h.Listener.Audio.Keys.Single();
                var words = Pcm.Speech("user-interrupt", 16000);
                const int before = 6400;   // 400 ms of the words go out before the interrupt: skipped
                var skipped = h.Server.Skipped;
                h.Say(words.Take(before).ToArray());
                Assert.That(h.Server.Skipped, Is.GreaterThan(skipped), "the server ignored the words while speaking");
                CascadeHarness.Run(h.Provider.InterruptAsync(new InterruptRequest(item, 400), CancellationToken.None));
                Assert.That(h.Server.Stops, Is.EqualTo(1));
                h.Say(words.Skip(before).ToArray());
                // The microphone goes on (silence, paced like one): each send retries the kept audio.
                var quiet = new short[320];
                var deadline = DateTime.UtcNow.AddSeconds(20);
                while (h.Server.TurnAudio.Count < 2 && DateTime.UtcNow < deadline)
                {
                    h.Say(quiet);
                    Thread.Sleep(20);
                }
                Assert.That(h.Server.TurnAudio.Count, Is.EqualTo(2), "the barge-in heard as a turn");
                var turn = h.Server.TurnAudio.ToArray()[1];
                Assert.That(IndexOf(turn, words), Is.GreaterThanOrEqualTo(0), "the whole utterance, from its first sample, in the turn the server heard");
                Assert.That(h.Provider.KeptChunksDelivered, Is.GreaterThan(0));
            }
        }

        internal static int IndexOf(short[] haystack, short[] needle)
        {
            for (var i = 0; i + needle.Length <= haystack.Length; i++)
            {
                var j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j]) j++;
                if (j == needle.Length) return i;
            }
            return -1;
        }

        [Test]
        public void AServerErrorEventIsSurfacedAndTheNextTurnStillWorks()
        {
            using (var h = new Harness(s => { s.Failure = MiniCpmoFailure.ErrorEvent; s.ExtraWait = TimeSpan.Zero; }))
            {
                h.Server.Script.Replies.Enqueue((Pcm.Text("npc-quest"), Pcm.Speech("npc-quest", 24000)));
                h.Connect();
                h.Say(Pcm.WithSilence(Pcm.Speech("user-question", 16000), 16000, 1000));
                var error = h.Listener.WaitFor<ProviderError>(e => true, "the error");
                Assert.That(error.ErrorKind, Is.EqualTo(ProviderErrorKind.Server));
                Assert.That(error.Message, Does.Contain("CUDA error"));
                Assert.That(error.IsFatal, Is.False);
                Assert.That(h.Listener.WaitFor<ResponseDone>(d => true, "the failed reply").Status, Is.EqualTo(ResponseStatus.Failed));

                h.Server.Script.Failure = MiniCpmoFailure.None;
                h.Server.Script.Replies.Enqueue((Pcm.Text("npc-price"), Pcm.Speech("npc-price", 24000)));
                h.Say(Pcm.WithSilence(Pcm.Speech("user-thanks", 16000), 16000, 1000));
                h.Listener.WaitUntil(() => h.Listener.All<ResponseDone>().Any(d => d.Status == ResponseStatus.Completed), "the next reply");
            }
        }

        [Test]
        public void AChunkAtAnUnexpectedRateIsATypedErrorAndStopsTheReply()
        {
            using (var h = new Harness(s => s.Failure = MiniCpmoFailure.WrongRate))
            {
                h.Server.Script.Replies.Enqueue((Pcm.Text("npc-quest"), Pcm.Speech("npc-quest", 24000)));
                h.Connect();
                h.Say(Pcm.WithSilence(Pcm.Speech("user-question", 16000), 16000, 1000));
                var error = h.Listener.WaitFor<ProviderError>(e => true, "the error");
                Assert.That(error.ErrorKind, Is.EqualTo(ProviderErrorKind.Protocol));
                Assert.That(error.Code, Is.EqualTo("sample_rate"));
                Assert.That(error.Message, Does.Contain("22050"));
                h.Listener.WaitUntil(() => h.Server.Stops == 1, "the /stop after the bad chunk");
                // Only the first (good) step was played.
                Assert.That(h.Listener.TotalSamples, Is.EqualTo(24000));
            }
        }

        [Test]
        public void ADroppedReplyStreamIsAFatalTransportError()
        {
            using (var h = new Harness(s => s.Failure = MiniCpmoFailure.Drop))
            {
                h.Server.Script.Replies.Enqueue((Pcm.Text("npc-quest"), Pcm.Speech("npc-quest", 24000)));
                h.Connect();
                h.Say(Pcm.WithSilence(Pcm.Speech("user-question", 16000), 16000, 1000));
                var error = h.Listener.WaitFor<ProviderError>(e => true, "the error");
                Assert.That(error.ErrorKind, Is.EqualTo(ProviderErrorKind.Transport));
                Assert.That(h.Listener.WaitFor<Disconnected>(d => true, "the disconnect").ByClient, Is.False);
                Assert.That(h.Listener.All<ResponseDone>().Single().Status, Is.EqualTo(ResponseStatus.Failed));
            }
        }

        [Test]
        public void WhatTheServerCannotDoIsRefusedUpFront()
        {
            using (var h = new Harness())
            {
                var manual = new SessionConfig { TurnDetection = new TurnDetection { Mode = TurnDetectionMode.Manual } };
                var e = Assert.Throws<ProviderException>(() => h.Provider.ConnectAsync(manual, h.Listener, CancellationToken.None).GetAwaiter().GetResult());
                Assert.That(e.Kind, Is.EqualTo(ProviderErrorKind.Unsupported));
                h.Connect();
                Assert.Throws<ProviderException>(() => h.Provider.SendTextAsync("hi", CancellationToken.None).GetAwaiter().GetResult());
                Assert.That(h.Provider.Capabilities.Tools, Is.False);
                Assert.That(h.Provider.Capabilities.TruncatesHistory, Is.False);
            }
        }

        [Test]
        public void AnotherUidMidCallIsRejectedByTheServerAsATypedError()
        {
            using (var h = new Harness())
            {
                h.Connect();
                // Our reply loop's held /completions carries our uid, and a /completions with a new uid takes the session
                // back (model_server.py): wait until the server holds ours before the other client connects, and until it
                // holds the other's before we speak, so the order is fixed however the machine schedules the two loops.
                h.Listener.WaitUntil(() => h.Server.CompletionsFrom.Contains(h.Options.Uid), "our /completions to be held");
                // A second client takes over the single global session: our next chunk is refused.
                var otherOptions = new MiniCpmoOptions { BaseUri = h.Server.BaseUri };
                var other = new MiniCpmoProvider(otherOptions);
                CascadeHarness.Run(other.ConnectAsync(new SessionConfig(), new RecordingListener(), CancellationToken.None));
                h.Listener.WaitUntil(() => h.Server.CompletionsFrom.Contains(otherOptions.Uid), "the other client's /completions to be held");
                Assert.That(h.Server.CompletionsFrom.Last(), Is.EqualTo(otherOptions.Uid), "no /completions of ours came after the other client's");
                Assert.That(h.Provider.IsConnected, Is.True, string.Join(", ", h.Listener.Events.Select(x => x is ProviderError pe ? pe.ToString() : x.Kind.ToString())));
                var e = Assert.Throws<ProviderException>(() => h.Say(new short[3200]));
                Assert.That(e.Kind, Is.EqualTo(ProviderErrorKind.InvalidRequest));
                Assert.That(e.Message, Does.Contain("uid changed"));
                other.Dispose();
            }
        }
    }
}
