using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using NUnit.Framework;
using Parley.Providers;
using Parley.Session;
using Parley.Session.Recording;
using Parley.Tests.Session.Support;

namespace Parley.Tests.Session
{
    public class RecordReplayTests
    {
        /// <summary>A live (scripted) conversation with a tool call and a barge-in, recorded.</summary>
        static (string recording, List<string> liveEvents, List<short> liveAudio) RecordConversation()
        {
            var server = new ScriptedServer();
            var writer = new StringWriter();
            var recorder = new SessionRecorder(writer);
            var speaker = new FakeSpeaker(24000);
            var options = new VoiceSessionOptions { Loop = SessionLoop.Inline };
            options.Tools.Register("check_stock", "stock", "{\"type\":\"object\"}", _ => "{\"count\":2}");
            var s = new VoiceSession(() => new RecordingProvider(server.Create(), recorder), options, new InlineDispatcher(), speaker);
            server.Settle = s.RunPending; // an Inline host pumps: what the session queued and the player's audio
            var names = new List<string>();
            s.EventRaised += e => names.Add(e.Name);
            Assert.That(s.StartAsync(CancellationToken.None).Wait(TimeSpan.FromSeconds(10)), Is.True);
            var p = server.Current;
            var speech = SessionFixture.Speech("npc-price");
            s.SendAudio(speech);
            Assert.That(server.WaitFor(() => p.SentSamples == speech.Length), Is.True);
            p.Raise(new SessionStarted { SessionId = "sess_1", Model = "gpt-realtime" });
            p.Raise(new UserSpeechStarted { ItemId = "u1" });
            p.Raise(new UserSpeechStopped { ItemId = "u1" });
            p.Raise(new UserTranscript { ItemId = "u1", Text = "Do you have swords?", IsFinal = true });
            p.Raise(new ResponseStarted { ResponseId = "r1" });
            p.Raise(new ToolCallRequested { CallId = "c1", Name = "check_stock", ArgumentsJson = "{}" });
            p.Raise(new ResponseDone { ResponseId = "r1" });
            Assert.That(server.WaitFor(() => p.ToolResults.Count == 1), Is.True);
            // The server's answer to the tool result comes after it.
            p.Raise(new ResponseStarted { ResponseId = "r2" });
            p.Raise(new AgentTranscript { ItemId = "a2", Text = "A fine blade like this costs forty gold pieces.", IsFinal = false });
            p.Audio("a2", SessionFixture.Speech("npc-price"));
            speaker.Render(500);
            s.Tick();
            // The player speaks again; the server's VAD hears it.
            var again = SessionFixture.Speech("npc-greeting");
            s.SendAudio(again);
            Assert.That(server.WaitFor(() => p.SentSamples == speech.Length + again.Length), Is.True);
            p.Raise(new UserSpeechStarted { ItemId = "u2" });
            Assert.That(server.WaitFor(() => p.Interrupts.Count == 1), Is.True);
            var usage = new TokenUsage { OutputAudioTokens = 50, TotalTokens = 50 };
            p.Raise(new ResponseDone { ResponseId = "r2", Status = ResponseStatus.Cancelled, Usage = usage });
            p.Raise(new UsageReported { Usage = usage, Source = "response", Model = "gpt-realtime" });
            s.Dispose();
            recorder.Dispose();
            return (writer.ToString(), names, new List<short>(speaker.Rendered));
        }

        [Test]
        public void ReplayReproducesTheRecordedConversation()
        {
            var (recording, liveEvents, liveAudio) = RecordConversation();
            Assert.That(recording, Does.Contain("\"type\":\"header\"").And.Contain("\"op\":\"tool_result\"").And.Contain("\"op\":\"interrupt\""));

            for (var run = 0; run < 2; run++) // twice: the same every time
            {
                var replay = new ReplayProvider(new StringReader(recording));
                Assert.That(replay.RecordedProvider, Is.EqualTo("scripted"));
                var speaker = new FakeSpeaker(24000);
                var options = new VoiceSessionOptions { Loop = SessionLoop.Inline };
                options.Tools.Register("check_stock", "stock", "{\"type\":\"object\"}", _ => "{\"count\":2}");
                var s = new VoiceSession(() => replay, options, new InlineDispatcher(), speaker);
                var names = new List<string>();
                var interrupted = new List<Interrupted>();
                s.EventRaised += e => { lock (names) names.Add(e.Name); if (e is Interrupted i) interrupted.Add(i); };
                Assert.That(s.StartAsync(CancellationToken.None).Wait(TimeSpan.FromSeconds(10)), Is.True);
                // The same input as the live run: the first utterance, 500 ms of the reply, the second utterance.
                s.SendAudio(SessionFixture.Speech("npc-price"));
                var deadline = DateTime.UtcNow.AddSeconds(10);
                while (speaker.WrittenSamples < SessionFixture.Speech("npc-price").Length && DateTime.UtcNow < deadline) { s.RunPending(); Thread.Sleep(5); }
                speaker.Render(500);
                s.Tick();
                s.SendAudio(SessionFixture.Speech("npc-greeting"));
                deadline = DateTime.UtcNow.AddSeconds(10);
                while (!replay.Completion.IsCompleted && DateTime.UtcNow < deadline) { s.RunPending(); Thread.Sleep(5); }
                Assert.That(replay.Completion.IsCompleted, Is.True, "the replay ran to the end");
                s.Dispose();

                List<string> got;
                lock (names) got = new List<string>(names);
                // The local tool finishes on its own task, so its result may land before or after the server's
                // response_done in either run; everything else comes in recorded order.
                Assert.That(got.FindAll(n => n == "tool.result").Count, Is.EqualTo(1));
                Assert.That(string.Join(",", got.FindAll(n => n != "tool.result")), Is.EqualTo(string.Join(",", liveEvents.FindAll(n => n != "tool.result"))));
                Assert.That(speaker.Rendered, Is.EqualTo(liveAudio));
                Assert.That(interrupted.Count, Is.EqualTo(1));
                Assert.That(interrupted[0].PlayedMs, Is.EqualTo(500));
                Assert.That(s.Metrics.Tokens.OutputAudioTokens, Is.EqualTo(50));
            }
        }

        [Test]
        public void ReplayReportsDivergenceWhenTheClientDoesNotDoWhatWasRecorded()
        {
            var (recording, _, _) = RecordConversation();
            var replay = new ReplayProvider(new StringReader(recording));
            // This client's tool never answers: the recorded tool_result never comes. The replay waits its default
            // (30 s) for what comes before, the player's audio (sent on the host's next pump, which a loaded machine can
            // hold back for longer than a short wait), and 200 ms from the moment the tool was called.
            var options = new VoiceSessionOptions { Loop = SessionLoop.Inline };
            options.Tools.Register("check_stock", "stock", "{\"type\":\"object\"}", async (a, ct) =>
            {
                replay.OperationTimeout = TimeSpan.FromMilliseconds(200);
                await System.Threading.Tasks.Task.Delay(System.Threading.Timeout.Infinite, ct);
                return "{}";
            }).Timeout = TimeSpan.FromMinutes(1);
            var errors = new List<SessionErrorEvent>();
            var s = new VoiceSession(() => replay, options, new InlineDispatcher(), new FakeSpeaker(24000));
            s.EventRaised += e => { if (e is SessionErrorEvent err) lock (errors) errors.Add(err); };
            Assert.That(s.StartAsync(CancellationToken.None).Wait(TimeSpan.FromSeconds(10)), Is.True);
            s.SendAudio(SessionFixture.Speech("npc-price"));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!replay.Completion.IsCompleted && DateTime.UtcNow < deadline) { s.RunPending(); Thread.Sleep(5); } // the host's frames
            Assert.That(replay.Completion.IsCompleted, Is.True);
            s.Dispose();
            lock (errors)
            {
                Assert.That(errors.Count, Is.EqualTo(1));
                Assert.That(errors[0].Code, Is.EqualTo("replay_diverged"));
                Assert.That(errors[0].Message, Does.Contain("tool_result"));
            }
        }

        [Test]
        public void NonRecordingsAreRefusedWithAClearError()
        {
            var e = Assert.Throws<InvalidDataException>(() => new ReplayProvider(new StringReader("{\"t\":1,\"type\":\"event\"}\n")));
            Assert.That(e.Message, Does.Contain("no header"));
            Assert.Throws<InvalidDataException>(() => new ReplayProvider(new StringReader("RIFF....WAVE")));
        }
    }
}
