using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Parley.Providers;
using Parley.Providers.Llm;

namespace Parley.Fuzz
{
    /// <summary>
    /// A chat-completions SSE body as the cascade reads it: <see cref="ChatCompletionsClient.StreamAsync"/> over an
    /// in-memory HTTP handler whose body arrives in random pieces, so <see cref="SseStreamReader"/>, <see cref="SseParser"/>,
    /// the chunk reader and <see cref="ToolCallAssembler"/> all run. Every failure must be a <see cref="ProviderException"/>.
    /// </summary>
    public sealed class LlmStreamTarget : FuzzTarget
    {
        readonly BodyHandler _handler = new BodyHandler();
        readonly ChatCompletionsClient _client;
        readonly List<ChatMessage> _messages = new List<ChatMessage> { ChatMessage.User("hi") };

        public LlmStreamTarget()
        {
            _client = new ChatCompletionsClient(new ChatCompletionsOptions { BaseUri = new Uri("http://127.0.0.1:9/v1"), Model = "m" }, new HttpClient(_handler));
        }

        public override string Name => "llm-stream";
        public override string Decoder => "ChatCompletionsClient.StreamAsync (SseStreamReader, SseParser, chunk reader, ToolCallAssembler)";
        public override string TypedErrors => "ProviderException";
        public override bool IsTypedError(Exception e) => e is ProviderException;

        public override IEnumerable<byte[]> Seeds(SeedFiles files) => StreamSeeds();

        /// <summary>Streams as vLLM, NIM and OpenAI send them (first delta with empty content, tools in pieces, usage, errors).</summary>
        internal static IEnumerable<byte[]> StreamSeeds()
        {
            const string head = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,";
            string Chunk(string delta, string finish = null) => "data: " + head + "\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n";
            yield return Encoding.UTF8.GetBytes(
                Chunk("{\"role\":\"assistant\",\"content\":\"\"}") + Chunk("{\"content\":\"Hello\"}") + Chunk("{\"content\":\" th\u00e9re.\"}")
                + Chunk("{}", "stop") + "data: {\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_tokens\":12}}\n\n" + "data: [DONE]\n\n");
            yield return Encoding.UTF8.GetBytes(
                Chunk("{\"role\":\"assistant\",\"content\":\"\"}")
                + Chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}")
                + Chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}")
                + Chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Oslo\\\"}\"}}]}")
                + Chunk("{\"tool_calls\":[{\"index\":1,\"id\":\"call_2\",\"function\":{\"name\":\"t\",\"arguments\":\"{}\"}}]}")
                + Chunk("{}", "tool_calls") + "data: [DONE]\n\n");
            yield return Encoding.UTF8.GetBytes(": keep-alive\r\n\r\nevent: message\r\ndata: " + head + "\"delta\":{\"content\":\"a\"},\"finish_reason\":null}]}\r\n\r\ndata: " + head + "\"delta\":{},\"finish_reason\":\"length\"}]}\r\n\r\n");
            yield return Encoding.UTF8.GetBytes("data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"code\":\"503\"}}\n\n");
            yield return Encoding.UTF8.GetBytes("data: {\"object\":\"error\",\"message\":\"bad\",\"error\":\"plain\"}\n\n");
            yield return Encoding.UTF8.GetBytes(Chunk("{\"content\":\"cut\"}"));
            yield return Encoding.UTF8.GetBytes("data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\ndata: \n\n");
        }

        public override Outcome Run(byte[] input)
        {
            _handler.Body = input;
            var result = _client.StreamAsync(_messages, null, null, CancellationToken.None).GetAwaiter().GetResult();
            if (result.Text == null) throw new FuzzFinding("A completed stream without text.");
            foreach (var call in result.ToolCalls)
                if (string.IsNullOrEmpty(call.Id) || call.Name == null || string.IsNullOrEmpty(call.ArgumentsJson)) throw new FuzzFinding("A tool call without id, name or arguments.");
            return Outcome.Decoded;
        }

        public override void Dispose() => _client.Dispose();

        sealed class BodyHandler : HttpMessageHandler
        {
            public byte[] Body;

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new PiecewiseStream(Body)) };
                response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/event-stream");
                return Task.FromResult(response);
            }
        }

        /// <summary>Hands the body out in pieces of 1–97 bytes (deterministic per body), as a network would.</summary>
        sealed class PiecewiseStream : MemoryStream
        {
            readonly Random _rng;

            public PiecewiseStream(byte[] body) : base(body, false) => _rng = new Random(body.Length);

            public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1 + _rng.Next(97)));

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
                Task.FromResult(Read(buffer, offset, count));

            public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
                new ValueTask<int>(base.Read(buffer.Span.Slice(0, Math.Min(buffer.Length, 1 + _rng.Next(97)))));
        }
    }
}
