using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Parley.Servers.Common;

namespace Parley.Servers.Llm
{
    public enum ChatFailure { None, ErrorEvent, Truncate, Abort, Hang, HttpStatus }

    /// <summary>What the server answers to one request.</summary>
    public sealed class ChatReply
    {
        public string Text = "";
        /// <summary>Tool calls (name, arguments JSON) streamed as deltas instead of (or after) text.</summary>
        public readonly List<(string Name, string Arguments)> ToolCalls = new List<(string, string)>();
        /// <summary>Characters per content delta, and per arguments piece of a tool call.</summary>
        public int PieceChars = 5;
        public TimeSpan DelayPerPiece = TimeSpan.FromMilliseconds(5);
        public TimeSpan FirstTokenDelay = TimeSpan.Zero;
        /// <summary>
        /// An explicit gate instead of pacing: after this many content pieces the stream waits for
        /// <see cref="Release"/> (or the client hanging up), so a test knows the reply is still in flight. -1: no gate.
        /// </summary>
        public int HoldAfterPieces = -1;
        public readonly SemaphoreSlim Release = new SemaphoreSlim(0);
        public ChatFailure Failure;
        /// <summary>Content pieces sent before the failure happens.</summary>
        public int FailAfterPieces = 2;
        public int Status = 500;
        public bool Usage = true;
    }

    /// <summary>
    /// An OpenAI-compatible /v1/chat/completions server that streams SSE exactly as vLLM/NIM do: a role delta,
    /// content deltas, tool_calls deltas (id and name first, arguments in pieces), a finish_reason chunk, an
    /// optional usage chunk and data: [DONE]. Records every request and whether the client hung up mid-stream.
    /// </summary>
    public sealed class ChatCompletionsServer : IAsyncDisposable
    {
        readonly WebApplication _app;
        readonly Func<JObject, ChatReply> _script;
        public readonly ConcurrentQueue<JObject> Requests = new ConcurrentQueue<JObject>();
        /// <summary>Requests refused as malformed (400), with the reason.</summary>
        public readonly ConcurrentQueue<string> Problems = new ConcurrentQueue<string>();

        /// <summary>
        /// The chat-completions rules a conversation must follow: a known role per message; string content for
        /// system and user; every tool message answers a call of the assistant message right before its run of tool
        /// messages, and every such call is answered before any other message.
        /// </summary>
        public static string MessagesProblem(JArray messages)
        {
            if (messages == null || messages.Count == 0) return "messages must be a non-empty array";
            HashSet<string> open = null;
            for (var i = 0; i < messages.Count; i++)
            {
                var m = messages[i] as JObject;
                var role = (string)m?["role"];
                if (open != null && open.Count > 0 && role != "tool")
                    return "messages[" + i + "]: an assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id' (missing " + string.Join(", ", open) + ")";
                switch (role)
                {
                    case "system":
                    case "user":
                        if (m["content"]?.Type != JTokenType.String) return "messages[" + i + "]: " + role + " content must be a string";
                        open = null;
                        break;
                    case "assistant":
                        open = null;
                        if (m["tool_calls"] is JArray calls && calls.Count > 0)
                        {
                            open = new HashSet<string>();
                            foreach (var c in calls) open.Add((string)c["id"]);
                        }
                        break;
                    case "tool":
                        var id = (string)m["tool_call_id"];
                        if (open == null || !open.Remove(id ?? "")) return "messages[" + i + "]: messages with role 'tool' must be a response to a preceding message with 'tool_calls' (" + id + ")";
                        break;
                    default:
                        return "messages[" + i + "]: unknown role '" + role + "'";
                }
            }
            return null;
        }
        int _aborted;
        int _completed;
        public Uri BaseUri { get; private set; }
        /// <summary>Streams the client abandoned before the end (interruption must cancel the LLM stream).</summary>
        public int Aborted => Volatile.Read(ref _aborted);
        public int Completed => Volatile.Read(ref _completed);
        public readonly SemaphoreSlim AbortSignal = new SemaphoreSlim(0);

        ChatCompletionsServer(Func<JObject, ChatReply> script)
        {
            _script = script;
            _app = KestrelLoopback.CreateBuilder().Build();
            _app.MapPost("/v1/chat/completions", Handle);
        }

        public static async Task<ChatCompletionsServer> StartAsync(Func<JObject, ChatReply> script)
        {
            var s = new ChatCompletionsServer(script);
            var root = await KestrelLoopback.StartAsync(s._app);
            s.BaseUri = new Uri(root, "/v1");
            return s;
        }

        async Task Handle(HttpContext ctx)
        {
            string body;
            using (var reader = new System.IO.StreamReader(ctx.Request.Body, Encoding.UTF8)) body = await reader.ReadToEndAsync();
            var request = JObject.Parse(body);
            Requests.Enqueue(request);
            var invalid = MessagesProblem(request["messages"] as JArray);
            if (invalid != null)
            {
                // As OpenAI-compatible servers (OpenAI, vLLM, NIM) answer a malformed conversation.
                Problems.Enqueue(invalid);
                ctx.Response.StatusCode = 400;
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync(new JObject { ["error"] = new JObject { ["message"] = invalid, ["type"] = "invalid_request_error" } }.ToString());
                return;
            }
            var reply = _script(request);
            if (reply.Failure == ChatFailure.HttpStatus)
            {
                ctx.Response.StatusCode = reply.Status;
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync("{\"error\":{\"message\":\"scripted failure\",\"type\":\"server_error\",\"code\":" + reply.Status + "}}");
                return;
            }
            if ((bool?)request["stream"] != true)
            {
                ctx.Response.StatusCode = 400;
                await ctx.Response.WriteAsync("{\"error\":{\"message\":\"this server only streams\"}}");
                return;
            }
            ctx.Response.ContentType = "text/event-stream";
            ctx.Response.Headers["Cache-Control"] = "no-cache";
            var ct = ctx.RequestAborted;
            var id = "chatcmpl-" + Guid.NewGuid().ToString("N").Substring(0, 12);
            var model = (string)request["model"] ?? "loopback";
            try
            {
                await Send(ctx, Chunk(id, model, new JObject { ["role"] = "assistant", ["content"] = "" }, null), ct);
                await Task.Delay(reply.FirstTokenDelay, ct);
                var pieces = 0;
                for (var i = 0; i < reply.Text.Length; i += reply.PieceChars)
                {
                    if (reply.Failure != ChatFailure.None && pieces == reply.FailAfterPieces) { await Fail(ctx, reply, ct); return; }
                    if (pieces == reply.HoldAfterPieces) await reply.Release.WaitAsync(ct);
                    var piece = reply.Text.Substring(i, Math.Min(reply.PieceChars, reply.Text.Length - i));
                    await Send(ctx, Chunk(id, model, new JObject { ["content"] = piece }, null), ct);
                    pieces++;
                    await Task.Delay(reply.DelayPerPiece, ct);
                }
                if (reply.Failure != ChatFailure.None) { await Fail(ctx, reply, ct); return; }
                for (var c = 0; c < reply.ToolCalls.Count; c++)
                {
                    var (name, args) = reply.ToolCalls[c];
                    var head = new JObject { ["index"] = c, ["id"] = "call_" + Guid.NewGuid().ToString("N").Substring(0, 8), ["type"] = "function", ["function"] = new JObject { ["name"] = name, ["arguments"] = "" } };
                    await Send(ctx, Chunk(id, model, new JObject { ["tool_calls"] = new JArray(head) }, null), ct);
                    for (var i = 0; i < args.Length; i += reply.PieceChars)
                    {
                        var piece = args.Substring(i, Math.Min(reply.PieceChars, args.Length - i));
                        var delta = new JObject { ["index"] = c, ["function"] = new JObject { ["arguments"] = piece } };
                        await Send(ctx, Chunk(id, model, new JObject { ["tool_calls"] = new JArray(delta) }, null), ct);
                        await Task.Delay(reply.DelayPerPiece, ct);
                    }
                }
                await Send(ctx, Chunk(id, model, new JObject(), reply.ToolCalls.Count > 0 ? "tool_calls" : "stop"), ct);
                if (reply.Usage)
                {
                    var usage = new JObject { ["id"] = id, ["object"] = "chat.completion.chunk", ["model"] = model, ["choices"] = new JArray(),
                        ["usage"] = new JObject { ["prompt_tokens"] = 42, ["completion_tokens"] = Math.Max(1, reply.Text.Length / 4), ["total_tokens"] = 42 + Math.Max(1, reply.Text.Length / 4) } };
                    await Send(ctx, usage.ToString(Formatting.None), ct);
                }
                await ctx.Response.WriteAsync("data: [DONE]\n\n", ct);
                await ctx.Response.Body.FlushAsync(ct);
                Interlocked.Increment(ref _completed);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _aborted);
                AbortSignal.Release();
            }
            catch (System.IO.IOException)
            {
                Interlocked.Increment(ref _aborted);
                AbortSignal.Release();
            }
        }

        static async Task Fail(HttpContext ctx, ChatReply reply, CancellationToken ct)
        {
            switch (reply.Failure)
            {
                case ChatFailure.ErrorEvent:
                    // vLLM's mid-stream error shape.
                    await Send(ctx, "{\"error\":{\"object\":\"error\",\"message\":\"CUDA out of memory\",\"type\":\"InternalServerError\",\"code\":500}}", ct);
                    await ctx.Response.WriteAsync("data: [DONE]\n\n", ct);
                    return;
                case ChatFailure.Truncate:
                    await ctx.Response.WriteAsync("data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"cut", ct);
                    await ctx.Response.Body.FlushAsync(ct);
                    return;
                case ChatFailure.Abort:
                    ctx.Abort();
                    return;
                case ChatFailure.Hang:
                    await Task.Delay(Timeout.Infinite, ct);
                    return;
            }
        }

        static string Chunk(string id, string model, JObject delta, string finish)
        {
            var choice = new JObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finish };
            return new JObject { ["id"] = id, ["object"] = "chat.completion.chunk", ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["model"] = model, ["choices"] = new JArray(choice) }.ToString(Formatting.None);
        }

        static async Task Send(HttpContext ctx, string json, CancellationToken ct)
        {
            await ctx.Response.WriteAsync("data: " + json + "\n\n", ct);
            await ctx.Response.Body.FlushAsync(ct);
        }

        public async ValueTask DisposeAsync()
        {
            // Long-polls (MiniCPM-o /completions) and abandoned streams must not hold the test up: force after 3 s.
            using (var force = new CancellationTokenSource(3000)) await _app.StopAsync(force.Token);
            await _app.DisposeAsync();
        }
    }
}
