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

    /// <summary>Appends the samples of a realtimeInput.audio frame to <paramref name="sink"/>; false for other frames.</summary>
    public static bool CollectAudio(GeminiServerConnection c, string json, AudioSink sink)
    {
        var audio = JObject.Parse(json).SelectToken("realtimeInput.audio");
        if (audio == null) return false;
        if ((string)audio["mimeType"] != "audio/pcm;rate=16000") c.Problem("audio labelled " + (string)audio["mimeType"]);
        var bytes = Convert.FromBase64String((string)audio["data"]);
        var pcm = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, pcm, 0, pcm.Length * 2);
        sink.Add(pcm);
        return true;
    }

    /// <summary>
    /// goAway + resumption: connection 1 hands out a resumable handle (after a non-resumable one), counts audio
    /// until <paramref name="samplesBeforeGoAway"/>, says goAway and keeps counting until the client closes;
    /// connection 2 must carry the handle in setup.sessionResumption and gets the rest of the audio.
    /// </summary>
    public static Func<GeminiServerConnection, Task> GoAwayResume(int samplesBeforeGoAway, AudioSink audio, string handle = "handle-42") => async c =>
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
                CollectAudio(c, m, audio);
                if (!sent && audio.Count >= samplesBeforeGoAway)
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
        while ((r = await c.ReceiveAsync(Wait)) != null) CollectAudio(c, r, audio);
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

    /// <summary>
    /// Setup is answered only after <paramref name="setupDelay"/> (the client must send nothing before it); then
    /// the player's audio is collected until activityEnd/audioStreamEnd and the model answers with
    /// <paramref name="replySamples"/> samples of a 24 kHz sine in 100 ms chunks.
    /// </summary>
    public static Func<GeminiServerConnection, Task> AudioTurn(TimeSpan setupDelay, AudioSink audio, int replySamples, double replyHz) => async c =>
    {
        var first = await c.ReceiveAsync(Wait);
        if (first == null || JObject.Parse(first)["setup"] == null) { c.Problem("first frame is not setup"); return; }
        await Task.Delay(setupDelay);
        if (c.Received.Count != 1) c.Problem("client sent " + (c.Received.Count - 1) + " frame(s) before setupComplete");
        await c.SendAsync("{\n  \"setupComplete\": {}\n}\n");
        string m;
        while ((m = await c.ReceiveAsync(Wait)) != null)
        {
            if (CollectAudio(c, m, audio)) continue;
            var ri = JObject.Parse(m)["realtimeInput"];
            if (ri?["activityEnd"] != null || ri?["audioStreamEnd"] != null) break;
            if (ri?["activityStart"] != null) continue;
            c.Problem("unexpected frame " + Short(m));
        }
        await c.SendAsync(Content("inputTranscription", new JObject { ["text"] = "hello there" }));
        for (var sent = 0; sent < replySamples; sent += 2400)
        {
            var n = Math.Min(2400, replySamples - sent);
            await c.SendAsync(new JObject { ["serverContent"] = new JObject { ["modelTurn"] = new JObject { ["parts"] = new JArray(new JObject { ["inlineData"] = new JObject { ["mimeType"] = "audio/pcm;rate=24000", ["data"] = Sine24k(n, replyHz, sent) } }) } } }.ToString());
        }
        await c.SendAsync(Content("outputTranscription", new JObject { ["text"] = "Hi!" }));
        await c.SendAsync(Content("generationComplete", true));
        await c.SendAsync(Content("turnComplete", true));
        await c.DrainAsync(Wait);
    };

    /// <summary>
    /// Connection 1 gives a resumable handle, then closes with <paramref name="status"/>. Later connections must
    /// carry the handle; their setupComplete waits for <paramref name="releaseResume"/> (so a test can capture
    /// audio while the resume is held open), then they collect audio until the client closes.
    /// </summary>
    public static Func<GeminiServerConnection, Task> CloseThenResume(int status, string reason, Task releaseResume, AudioSink audio, string handle = "handle-close") => async c =>
    {
        if (c.Index == 1)
        {
            if (await HandshakeAsync(c) == null) return;
            await c.SendAsync(Handle(handle, true));
            await Task.Delay(50);
            await c.CloseAsync(status, reason);
            await c.DrainAsync(TimeSpan.FromSeconds(5));
            return;
        }
        var first = await c.ReceiveAsync(Wait);
        if (first == null) return;
        if ((string)JObject.Parse(first).SelectToken("setup.sessionResumption.handle") != handle) c.Problem("resume without the handle");
        await releaseResume.WaitAsync(Wait);
        await c.SendAsync(SetupComplete);
        string m;
        while ((m = await c.ReceiveAsync(Wait)) != null) CollectAudio(c, m, audio);
    };

    /// <summary>
    /// A reply per typed player message, with a goAway after the first: connection 1 gives a resumable handle,
    /// answers the first text (turn 1, ended), says goAway and waits for the client to close; the resumed
    /// connection (which must carry the handle) answers the next text, numbering its turn 1 again as the real
    /// server does. <paramref name="replySamples"/> of 24 kHz audio per reply.
    /// </summary>
    public static Func<GeminiServerConnection, Task> GoAwayBetweenReplies(int replySamples, string handle = "handle-ga") => async c =>
    {
        var setup = await HandshakeAsync(c);
        if (setup == null) return;
        if (c.Index > 1 && (string)setup.SelectToken("sessionResumption.handle") != handle) c.Problem("resume without the handle");
        if (c.Index == 1) await c.SendAsync(Handle(handle, true));
        string m;
        while ((m = await c.ReceiveAsync(Wait)) != null)
        {
            if (JObject.Parse(m).SelectToken("realtimeInput.text") == null) continue;
            for (var sent = 0; sent < replySamples; sent += 2400) await c.SendAsync(AudioChunk(Math.Min(2400, replySamples - sent), sent));
            await c.SendAsync(Content("outputTranscription", new JObject { ["text"] = "Hello there traveller." }));
            await c.SendAsync(Content("generationComplete", true));
            await c.SendAsync(Content("turnComplete", true));
            if (c.Index == 1) await c.SendAsync("{\"goAway\":{\"timeLeft\":\"10s\"}}");
        }
    };

    /// <summary>
    /// A goAway whose resume is refused: connection 1 hands out a handle, answers the first typed message and
    /// says goAway; a connection that comes back with the handle is closed during setup (1008, the handle is
    /// unknown: sessions are kept for a limited time); the next one must come without a handle and seed the
    /// conversation with a clientContent turn list before it gets an answer to the next typed message.
    /// <paramref name="seeded"/> receives the turns the fresh connection was given.
    /// </summary>
    public static Func<GeminiServerConnection, Task> GoAwayResumeRefused(int replySamples, Action<JArray> seeded, string handle = "handle-stale") => async c =>
    {
        var first = await c.ReceiveAsync(Wait);
        if (first == null) { c.Problem("no setup"); return; }
        var setup = JObject.Parse(first)["setup"] as JObject;
        if (setup == null) { c.Problem("first frame is not setup"); return; }
        var resume = (string)setup.SelectToken("sessionResumption.handle");
        if (c.Index > 1 && resume == handle)
        {
            await c.CloseAsync(1008, "Session resumption handle is invalid or expired.");
            return;
        }
        if (c.Index > 1 && !string.IsNullOrEmpty(resume)) c.Problem("fresh connection with handle '" + resume + "'");
        await c.SendAsync(SetupComplete);
        if (c.Index == 1) await c.SendAsync(Handle(handle, true));
        string m;
        while ((m = await c.ReceiveAsync(Wait)) != null)
        {
            var o = JObject.Parse(m);
            if (o.SelectToken("clientContent.turns") is JArray turns) { seeded(turns); continue; }
            if (o.SelectToken("realtimeInput.text") == null) continue;
            for (var sent = 0; sent < replySamples; sent += 2400) await c.SendAsync(AudioChunk(Math.Min(2400, replySamples - sent), sent));
            await c.SendAsync(Content("outputTranscription", new JObject { ["text"] = "Hello there traveller." }));
            await c.SendAsync(Content("generationComplete", true));
            await c.SendAsync(Content("turnComplete", true));
            if (c.Index == 1) await c.SendAsync("{\"goAway\":{\"timeLeft\":\"10s\"}}");
        }
    };

    /// <summary>
    /// A long conversation with a fault every <paramref name="turnsPerConnection"/> replies: each connection
    /// gives a resumable handle and answers every typed message with <paramref name="replySamples"/> of audio;
    /// after its last reply an odd-numbered connection says goAway (and waits for the client to close), an
    /// even-numbered one drops the TCP connection when the player next speaks. Player audio is counted, not parsed.
    /// </summary>
    public static Func<GeminiServerConnection, Task> Soak(int turnsPerConnection, int replySamples, Action<int> audioFrames, string handle = "soak-handle") => async c =>
    {
        var setup = await HandshakeAsync(c);
        if (setup == null) return;
        if (c.Index > 1 && (string)setup.SelectToken("sessionResumption.handle") != handle) c.Problem("reconnect without the handle");
        await c.SendAsync(Handle(handle, true));
        var turns = 0;
        var dropOnNextAudio = false;
        string m;
        while ((m = await c.ReceiveAsync(Wait)) != null)
        {
            if (m.IndexOf("\"text\"", StringComparison.Ordinal) < 0)
            {
                audioFrames(1);
                // The player speaks again, so the last reply was fully received: drop now (a reset would
                // otherwise discard the reply's end before the client read it).
                if (dropOnNextAudio) { c.Abort(); return; }
                continue;
            }
            for (var sent = 0; sent < replySamples; sent += 2400) await c.SendAsync(AudioChunk(Math.Min(2400, replySamples - sent), sent));
            await c.SendAsync(Content("outputTranscription", new JObject { ["text"] = "Reply number " + turns + "." }));
            await c.SendAsync(Content("generationComplete", true));
            await c.SendAsync(Content("turnComplete", true));
            if (++turns < turnsPerConnection) continue;
            if (c.Index % 2 == 1) await c.SendAsync("{\"goAway\":{\"timeLeft\":\"30s\"}}");
            else dropOnNextAudio = true;
        }
    };

    /// <summary>goAway with no resumption handle ever given, then silence (no close): the client must not hang.</summary>
    public static Func<GeminiServerConnection, Task> GoAwayThenSilence(string timeLeft) => async c =>
    {
        if (await HandshakeAsync(c) == null) return;
        await c.SendAsync("{\"goAway\":{\"timeLeft\":\"" + timeLeft + "\"}}");
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

/// <summary>Player audio a script received, in arrival order across connections.</summary>
public sealed class AudioSink
{
    readonly List<short> _samples = new();
    public void Add(short[] pcm) { lock (_samples) _samples.AddRange(pcm); }
    public int Count { get { lock (_samples) return _samples.Count; } }
    public short[] ToArray() { lock (_samples) return _samples.ToArray(); }
}
