using System;
using System.Linq;
using System.Threading;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Providers;
using Parley.Servers.Llm;

namespace Parley.Tests.HostOnly.SelfHosted
{
    [TestFixture]
    public class RivaCascadeTests
    {
        static readonly string Question = Pcm.Text("user-question");
        static readonly string Price = Pcm.Text("npc-price");
        static readonly string Quest = Pcm.Text("npc-quest");

        [Test]
        public void AFullTurnRecognisesAsksTheLlmAndSpeaksEveryPhrase()
        {
            using (var h = CascadeHarness.Start())
            {
                h.Nim.Script.Transcripts.Enqueue(Question);
                h.Voice("npc-price");
                h.Voice("npc-quest");
                h.Replies.Enqueue(new ChatReply { Text = Price + " " + Quest });
                h.Connect();
                Assert.That(h.Provider.Capabilities.InputSampleRate, Is.EqualTo(16000));
                Assert.That(h.Provider.Capabilities.OutputSampleRate, Is.EqualTo(CascadeHarness.TtsRate));

                h.Say(Pcm.WithSilence(Pcm.Speech("user-question", 16000), 16000, 1000));
                var done = h.Listener.WaitFor<ResponseDone>(d => true, "the reply");
                Assert.That(done.Status, Is.EqualTo(ResponseStatus.Completed));

                // ASR: partials while speaking, then the final, framed by speech start/stop.
                var user = h.Listener.All<UserTranscript>();
                Assert.That(user.Count(u => !u.IsFinal), Is.GreaterThan(2));
                Assert.That(user.Single(u => u.IsFinal).Text, Is.EqualTo(Question));
                Assert.That(h.Listener.All<UserSpeechStarted>().Count, Is.EqualTo(1));
                Assert.That(h.Nim.UncommittedAppends, Is.EqualTo(0), "the NIM needs a commit after every append");
                Assert.That(h.Nim.Commits, Is.EqualTo(h.Nim.Appends));

                // LLM got the system prompt and the transcript.
                var request = h.Requests.Single();
                var messages = (JArray)request["messages"];
                Assert.That((string)messages[0]["role"], Is.EqualTo("system"));
                Assert.That((string)messages[1]["content"], Is.EqualTo(Question));
                Assert.That((bool)request["stream"], Is.True);

                // TTS: one phrase per sentence, and the audio is exactly both voices in order.
                Assert.That(h.Nim.SynthesizedTexts.ToArray(), Is.EqualTo(new[] { Price, Quest }));
                var expected = Pcm.Speech("npc-price", CascadeHarness.TtsRate).Concat(Pcm.Speech("npc-quest", CascadeHarness.TtsRate)).ToArray();
                var item = h.Listener.All<AgentAudioDone>().Single().ItemId;
                Assert.That(h.Listener.AudioOf(item), Is.EqualTo(expected));
                Assert.That(h.Listener.All<AgentTranscript>().Single(t => t.IsFinal).Text, Is.EqualTo(Price + " " + Quest));

                // Latency of every stage was measured.
                var latency = h.Listener.All<LatencyReported>().Single();
                Assert.That(latency.AsrFinalDelayMs, Is.GreaterThanOrEqualTo(0));
                Assert.That(latency.LlmFirstTokenMs, Is.GreaterThan(0));
                Assert.That(latency.TtsFirstByteMs, Is.GreaterThan(0));
                Assert.That(latency.UserStopToFirstAudioMs, Is.GreaterThan(latency.AsrFinalDelayMs));
                Assert.That(h.Listener.All<UsageReported>().Single().Usage.InputTextTokens, Is.EqualTo(42));

                var history = h.Provider.History;
                Assert.That(history.Last().Role, Is.EqualTo("assistant"));
                Assert.That(history.Last().Content, Is.EqualTo(Price + " " + Quest));
            }
        }

        [Test]
        public void BargeInCancelsLlmAndTtsAndTheHistoryKeepsOnlyWhatWasHeard()
        {
            using (var h = CascadeHarness.Start(s => { s.TtsSpeed = 1; }))
            {
                h.Nim.Script.Transcripts.Enqueue(Question);
                h.Nim.Script.Transcripts.Enqueue(Pcm.Text("user-interrupt"));
                h.Voice("npc-price");
                h.Voice("npc-quest");
                // A long, slow reply, held a few words into its second sentence (a gate, not pacing): the LLM is still
                // streaming when the player cuts in, however loaded the machine.
                var longReply = Price + " " + Quest + " " + Price + " " + Quest + " " + Price;
                h.Replies.Enqueue(new ChatReply { Text = longReply, PieceChars = 4, DelayPerPiece = TimeSpan.FromMilliseconds(40), HoldAfterPieces = Price.Length / 4 + 4 });
                h.Replies.Enqueue(new ChatReply { Text = "As you wish." });
                h.Connect();
                h.Say(Pcm.WithSilence(Pcm.Speech("user-question", 16000), 16000, 1000));

                var started = h.Listener.WaitFor<ResponseStarted>(r => true, "the reply to start");
                h.Listener.WaitUntil(() => h.Listener.TotalSamples >= CascadeHarness.TtsRate, "one second of agent audio");

                // The player talks over the agent; the session reacts to speech start with the played cursor.
                string userItem = null;
                h.Listener.OnEventHook = e => { if (e is UserSpeechStarted s) userItem = s.ItemId; };
                var item = h.Listener.Audio.Keys.Single();
                h.Say(Pcm.Speech("user-interrupt", 16000).Take(16000 * 6 / 10).ToArray());
                h.Listener.WaitUntil(() => userItem != null, "the barge-in speech start");
                var received = h.Listener.Samples(item);
                var playedMs = (int)(received * 1000L / CascadeHarness.TtsRate) - 300;
                CascadeHarness.Run(h.Provider.InterruptAsync(new InterruptRequest(item, playedMs), CancellationToken.None));
                var afterInterrupt = h.Listener.Samples(item);

                var done = h.Listener.WaitFor<ResponseDone>(d => d.ResponseId == started.ResponseId, "the interrupted reply to end");
                Assert.That(done.Status, Is.EqualTo(ResponseStatus.Interrupted));
                Assert.That(h.Llm.AbortSignal.Wait(10000), Is.True, "the LLM stream was not cancelled");
                Assert.That(h.Nim.TtsClosedSignal.Wait(10000), Is.True, "the TTS stream was not closed");
                Assert.That(h.Llm.Completed, Is.EqualTo(0));

                // The heard text is a word prefix of the reply, shorter than it, and ends inside the first sentence
                // or just after it (played ≈ received − 300 ms of a 22 kHz voice).
                var heard = h.Provider.History.Last(m => m.Role == "assistant").Content;
                Assert.That(heard.Length, Is.GreaterThan(0));
                Assert.That(longReply.StartsWith(heard), Is.True, "'" + heard + "' is not a prefix of the reply");
                Assert.That(heard.Split(' ').Length, Is.LessThan(longReply.Split(' ').Length / 2));

                // The rest of the barge-in utterance ends the player's turn: the next request has it after the heard text.
                h.Say(Pcm.WithSilence(Pcm.Speech("user-interrupt", 16000).Skip(16000 * 6 / 10).ToArray(), 16000, 1000));
                h.Listener.WaitUntil(() => h.Llm.Requests.Count >= 2, "the next LLM request");
                var messages = (JArray)h.Requests[1]["messages"];
                Assert.That((string)messages[messages.Count - 2]["content"], Is.EqualTo(heard));
                Assert.That((string)messages[messages.Count - 1]["content"], Is.EqualTo(Pcm.Text("user-interrupt")));
                // The interrupted item's TTS stream closed and its LLM stream was cancelled (both waited for above), and
                // the next request went out: nothing can still add to it, so no waiting window is needed.
                Assert.That(h.Listener.Samples(item), Is.EqualTo(afterInterrupt), "audio of the interrupted item kept coming");
            }
        }

        [Test]
        public void AToolCallIsAssembledAndItsResultContinuesTheReply()
        {
            using (var h = CascadeHarness.Start())
            {
                h.Voice("npc-price");
                var call = new ChatReply { PieceChars = 3 };
                call.ToolCalls.Add(("get_price", "{\"item\":\"sword\",\"quality\":\"fine\"}"));
                h.Replies.Enqueue(call);
                h.Replies.Enqueue(new ChatReply { Text = Price });
                var config = new SessionConfig { Instructions = "You are a blacksmith." };
                config.Tools.Add(new ToolDeclaration("get_price", "Price of an item in gold", "{\"type\":\"object\",\"properties\":{\"item\":{\"type\":\"string\"}},\"required\":[\"item\"]}"));
                h.Connect(config);
                CascadeHarness.Run(h.Provider.SendTextAsync("How much for a fine sword?", CancellationToken.None));

                var tool = h.Listener.WaitFor<ToolCallRequested>(t => true, "the tool call");
                Assert.That(tool.Name, Is.EqualTo("get_price"));
                Assert.That((string)JObject.Parse(tool.ArgumentsJson)["item"], Is.EqualTo("sword"));
                var first = h.Listener.WaitFor<ResponseDone>(d => true, "the tool-call response");
                Assert.That(first.Reason, Is.EqualTo("tool_calls"));
                var tools = (JArray)h.Requests[0]["tools"];
                Assert.That((string)tools[0]["function"]["name"], Is.EqualTo("get_price"));

                CascadeHarness.Run(h.Provider.SendToolResultAsync(tool.CallId, tool.Name, "{\"gold\":40}", CancellationToken.None));
                h.Listener.WaitUntil(() => h.Listener.All<ResponseDone>().Count == 2, "the spoken answer");
                var messages = (JArray)h.Requests[1]["messages"];
                var assistant = messages[messages.Count - 2];
                Assert.That((string)assistant["tool_calls"][0]["id"], Is.EqualTo(tool.CallId));
                Assert.That((string)assistant["tool_calls"][0]["function"]["arguments"], Is.EqualTo(tool.ArgumentsJson));
                Assert.That((string)messages[messages.Count - 1]["role"], Is.EqualTo("tool"));
                Assert.That((string)messages[messages.Count - 1]["tool_call_id"], Is.EqualTo(tool.CallId));
                var spoken = h.Listener.All<AgentAudioDone>().Last().ItemId;
                Assert.That(h.Listener.AudioOf(spoken), Is.EqualTo(Pcm.Speech("npc-price", CascadeHarness.TtsRate)));
            }
        }

        [Test]
        public void AnLlmErrorMidStreamFailsTheReplyButLosesNothingThePlayerSaid()
        {
            using (var h = CascadeHarness.Start())
            {
                h.Replies.Enqueue(new ChatReply { Text = Price + " " + Quest, Failure = ChatFailure.ErrorEvent, FailAfterPieces = 3 });
                h.Replies.Enqueue(new ChatReply { Text = "Sorry, where was I?" });
                h.Connect();
                CascadeHarness.Run(h.Provider.SendTextAsync("Can you sharpen my sword?", CancellationToken.None));
                var error = h.Listener.WaitFor<ProviderError>(e => true, "the error");
                Assert.That(error.ErrorKind, Is.EqualTo(ProviderErrorKind.Server));
                Assert.That(error.Message, Does.Contain("CUDA out of memory"));
                Assert.That(error.IsFatal, Is.False);
                Assert.That(h.Listener.WaitFor<ResponseDone>(d => true, "the failed reply").Status, Is.EqualTo(ResponseStatus.Failed));

                CascadeHarness.Run(h.Provider.SendTextAsync("Hello?", CancellationToken.None));
                h.Listener.WaitUntil(() => h.Listener.All<ResponseDone>().Count == 2, "the second reply");
                var users = ((JArray)h.Requests[1]["messages"]).Where(m => (string)m["role"] == "user").Select(m => (string)m["content"]).ToArray();
                Assert.That(users, Is.EqualTo(new[] { "Can you sharpen my sword?", "Hello?" }));
            }
        }

        /// <summary>SSE failures of the LLM stage through the one error table: the reply fails, the session goes on.</summary>
        public static System.Collections.Generic.IEnumerable<TestCaseData> LlmFailures()
        {
            yield return new TestCaseData(ChatFailure.Truncate, 0, ProviderErrorKind.Protocol, "truncated").SetName("SSE truncated mid-stream → Protocol truncated");
            yield return new TestCaseData(ChatFailure.Abort, 0, ProviderErrorKind.Transport, "connection_lost").SetName("SSE connection reset mid-stream → Transport connection_lost");
            yield return new TestCaseData(ChatFailure.Hang, 0, ProviderErrorKind.Stalled, "stalled").SetName("SSE silent mid-stream → Stalled stalled");
            yield return new TestCaseData(ChatFailure.HttpStatus, 500, ProviderErrorKind.Server, "500").SetName("LLM HTTP 500 → Server");
            yield return new TestCaseData(ChatFailure.HttpStatus, 401, ProviderErrorKind.Authentication, "401").SetName("LLM HTTP 401 → Authentication");
            yield return new TestCaseData(ChatFailure.HttpStatus, 429, ProviderErrorKind.RateLimited, "429").SetName("LLM HTTP 429 → RateLimited");
        }

        [TestCaseSource(nameof(LlmFailures))]
        public void BrokenLlmStreamsBecomeTypedErrors(ChatFailure failure, int status, ProviderErrorKind kind, string code)
        {
            // Only the hang waits out the idle timeout; every other case keeps a wide one, so load cannot turn it into a stall.
            var idle = TimeSpan.FromSeconds(failure == ChatFailure.Hang ? 2 : 30);
            using (var h = CascadeHarness.Start(null, c => c.LlmOptions.IdleTimeout = idle))
            {
                h.Replies.Enqueue(new ChatReply { Text = Price, Failure = failure, FailAfterPieces = 2, Status = status == 0 ? 500 : status });
                h.Replies.Enqueue(new ChatReply { Text = "Where was I?" });
                h.Connect();
                CascadeHarness.Run(h.Provider.SendTextAsync("Hi", CancellationToken.None));
                var error = h.Listener.WaitFor<ProviderError>(e => true, "the error");
                Assert.That(error.ErrorKind, Is.EqualTo(kind));
                Assert.That(error.Code, Is.EqualTo(code));
                Assert.That(error.IsFatal, Is.False, "one reply failed; the connection is fine");
                Assert.That(h.Listener.WaitFor<ResponseDone>(d => true, "the failed reply").Status, Is.EqualTo(ResponseStatus.Failed));
                Assert.That(h.Listener.All<Disconnected>(), Is.Empty);
                // The cascade goes on: the next reply is asked for and completes.
                CascadeHarness.Run(h.Provider.SendTextAsync("Hello?", CancellationToken.None));
                h.Listener.WaitUntil(() => h.Listener.All<ResponseDone>().Count == 2, "the next reply");
                Assert.That(h.Listener.All<ResponseDone>()[1].Status, Is.EqualTo(ResponseStatus.Completed));
            }
        }

        [Test]
        public void ADroppedAsrConnectionIsAFatalTransportErrorAndADisconnect()
        {
            using (var h = CascadeHarness.Start(s => s.AsrDropAfterMs = 500))
            {
                h.Connect();
                h.Say(Pcm.Speech("user-question", 16000).Take(16000).ToArray());
                var gone = h.Listener.WaitFor<Disconnected>(d => true, "the disconnect");
                Assert.That(gone.ByClient, Is.False);
                Assert.That(gone.Error.ErrorKind, Is.EqualTo(ProviderErrorKind.Transport));
                Assert.That(gone.Recoverable, Is.True);
                Assert.That(h.Listener.All<ProviderError>().Single(), Is.SameAs(gone.Error));
                Assert.That(h.Provider.IsConnected, Is.False);
            }
        }

        [Test]
        public void AnAsrServerErrorIsSurfacedWithItsMessage()
        {
            using (var h = CascadeHarness.Start(s => s.AsrErrorAfterMs = 300))
            {
                h.Connect();
                h.Say(Pcm.Speech("user-question", 16000).Take(8000).ToArray());
                var error = h.Listener.WaitFor<Disconnected>(d => true, "the disconnect").Error;
                Assert.That(error.Message, Does.Contain("Triton inference failed"));
                Assert.That(error.IsFatal, Is.True);
            }
        }

        [Test]
        public void ATtsThatWouldSendAnotherRateIsRefused()
        {
            using (var h = CascadeHarness.Start(s => s.ReportedTtsRate = 44100))
            {
                h.Replies.Enqueue(new ChatReply { Text = Price });
                h.Connect();
                CascadeHarness.Run(h.Provider.SendTextAsync("Hi", CancellationToken.None));
                var error = h.Listener.WaitFor<ProviderError>(e => true, "the error");
                Assert.That(error.ErrorKind, Is.EqualTo(ProviderErrorKind.Protocol));
                Assert.That(error.Code, Is.EqualTo("sample_rate"));
                Assert.That(h.Listener.TotalSamples, Is.EqualTo(0));
            }
        }

        [Test]
        public void ManualTurnEndFlushesTheRecogniserAndTheNextTurnOpensANewStream()
        {
            using (var h = CascadeHarness.Start())
            {
                h.Nim.Script.Transcripts.Enqueue(Question);
                h.Nim.Script.Transcripts.Enqueue(Pcm.Text("user-thanks"));
                h.Connect(new SessionConfig { TurnDetection = new TurnDetection { Mode = TurnDetectionMode.Manual } });
                // No trailing silence: only input_audio_buffer.done ends the utterance.
                h.Say(Pcm.Speech("user-question", 16000));
                CascadeHarness.Run(h.Provider.EndUserTurnAsync(CancellationToken.None));
                Assert.That(h.Listener.All<UserTranscript>().Single(u => u.IsFinal).Text, Is.EqualTo(Question));
                h.Listener.WaitUntil(() => h.Listener.All<ResponseDone>().Count == 1, "the first reply");
                h.Say(Pcm.Speech("user-thanks", 16000));
                CascadeHarness.Run(h.Provider.EndUserTurnAsync(CancellationToken.None));
                Assert.That(h.Listener.All<UserTranscript>().Last(u => u.IsFinal).Text, Is.EqualTo(Pcm.Text("user-thanks")));
                Assert.That(h.Nim.AsrSessions, Is.EqualTo(2));
            }
        }
    }
}
