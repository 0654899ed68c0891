using System;
using System.Linq;
using System.Threading;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Providers;
using Parley.Servers.Llm;

namespace Parley.Tests.HostOnly.SelfHosted
{
    /// <summary>
    /// Issue 10, failure 3: a tool-only LLM reply streamed as vLLM/NIM/OpenAI stream it (first delta
    /// {"role":"assistant","content":""}, then tool_calls deltas, finish_reason "tool_calls") against a NIM that
    /// answers an empty synthesis with nothing. It used to open an empty TTS stream that stalled the turn.
    /// </summary>
    [TestFixture]
    public class RivaToolOnlyReplyTests
    {
        static readonly string Price = Pcm.Text("npc-price");

        [Test]
        public void AToolOnlyReplyOpensNoTts_TheToolRuns_ItsResultGoesBackWithTheCallId_AndTheFollowUpIsSpoken()
        {
            using (var h = CascadeHarness.Start(s => s.SilentOnEmptySynthesis = true))
            {
                h.Voice("npc-price");
                var call = new ChatReply { PieceChars = 4 };
                call.ToolCalls.Add(("get_price", "{\"item\":\"sword\"}"));
                h.Replies.Enqueue(call);
                h.Replies.Enqueue(new ChatReply { Text = Price });
                var config = new SessionConfig { Instructions = "You are a blacksmith." };
                config.Tools.Add(new ToolDeclaration("get_price", "Price of an item in gold", "{\"type\":\"object\",\"properties\":{\"item\":{\"type\":\"string\"}}}"));
                h.Connect(config);
                CascadeHarness.Run(h.Provider.SendTextAsync("How much for a sword?", CancellationToken.None));

                // Bounded well inside the 10 s stall setting: the tool call comes with the LLM stream's end.
                var tool = h.Listener.WaitFor<ToolCallRequested>(t => true, "the tool call", 8000);
                var first = h.Listener.WaitFor<ResponseDone>(d => true, "the tool-call response", 8000);
                Assert.That(first.Status, Is.EqualTo(ResponseStatus.Completed));
                Assert.That(first.Reason, Is.EqualTo("tool_calls"));
                Assert.That(h.Nim.TtsSessions, Is.EqualTo(0), "no TTS stream for a reply without text");
                Assert.That(h.Listener.All<AgentAudioDone>(), Is.Empty, "no audio, so no audio-done");
                Assert.That(h.Listener.All<ProviderError>(), Is.Empty);

                CascadeHarness.Run(h.Provider.SendToolResultAsync(tool.CallId, tool.Name, "{\"gold\":40}", CancellationToken.None));
                h.Listener.WaitUntil(() => h.Listener.All<ResponseDone>().Count == 2, "the spoken follow-up");
                var messages = (JArray)h.Requests[1]["messages"];
                var assistant = messages[messages.Count - 2];
                Assert.That((string)assistant["role"], Is.EqualTo("assistant"));
                Assert.That((string)assistant["tool_calls"][0]["id"], Is.EqualTo(tool.CallId));
                Assert.That((string)messages[messages.Count - 1]["role"], Is.EqualTo("tool"));
                Assert.That((string)messages[messages.Count - 1]["tool_call_id"], Is.EqualTo(tool.CallId));
                Assert.That((string)messages[messages.Count - 1]["content"], Is.EqualTo("{\"gold\":40}"));
                var spoken = h.Listener.All<AgentAudioDone>().Single().ItemId;
                Assert.That(h.Listener.AudioOf(spoken), Is.EqualTo(Pcm.Speech("npc-price", CascadeHarness.TtsRate)));
                Assert.That(h.Nim.TtsSessions, Is.EqualTo(1));
                Assert.That(h.Listener.All<ResponseDone>().Last().Status, Is.EqualTo(ResponseStatus.Completed));
            }
        }

        [Test]
        public void AReplyOfOnlyWhitespaceOpensNoTtsStream()
        {
            using (var h = CascadeHarness.Start(s => s.SilentOnEmptySynthesis = true))
            {
                h.Replies.Enqueue(new ChatReply { Text = "  \n ", PieceChars = 2 });
                h.Connect();
                CascadeHarness.Run(h.Provider.SendTextAsync("...", CancellationToken.None));
                var done = h.Listener.WaitFor<ResponseDone>(d => true, "the empty reply", 8000);
                Assert.That(done.Status, Is.EqualTo(ResponseStatus.Completed));
                Assert.That(h.Nim.TtsSessions, Is.EqualTo(0));
                Assert.That(h.Listener.All<ProviderError>(), Is.Empty);
            }
        }
    }
}
