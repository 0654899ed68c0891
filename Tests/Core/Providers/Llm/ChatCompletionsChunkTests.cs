using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Parley.Providers;
using Parley.Providers.Llm;

namespace Parley.Tests.Providers.Llm
{
    /// <summary>
    /// Stream chunks of the wrong shape, found by fuzzing (Tools~/Parley.Fuzz, target llm-stream): each leaked a
    /// Json.NET exception (InvalidOperationException, ArgumentException, FormatException, OverflowException) out of
    /// <see cref="ChatCompletionsClient.StreamAsync"/>, whose contract is "every failure is a ProviderException".
    /// A field of the wrong type now reads as absent. In-memory HTTP handler: no sockets, runs in Unity too.
    /// </summary>
    public class ChatCompletionsChunkTests
    {
        sealed class Body : HttpMessageHandler
        {
            readonly string _sse;
            public Body(string sse) { _sse = sse; }

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
                Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(_sse, Encoding.UTF8, "text/event-stream") });
        }

        static ChatCompletionResult Stream(string sse)
        {
            using (var client = new ChatCompletionsClient(new ChatCompletionsOptions { BaseUri = new Uri("http://127.0.0.1:9/v1") }, new HttpClient(new Body(sse))))
                return client.StreamAsync(new List<ChatMessage> { ChatMessage.User("hi") }, null, null, CancellationToken.None).GetAwaiter().GetResult();
        }

        [TestCase("{\"choices\":[1]}")]
        [TestCase("{\"choices\":[[[]]]}")]
        [TestCase("{\"choices\":[{\"delta\":[1],\"finish_reason\":{}}]}")]
        [TestCase("{\"choices\":[{\"delta\":{\"content\":{\"a\":1},\"tool_calls\":[1,{\"index\":1e30,\"id\":[],\"function\":\"f\"}]}}]}")]
        [TestCase("{\"usage\":{\"prompt_tokens\":\"AAA=\",\"completion_tokens\":99999999999999999999999,\"total_tokens\":[]}}")]
        public void A_chunk_of_the_wrong_shape_is_skipped_field_by_field(string chunk)
        {
            var result = Stream("data: " + chunk + "\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
            Assert.That(result.Text, Is.EqualTo("ok"));
            Assert.That(result.FinishReason, Is.EqualTo("stop"));
        }

        [Test]
        public void Wrong_types_in_usage_and_tool_calls_read_as_absent()
        {
            var result = Stream(
                "data: {\"choices\":[{\"delta\":{\"tool_calls\":[1,{\"index\":1e30,\"id\":[],\"function\":{\"name\":\"f\",\"arguments\":{}}}]}}]}\n\n"
                + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":\"12\",\"completion_tokens\":3,\"total_tokens\":1e30}}\n\ndata: [DONE]\n\n");
            // Item 0 (not an object) has no fields; item 1's index is out of range, so its position stands in.
            Assert.That(result.ToolCalls.Count, Is.EqualTo(2));
            Assert.That(result.ToolCalls[0].Id, Is.EqualTo("call_0"));
            Assert.That(result.ToolCalls[1].Name, Is.EqualTo("f"));
            Assert.That(result.ToolCalls[1].ArgumentsJson, Is.EqualTo("{}"));
            Assert.That(result.Usage.InputTextTokens, Is.EqualTo(0), "a string is not a count");
            Assert.That(result.Usage.OutputTextTokens, Is.EqualTo(3));
            Assert.That(result.Usage.TotalTokens, Is.EqualTo(0));
        }

        [TestCase("{\"error\":{\"message\":[1],\"code\":[]}}", "server_error")]
        [TestCase("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"code\":\"503\"}}", "503")]
        [TestCase("{\"error\":\"plain\"}", "server_error")]
        public void An_error_chunk_is_a_server_error_whatever_its_shape(string chunk, string code)
        {
            var e = Assert.Throws<ProviderException>(() => Stream("data: " + chunk + "\n\n"));
            Assert.That(e.Kind, Is.EqualTo(ProviderErrorKind.Server));
            Assert.That(e.Code, Is.EqualTo(code));
        }
    }
}
