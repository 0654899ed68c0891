using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;

namespace Parley.Servers.Gemini;

/// <summary>
/// Scripts for <see cref="GeminiLiveServer.Script"/>: replay of recorded sessions and the scenario modes
/// (goAway + resumption, interruption mid-reply, tool call + cancellation, errors and close codes). Server
/// frames use the shapes of the recordings and the protocol notes (pretty-printed like the real server).
/// </summary>
public static class GeminiScenarios
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Plays one recorded connection: recorded server frames are sent in order, each recorded client frame is
    /// awaited and compared with <see cref="GeminiWireShape"/> (differences become server problems).
    /// </summary>
    public static Func<GeminiServerConnection, Task> Replay(IReadOnlyList<RecordedFrame> session) => async c =>
    {
        for (var i = 0; i < session.Count; i++)
        {
            var frame = session[i];
            if (!frame.FromClient)
            {
                await c.SendAsync(frame.Json);
                continue;
            }
            var got = await c.ReceiveAsync(Wait);
            if (got == null) { c.Problem($"frame {i}: client sent nothing, recorded {Short(frame.Json)}"); return; }
            foreach (var d in GeminiWireShape.Compare(frame.Json, got)) c.Problem($"frame {i}: {d}");
        }
        await c.DrainAsync(Wait);
    };

    /// <summary>Receives the first frame, checks it is setup, answers setupComplete; returns the setup object.</summary>
    public static async Task<JObject> HandshakeAsync(GeminiServerConnection c)
    {
        var first = await c.ReceiveAsync(Wait);
        if (first == null) { c.Problem("no setup"); return null; }
        var o = JObject.Parse(first);
        if (o["setup"] is not JObject setup) { c.Problem("first frame is not setup: " + Short(first)); return null; }
        await c.SendAsync("{\n  \"setupComplete\": {}\n}\n");
        return setup;
    }

    public static string SetupComplete => "{\"setupComplete\":{}}";

    /// <summary>A 24 kHz sine as PCM16 base64, the model's voice stand-in.</summary>
    public static string Sine24k(int samples, double hz = 220, int offset = 0)
    {
        var bytes = new byte[samples * 2];
        for (var i = 0; i < samples; i++)
        {
            var v = (short)(Math.Sin(2 * Math.PI * hz * (i + offset) / 24000.0) * 8000);
            bytes[2 * i] = (byte)v;
            bytes[2 * i + 1] = (byte)(v >> 8);
        }
        return Convert.ToBase64String(bytes);
    }

    public static string AudioChunk(int samples, int offset = 0, string mimeType = "audio/pcm;rate=24000") =>
        new JObject { ["serverContent"] = new JObject { ["modelTurn"] = new JObject { ["parts"] = new JArray(new JObject { ["inlineData"] = new JObject { ["mimeType"] = mimeType, ["data"] = Sine24k(samples, 220, offset) } }) } } }.ToString();

    public static string Content(string field, JToken value) => new JObject { ["serverContent"] = new JObject { [field] = value } }.ToString();

    public static string Handle(string handle, bool resumable) =>
        new JObject { ["sessionResumptionUpdate"] = new JObject { ["newHandle"] = handle, ["resumable"] = resumable } }.ToString();

    /// <summary>Counts samples of every realtimeInput.audio frame; true when the client closed.</summary>
    public static int AudioSamples(string json)
    {
        var data = (string)JObject.Parse(json).SelectToken("realtimeInput.audio.data");
        return data == null ? 0 : Convert.FromBase64String(data).Length / 2;
    }

    /// <summary>
    /// goAway + resumption: connection 1 hands out a resumable handle (after a non-resumable one), counts audio
    /// until <paramref name="samplesBeforeGoAway"/>, says goAway and keeps counting until the client closes;
    /// connection 2 must carry the handle in setup.sessionResumption and gets the rest of the audio.
    /// </summary>
    public static Func<GeminiServerConnection, Task> GoAwayResume(int samplesBeforeGoAway, StrongBox<long> samplesReceived, string handle = "handle-42") => async c =>
    {
        var setup = await HandshakeAsync(c);
        if (setup == null) return;
        if (c.Index == 1)
        {
            await c.SendAsync(Handle("handle-old", true));
            await c.SendAsync(Handle("", false)); // while generating: no handle; the client must keep the previous one
            await c.SendAsync(Handle(handle, true));
            var sent = false;
            string m;
            while ((m = await c.ReceiveAsync(Wait)) != null)
            {
                Interlocked.Add(ref samplesReceived.Value, AudioSamples(m));
                if (!sent && Interlocked.Read(ref samplesReceived.Value) >= samplesBeforeGoAway)
                {
                    sent = true;
                    await c.SendAsync("{\"goAway\":{\"timeLeft\":\"50s\"}}");
                }
            }
            return;
        }
        var got = (string)setup.SelectToken("sessionResumption.handle");
        if (got != handle) c.Problem($"resume setup carries handle '{got}', expected '{handle}'");
        string r;
        while ((r = await c.ReceiveAsync(Wait)) != null) Interlocked.Add(ref samplesReceived.Value, AudioSamples(r));
    };

    /// <summary>
    /// Barge-in detected by the server: after the player's first audio, the model speaks <paramref name="chunks"/>
    /// chunks, then the server sends interrupted and turnComplete (no generationComplete), then a short new turn.
    /// </summary>
    public static Func<GeminiServerConnection, Task> InterruptMidReply(int chunks, int samplesPerChunk) => async c =>
    {
        if (await HandshakeAsync(c) == null) return;
        if (await c.ReceiveAsync(Wait) == null) return;
        await c.SendAsync(Content("inputTranscription", new JObject { ["text"] = "tell me a story" }));
        for (var i = 0; i < chunks; i++) await c.SendAsync(AudioChunk(samplesPerChunk, i * samplesPerChunk));
        await c.SendAsync(Content("outputTranscription", new JObject { ["text"] = "Once upon a" }));
        await c.SendAsync(Content("interrupted", true));
        await c.SendAsync(Content("turnComplete", true));
        await c.SendAsync(AudioChunk(samplesPerChunk));
        await c.SendAsync(Content("generationComplete", true));
        await c.SendAsync(new JObject { ["serverContent"] = new JObject { ["turnComplete"] = true }, ["usageMetadata"] = JObject.Parse(
            "{\"promptTokenCount\":120,\"responseTokenCount\":40,\"totalTokenCount\":160,\"promptTokensDetails\":[{\"modality\":\"AUDIO\",\"tokenCount\":100},{\"modality\":\"TEXT\",\"tokenCount\":20}],\"responseTokensDetails\":[{\"modality\":\"AUDIO\",\"tokenCount\":40}]}") }.ToString());
        await c.DrainAsync(Wait);
    };

    /// <summary>
    /// Two function calls in one toolCall, then toolCallCancellation of the second; the client must answer the
    /// first with toolResponse.functionResponses[{id,name,response}] and the model then speaks.
    /// </summary>
    public static Func<GeminiServerConnection, Task> ToolCallWithCancellation() => async c =>
    {
        if (await HandshakeAsync(c) == null) return;
        if (await c.ReceiveAsync(Wait) == null) return; // the player's text
        await c.SendAsync(JObject.Parse("{\"toolCall\":{\"functionCalls\":[{\"name\":\"open_door\",\"args\":{\"door\":\"north\"},\"id\":\"function-call-1\"},{\"name\":\"ring_bell\",\"args\":{},\"id\":\"function-call-2\"}]}}").ToString());
        await c.SendAsync("{\"toolCallCancellation\":{\"ids\":[\"function-call-2\"]}}");
        var response = await c.ReceiveAsync(Wait);
        if (response == null) { c.Problem("no toolResponse"); return; }
        var r = JObject.Parse(response).SelectToken("toolResponse.functionResponses[0]");
        if (r == null || (string)r["id"] != "function-call-1" || (string)r["name"] != "open_door" || r["response"] is not JObject)
            c.Problem("bad toolResponse: " + Short(response));
        await c.SendAsync(AudioChunk(2400));
        await c.SendAsync(Content("turnComplete", true));
        await c.DrainAsync(Wait);
    };

    /// <summary>Closes after setupComplete (or instead of it) with a vendor close code and reason.</summary>
    public static Func<GeminiServerConnection, Task> CloseWith(int status, string reason, bool beforeSetupComplete = false) => async c =>
    {
        if (beforeSetupComplete)
        {
            await c.ReceiveAsync(Wait);
            await c.CloseAsync(status, reason);
            return;
        }
        if (await HandshakeAsync(c) == null) return;
        await c.CloseAsync(status, reason);
        await c.DrainAsync(TimeSpan.FromSeconds(5));
    };

    /// <summary>Malformed JSON, then a frame that is valid: the client reports the first and carries on.</summary>
    public static Func<GeminiServerConnection, Task> MalformedThenValid() => async c =>
    {
        if (await HandshakeAsync(c) == null) return;
        await c.SendAsync("{\"serverContent\": {\"modelTurn\": ");
        await c.SendAsync("[1,2]");
        await c.SendAsync(AudioChunk(480));
        await c.SendAsync(Content("turnComplete", true));
        await c.DrainAsync(Wait);
    };

    /// <summary>One server frame of <paramref name="bytes"/> bytes (over the client's limit), then silence.</summary>
    public static Func<GeminiServerConnection, Task> Oversize(int bytes) => async c =>
    {
        if (await HandshakeAsync(c) == null) return;
        var big = new string('A', bytes - 200);
        await c.SendAsync("{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"audio/pcm;rate=24000\",\"data\":\"" + big + "\"}}]}}}");
        await c.DrainAsync(Wait);
    };

    /// <summary>
    /// Connection 1 gives a handle, starts a reply and drops the TCP connection mid-reply; connection 2 (the
    /// resume) must carry the handle and gets a complete reply.
    /// </summary>
    public static Func<GeminiServerConnection, Task> DropMidReply(string handle = "handle-drop") => async c =>
    {
        var setup = await HandshakeAsync(c);
        if (setup == null) return;
        if (c.Index == 1)
        {
            await c.SendAsync(Handle(handle, true));
            if (await c.ReceiveAsync(Wait) == null) return;
            await c.SendAsync(AudioChunk(2400));
            await Task.Delay(100);
            c.Abort();
            return;
        }
        if ((string)setup.SelectToken("sessionResumption.handle") != handle) c.Problem("resume without the handle");
        await c.SendAsync(AudioChunk(2400));
        await c.SendAsync(Content("turnComplete", true));
        await c.DrainAsync(Wait);
    };

    /// <summary>Starts a reply after the player's text and then goes silent (no turnComplete, no close).</summary>
    public static Func<GeminiServerConnection, Task> StallMidReply() => async c =>
    {
        if (await HandshakeAsync(c) == null) return;
        if (await c.ReceiveAsync(Wait) == null) return;
        await c.SendAsync(AudioChunk(480));
        await c.DrainAsync(Wait);
    };

    static string Short(string json) => json.Length <= 160 ? json : json.Substring(0, 160) + "…";
}

/// <summary>A shared counter a script and a test both see.</summary>
public sealed class StrongBox<T> { public T Value; }
