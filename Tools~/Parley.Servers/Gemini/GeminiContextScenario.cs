using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;

namespace Parley.Servers.Gemini;

/// <summary>
/// A conversation that keeps its history the way Gemini Live does, for game-context tests. Every
/// <c>clientContent</c> is checked against <c>BidiGenerateContentClientContent</c> (turns of role user or model,
/// each with text parts; turnComplete a boolean) and appended to the connection's history. Its quirks follow the
/// protocol notes: clientContent arriving while the model generates interrupts that generation (serverContent
/// interrupted, then turnComplete), and turnComplete true asks for a reply. A typed message
/// (realtimeInput.text) is answered: the history at that moment is recorded (what the reply is built from), the
/// first audio chunk goes out, then the reply waits for <see cref="Release"/> (an explicit gate: the model is
/// still speaking however loaded the machine), then the rest, generationComplete and turnComplete.
/// Connection 1 hands out a resumable handle; a connection that resumes with it continues the same history.
/// </summary>
public sealed class GeminiContextScenario
{
    public const string ResumeHandle = "context-handle";
    public readonly SemaphoreSlim Release = new SemaphoreSlim(0);
    /// <summary>Chunks of 2400 samples (100 ms) per reply.</summary>
    public int ReplyChunks = 5;
    /// <summary>Each clientContent the server accepted: (connection, turnComplete, texts).</summary>
    public readonly ConcurrentQueue<(int Connection, bool TurnComplete, string[] Texts)> ClientContents = new();
    /// <summary>For every reply started, the history at that moment ("role: text").</summary>
    public readonly ConcurrentQueue<string[]> HistoryAtReply = new();
    /// <summary>Generations cut by a clientContent (a client that sends context mid-reply cuts the agent off).</summary>
    public int InterruptedByClientContent;
    public int RepliesStarted;

    readonly List<string> _history = new List<string>(); // shared: a resumed connection continues it

    public Func<GeminiServerConnection, Task> Script => async c =>
    {
        var setup = await GeminiScenarios.HandshakeAsync(c);
        if (setup == null) return;
        var handle = (string)setup.SelectToken("sessionResumption.handle");
        if (!string.IsNullOrEmpty(handle) && handle != ResumeHandle) c.Problem("unknown resume handle " + handle);
        if (string.IsNullOrEmpty(handle)) lock (_history) _history.Clear();
        var send = new SemaphoreSlim(1, 1);
        async Task Send(string json) { await send.WaitAsync(); try { await c.SendAsync(json); } finally { send.Release(); } }
        await Send(GeminiScenarios.Handle(ResumeHandle, true));
        var generating = 0;
        CancellationTokenSource cut = null;
        Task reply = Task.CompletedTask;

        void StartReply(string trigger)
        {
            lock (_history) HistoryAtReply.Enqueue(_history.ToArray());
            Interlocked.Increment(ref RepliesStarted);
            var mine = cut = new CancellationTokenSource();
            Volatile.Write(ref generating, 1);
            reply = Task.Run(async () =>
            {
                await Send(GeminiScenarios.AudioChunk(2400));
                try { await Release.WaitAsync(mine.Token); }
                catch (OperationCanceledException) { return; }
                for (var i = 1; i < ReplyChunks && !mine.IsCancellationRequested; i++) await Send(GeminiScenarios.AudioChunk(2400, i * 2400));
                if (mine.IsCancellationRequested) return;
                await Send(GeminiScenarios.Content("outputTranscription", new JObject { ["text"] = "Reply to " + trigger + "." }));
                lock (_history) _history.Add("model: Reply to " + trigger + ".");
                await Send(GeminiScenarios.Content("generationComplete", true));
                Volatile.Write(ref generating, 0);
                await Send(GeminiScenarios.Content("turnComplete", true));
            });
        }

        string m;
        while ((m = await c.ReceiveAsync(GeminiScenarios.Wait)) != null)
        {
            var o = JObject.Parse(m);
            if (o["clientContent"] is JObject content)
            {
                var problem = ContentProblem(content, out var texts, out var complete);
                if (problem != null) { c.Problem("clientContent: " + problem); await c.CloseAsync(1007, "Request contains an invalid argument."); return; }
                ClientContents.Enqueue((c.Index, complete, texts));
                if (Volatile.Read(ref generating) == 1)
                {
                    // clientContent interrupts the generation in progress.
                    Interlocked.Increment(ref InterruptedByClientContent);
                    cut?.Cancel();
                    await reply;
                    Volatile.Write(ref generating, 0);
                    await Send(GeminiScenarios.Content("interrupted", true));
                    await Send(GeminiScenarios.Content("turnComplete", true));
                }
                lock (_history) _history.AddRange(texts);
                if (complete) StartReply("client content");
                continue;
            }
            var text = (string)o.SelectToken("realtimeInput.text");
            if (text == null) continue;
            lock (_history) _history.Add("user: " + text);
            StartReply(text);
        }
        cut?.Cancel();
    };

    /// <summary>BidiGenerateContentClientContent: turns (Content: role user|model, parts with text) and an optional boolean turnComplete.</summary>
    static string ContentProblem(JObject content, out string[] texts, out bool turnComplete)
    {
        texts = Array.Empty<string>();
        turnComplete = false;
        foreach (var p in content.Properties())
            if (p.Name != "turns" && p.Name != "turnComplete") return "unknown field " + p.Name;
        var tc = content["turnComplete"];
        if (tc != null && tc.Type != JTokenType.Boolean) return "turnComplete is not a boolean";
        turnComplete = tc != null && (bool)tc;
        if (content["turns"] is not JArray turns) return "turns is not an array";
        var list = new List<string>();
        foreach (var t in turns)
        {
            var role = (string)t["role"];
            if (role != "user" && role != "model") return "role '" + role + "' (only user and model)";
            if (t["parts"] is not JArray parts || parts.Count == 0) return "a turn without parts";
            foreach (var part in parts)
            {
                if (part["text"]?.Type != JTokenType.String) return "a part without text";
                list.Add(role + ": " + (string)part["text"]);
            }
        }
        texts = list.ToArray();
        return null;
    }
}
