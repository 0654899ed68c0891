using System.Linq;
using System.Threading;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Providers;
using Parley.Servers.Llm;

namespace Parley.Tests.HostOnly.SelfHosted
{
    /// <summary>
    /// Game context on the Riva cascade over loopback (NIM realtime + chat-completions servers): a system message in
    /// the LLM history, no request of its own, carried by the next reply's request; while a reply streams it is held
    /// and placed after that reply; never between an assistant's tool_calls and their results (the chat server
    /// refuses such a conversation with 400).
    /// </summary>
    public class RivaContextTests
    {
        const string Lantern = "The player picked up the lantern.";
        const string Storm = "A storm is coming.";

        static string[] Roles(JObject request) => ((JArray)request["messages"]).Select(m => (string)m["role"] + ": " + ((string)m["content"] ?? "(tool_calls)")).ToArray();

        [Test]
        public void ContextIsInTheNextRequestWithoutARequestOfItsOwnAndWaitsForTheReplyInProgress()
        {
            using (var h = CascadeHarness.Start())
            {
                var held = new ChatReply { Text = "Welcome to my forge, traveller.", HoldAfterPieces = 2 };
                h.Replies.Enqueue(held);
                h.Replies.Enqueue(new ChatReply { Text = "Take the east road." });
                h.Connect(new SessionConfig { Instructions = "You are a blacksmith." });

                Assert.That(CascadeHarness.Run(h.Provider.AddContextAsync(Lantern, CancellationToken.None)), Is.EqualTo(ContextDelivery.Sent));
                Assert.That(h.Requests, Is.Empty, "no LLM request for context");

                CascadeHarness.Run(h.Provider.SendTextAsync("Hello?", CancellationToken.None));
                h.Listener.WaitUntil(() => h.Requests.Count == 1, "the first request");
                Assert.That(Roles(h.Requests[0]), Is.EqualTo(new[] { "system: You are a blacksmith.", "system: " + Lantern, "user: Hello?" }));

                // Mid-reply (the LLM stream is held by the server's gate): held, then placed after the reply.
                Assert.That(CascadeHarness.Run(h.Provider.AddContextAsync(Storm, CancellationToken.None)), Is.EqualTo(ContextDelivery.Queued));
                held.Release.Release();
                var first = h.Listener.WaitFor<ResponseDone>(d => true, "the first reply");
                Assert.That(first.Status, Is.EqualTo(ResponseStatus.Completed), "the reply went on");
                Assert.That(h.Requests.Count, Is.EqualTo(1), "still no request for context");
                Assert.That(h.Listener.All<ResponseStarted>().Count, Is.EqualTo(1));

                CascadeHarness.Run(h.Provider.SendTextAsync("Which way?", CancellationToken.None));
                h.Listener.WaitUntil(() => h.Listener.All<ResponseDone>().Count == 2, "the second reply");
                Assert.That(Roles(h.Requests[1]), Is.EqualTo(new[]
                {
                    "system: You are a blacksmith.", "system: " + Lantern, "user: Hello?", "assistant: Welcome to my forge, traveller.",
                    "system: " + Storm, "user: Which way?",
                }));
                Assert.That(h.Llm.Problems, Is.Empty);
            }
        }

        [Test]
        public void ContextWhileAToolRunsWaitsUntilItsResultSoTheConversationStaysValid()
        {
            using (var h = CascadeHarness.Start())
            {
                var call = new ChatReply { PieceChars = 4 };
                call.ToolCalls.Add(("open_gate", "{\"gate\":\"north\"}"));
                h.Replies.Enqueue(call);
                h.Replies.Enqueue(new ChatReply { Text = "The gate is open." });
                var config = new SessionConfig { Instructions = "You are a guard." };
                config.Tools.Add(new ToolDeclaration("open_gate", "Opens a gate", "{\"type\":\"object\",\"properties\":{\"gate\":{\"type\":\"string\"}}}"));
                h.Connect(config);
                CascadeHarness.Run(h.Provider.SendTextAsync("Open the north gate.", CancellationToken.None));
                var tool = h.Listener.WaitFor<ToolCallRequested>(t => true, "the tool call");
                h.Listener.WaitFor<ResponseDone>(d => true, "the tool-call response");

                Assert.That(CascadeHarness.Run(h.Provider.AddContextAsync(Lantern, CancellationToken.None)), Is.EqualTo(ContextDelivery.Queued));
                CascadeHarness.Run(h.Provider.SendToolResultAsync(tool.CallId, tool.Name, "{\"ok\":true}", CancellationToken.None));
                h.Listener.WaitUntil(() => h.Listener.All<ResponseDone>().Count == 2, "the spoken answer");
                var roles = Roles(h.Requests[1]);
                Assert.That(roles.Skip(roles.Length - 3), Is.EqualTo(new[] { "assistant: (tool_calls)", "tool: {\"ok\":true}", "system: " + Lantern }));
                Assert.That(h.Llm.Problems, Is.Empty, "the chat server accepted every conversation");
            }
        }

        [Test]
        public void TheChatServerRefusesContextBetweenToolCallsAndResults()
        {
            // The validator the tests above rely on: it catches the order the provider must avoid.
            var bad = JArray.Parse("[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},{\"role\":\"system\",\"content\":\"ctx\"},{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"{}\"}]");
            Assert.That(ChatCompletionsServer.MessagesProblem(bad), Does.Contain("tool_calls"));
            var good = JArray.Parse("[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"{}\"},{\"role\":\"system\",\"content\":\"ctx\"}]");
            Assert.That(ChatCompletionsServer.MessagesProblem(good), Is.Null);
        }
    }
}
