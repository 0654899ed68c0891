using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Parley.Servers.Common;

namespace Parley.Servers.Riva
{
    /// <summary>How the NIM realtime test server behaves.</summary>
    public sealed class NimRealtimeScript
    {
        /// <summary>What the "recogniser" says for each utterance its VAD finds, in order (words revealed as partials).</summary>
        public readonly ConcurrentQueue<string> Transcripts = new ConcurrentQueue<string>();
        /// <summary>Text → mono PCM16 at <see cref="TtsRate"/>; null = tone bursts per word.</summary>
        public Func<string, short[]> Voice;
        public int TtsRate = 22050;
        /// <summary>Rate reported in synthesize_session.updated (to test a server that ignores the asked rate); 0 = as asked.</summary>
        public int ReportedTtsRate;
        /// <summary>TTS pacing: 1 = real time, 4 = four times faster, 0 = as fast as possible.</summary>
        public double TtsSpeed = 0;
        public int TtsChunkMs = 100;
        /// <summary>Energy VAD: frame RMS (fraction of full scale) above which a 20 ms frame is speech.</summary>
        public double VadThreshold = 0.01;
        public int EndSilenceMs = 500;
        public int WordEveryMs = 250;
        /// <summary>Fail the ASR stream after this much audio (ms): send an error event / drop the socket. 0 = never.</summary>
        public int AsrErrorAfterMs;
        public int AsrDropAfterMs;
        /// <summary>
        /// Answer an input_text.done with no committed text with nothing at all (no last speech.completed), as the
        /// synthesis stream seen in issue 10 did: a client that opens a stream for an empty reply then waits forever.
        /// </summary>
        public bool SilentOnEmptySynthesis;
        /// <summary>Fail the synthesis stream after this many speech.data messages: "drop" resets it, "close:NNNN" closes with that code,
        /// "silent" stops sending, "malformed" sends a non-JSON message, "unknown" sends an unknown event type first. Null = never.</summary>
        public string TtsFault;
        public int TtsFaultAfterChunks = 2;
    }

    /// <summary>
    /// Follows the Speech NIM realtime WebSocket flow (nvidia-riva/python-clients realtime.py and the NIM docs):
    /// transcription — conversation.created, transcription_session.update/updated, append+commit per chunk,
    /// input_audio_buffer.done, transcription delta/completed with is_last_result and words_info;
    /// synthesis — synthesize_session.update/updated, input_text.append/commit/done, speech.data/completed.
    /// The recogniser is an energy VAD over the audio actually received; the words come from the script.
    /// </summary>
    public sealed class NimRealtimeServer : IAsyncDisposable
    {
        readonly WebApplication _app;
        public readonly NimRealtimeScript Script;
        public Uri BaseUri { get; private set; }
        public int AsrSessions;
        public int TtsSessions;
        public int Appends;
        public int Commits;
        /// <summary>Appends followed by another append without a commit in between (the NIM needs a commit per chunk).</summary>
        public int UncommittedAppends;
        public double ReceivedAudioMs;
        /// <summary>Synthesis connections the client closed before the reply was complete (interruption).</summary>
        public int TtsClosedEarly;
        public readonly ConcurrentQueue<string> SynthesizedTexts = new ConcurrentQueue<string>();
        public readonly ConcurrentQueue<string> Errors = new ConcurrentQueue<string>();
        public readonly SemaphoreSlim TtsClosedSignal = new SemaphoreSlim(0);

        NimRealtimeServer(NimRealtimeScript script)
        {
            Script = script;
            _app = KestrelLoopback.CreateBuilder().Build();
            _app.UseWebSockets();
            _app.Map("/v1/realtime", Handle);
        }

        public static async Task<NimRealtimeServer> StartAsync(NimRealtimeScript script)
        {
            var s = new NimRealtimeServer(script ?? new NimRealtimeScript());
            var root = await KestrelLoopback.StartAsync(s._app);
            s.BaseUri = new Uri("ws://" + root.Authority);
            return s;
        }

        async Task Handle(HttpContext ctx)
        {
            if (!ctx.WebSockets.IsWebSocketRequest) { ctx.Response.StatusCode = 400; return; }
            var intent = ctx.Request.Query["intent"].ToString();
            if (intent != "transcription" && intent != "synthesize") { ctx.Response.StatusCode = 400; return; }
            using (var ws = await ctx.WebSockets.AcceptWebSocketAsync())
            {
                try
                {
                    if (intent == "transcription") await Transcription(ctx, ws);
                    else await Synthesis(ctx, ws);
                }
                catch (WebSocketException) { }
                catch (OperationCanceledException) { }
            }
        }

        static async Task<JObject> Receive(WebSocket ws, CancellationToken ct)
        {
            var buffer = new byte[1 << 16];
            var ms = new System.IO.MemoryStream();
            while (true)
            {
                var r = await ws.ReceiveAsync(buffer, ct);
                if (r.MessageType == WebSocketMessageType.Close) return null;
                ms.Write(buffer, 0, r.Count);
                if (r.EndOfMessage) break;
            }
            return JObject.Parse(Encoding.UTF8.GetString(ms.GetBuffer(), 0, (int)ms.Length));
        }

        static Task Send(WebSocket ws, JObject e, SemaphoreSlim gate, CancellationToken ct) => SendRaw(ws, e.ToString(Formatting.None), gate, ct);

        static async Task SendRaw(WebSocket ws, string json, SemaphoreSlim gate, CancellationToken ct)
        {
            await gate.WaitAsync(ct);
            try { await ws.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, ct); }
            finally { gate.Release(); }
        }

        async Task Transcription(HttpContext ctx, WebSocket ws)
        {
            Interlocked.Increment(ref AsrSessions);
            var ct = ctx.RequestAborted;
            var gate = new SemaphoreSlim(1, 1);
            await Send(ws, new JObject { ["type"] = "conversation.created", ["event_id"] = "event_0", ["conversation"] = new JObject { ["id"] = "conv_" + Guid.NewGuid().ToString("N") } }, gate, ct);
            var update = await Receive(ws, ct);
            if (update == null) return;
            if ((string)update["type"] != "transcription_session.update")
            {
                await Send(ws, Error("expected transcription_session.update"), gate, ct);
                return;
            }
            var rate = (int?)update["session"]?["input_audio_params"]?["sample_rate_hz"] ?? 16000;
            var session = (JObject)update["session"].DeepClone();
            session["id"] = "sess_" + Guid.NewGuid().ToString("N");
            session["object"] = "realtime.transcription_session";
            await Send(ws, new JObject { ["type"] = "transcription_session.updated", ["session"] = session }, gate, ct);

            var uncommitted = new List<short>();
            var recognizer = new EnergyRecognizer(Script.Transcripts, rate, Script.VadThreshold, Script.EndSilenceMs, Script.WordEveryMs);
            var pendingAppend = false;
            while (true)
            {
                var e = await Receive(ws, ct);
                if (e == null) return;
                switch ((string)e["type"])
                {
                    case "input_audio_buffer.append":
                        Interlocked.Increment(ref Appends);
                        if (pendingAppend) Interlocked.Increment(ref UncommittedAppends);
                        pendingAppend = true;
                        var bytes = Convert.FromBase64String((string)e["audio"]);
                        for (var i = 0; i + 1 < bytes.Length; i += 2) uncommitted.Add((short)(bytes[i] | (bytes[i + 1] << 8)));
                        break;
                    case "input_audio_buffer.commit":
                        Interlocked.Increment(ref Commits);
                        pendingAppend = false;
                        var samples = uncommitted.ToArray();
                        uncommitted.Clear();
                        ReceivedAudioMs += samples.Length * 1000.0 / rate;
                        foreach (var ev in recognizer.Feed(samples)) await Send(ws, ToJson(ev), gate, ct);
                        if (Script.AsrErrorAfterMs > 0 && ReceivedAudioMs >= Script.AsrErrorAfterMs)
                        {
                            await Send(ws, Error("Triton inference failed"), gate, ct);
                            await ws.CloseAsync(WebSocketCloseStatus.InternalServerError, "asr failed", ct);
                            return;
                        }
                        if (Script.AsrDropAfterMs > 0 && ReceivedAudioMs >= Script.AsrDropAfterMs)
                        {
                            ctx.Abort();
                            return;
                        }
                        break;
                    case "input_audio_buffer.done":
                        foreach (var ev in recognizer.End()) await Send(ws, ToJson(ev), gate, ct);
                        break;
                    default:
                        Errors.Enqueue("unexpected " + (string)e["type"]);
                        await Send(ws, Error("unknown event " + (string)e["type"]), gate, ct);
                        break;
                }
            }
        }

        static JObject ToJson(RecognizerEvent e)
        {
            if (!e.Final)
                return new JObject { ["type"] = "conversation.item.input_audio_transcription.delta", ["item_id"] = e.ItemId, ["content_index"] = 0, ["delta"] = e.Delta };
            var words = new JArray();
            foreach (var w in e.Words) words.Add(new JObject { ["word"] = w.Word, ["start_time"] = w.StartMs, ["end_time"] = w.EndMs, ["confidence"] = 0.9, ["speaker_tag"] = 0 });
            return new JObject
            {
                ["type"] = "conversation.item.input_audio_transcription.completed",
                ["item_id"] = e.ItemId, ["content_index"] = 0, ["transcript"] = e.Transcript, ["is_last_result"] = e.Last,
                ["words_info"] = new JObject { ["words"] = words },
            };
        }

        static JObject Error(string message) =>
            new JObject { ["type"] = "error", ["error"] = new JObject { ["message"] = message, ["type"] = "server_error" } };

        async Task Synthesis(HttpContext ctx, WebSocket ws)
        {
            var commits = 0;
            var chunksSent = 0;
            Interlocked.Increment(ref TtsSessions);
            var cts = new CancellationTokenSource();
            var ct = cts.Token;
            var gate = new SemaphoreSlim(1, 1);
            var jobs = new System.Threading.Channels.UnboundedChannelOptions();
            var queue = System.Threading.Channels.Channel.CreateUnbounded<string>(jobs);
            var text = new StringBuilder();
            var doneReceived = false;
            var finished = false;
            var rate = Script.TtsRate;
            var worker = Task.Run(async () =>
            {
                await foreach (var phrase in queue.Reader.ReadAllAsync(ct))
                {
                    var pcm = Script.Voice?.Invoke(phrase) ?? ServerAudio.Babble(phrase, rate);
                    var chunk = rate * Script.TtsChunkMs / 1000;
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    for (var i = 0; i < pcm.Length; i += chunk)
                    {
                        var n = Math.Min(chunk, pcm.Length - i);
                        var bytes = new byte[n * 2];
                        Buffer.BlockCopy(pcm, i * 2, bytes, 0, n * 2);
                        await Send(ws, new JObject { ["type"] = "conversation.item.speech.data", ["audio"] = Convert.ToBase64String(bytes) }, gate, ct);
                        if (Script.TtsFault != null && ++chunksSent == Script.TtsFaultAfterChunks && await ApplyTtsFault(ctx, ws, gate, ct)) return;
                        if (Script.TtsSpeed > 0)
                        {
                            var due = (i + n) * 1000.0 / rate / Script.TtsSpeed;
                            var wait = due - clock.Elapsed.TotalMilliseconds;
                            if (wait > 1) await Task.Delay(TimeSpan.FromMilliseconds(wait), ct);
                        }
                    }
                    await Send(ws, new JObject { ["type"] = "conversation.item.speech.completed", ["is_last_result"] = false, ["synthesis_metadata"] = new JObject { ["text"] = phrase } }, gate, ct);
                }
                finished = true;
                if (Script.SilentOnEmptySynthesis && Volatile.Read(ref commits) == 0) return;
                await Send(ws, new JObject { ["type"] = "conversation.item.speech.completed", ["is_last_result"] = true }, gate, ct);
            });
            try
            {
                while (true)
                {
                    var e = await Receive(ws, CancellationToken.None);
                    if (e == null) break;
                    switch ((string)e["type"])
                    {
                        case "synthesize_session.update":
                            var session = (JObject)e["session"].DeepClone();
                            var asked = (int?)session["output_audio_params"]?["sample_rate_hz"] ?? Script.TtsRate;
                            if (Script.ReportedTtsRate > 0) session["output_audio_params"]["sample_rate_hz"] = Script.ReportedTtsRate;
                            else if (asked != Script.TtsRate) Errors.Enqueue("client asked " + asked + " Hz, script voice is " + Script.TtsRate);
                            await Send(ws, new JObject { ["type"] = "synthesize_session.updated", ["session"] = session }, gate, ct);
                            break;
                        case "input_text.append":
                            text.Append((string)e["text"]);
                            break;
                        case "input_text.commit":
                            Interlocked.Increment(ref commits);
                            SynthesizedTexts.Enqueue(text.ToString());
                            await queue.Writer.WriteAsync(text.ToString());
                            text.Clear();
                            break;
                        case "input_text.done":
                            doneReceived = true;
                            queue.Writer.TryComplete();
                            break;
                        default:
                            Errors.Enqueue("unexpected " + (string)e["type"]);
                            break;
                    }
                }
            }
            catch (WebSocketException) { }
            if (!finished)
            {
                Interlocked.Increment(ref TtsClosedEarly);
                TtsClosedSignal.Release();
            }
            _ = doneReceived;
            cts.Cancel();
            queue.Writer.TryComplete();
            try { await worker; } catch (Exception) { }
        }

        /// <summary>Signalled when a scripted TTS fault has been applied (the test's gate: the fault happened mid-reply).</summary>
        public readonly SemaphoreSlim TtsFaultApplied = new SemaphoreSlim(0);

        /// <summary>Applies <see cref="NimRealtimeScript.TtsFault"/>; true when the stream ends here.</summary>
        async Task<bool> ApplyTtsFault(HttpContext ctx, WebSocket ws, SemaphoreSlim gate, CancellationToken ct)
        {
            var fault = Script.TtsFault;
            try
            {
                if (fault == "drop")
                {
                    ctx.Abort(); // TCP reset, no close frame
                    return true;
                }
                if (fault.StartsWith("close:"))
                {
                    var code = int.Parse(fault.Substring(6));
                    await gate.WaitAsync(ct);
                    try { await ws.CloseOutputAsync((WebSocketCloseStatus)code, "scripted close " + code, ct); }
                    finally { gate.Release(); }
                    return true;
                }
                if (fault == "silent")
                {
                    TtsFaultApplied.Release();
                    await Task.Delay(Timeout.Infinite, ct);
                    return true;
                }
                if (fault == "malformed") await SendRaw(ws, "{\"type\":\"conversation.item.speech.data\",\"audio\":", gate, ct);
                else if (fault == "unknown") await SendRaw(ws, "{\"type\":\"conversation.item.speech.future_thing\",\"x\":1}", gate, ct);
                else if (fault.StartsWith("oversized:")) await SendRaw(ws, "{\"type\":\"conversation.item.speech.data\",\"audio\":\"" + new string('A', int.Parse(fault.Substring(10))) + "\"}", gate, ct);
                return false;
            }
            finally
            {
                if (fault != "silent") TtsFaultApplied.Release();
            }
        }

        public async ValueTask DisposeAsync()
        {
            // Long-polls (MiniCPM-o /completions) and abandoned streams must not hold the test up: force after 3 s.
            using (var force = new CancellationTokenSource(3000)) await _app.StopAsync(force.Token);
            await _app.DisposeAsync();
        }
    }
}
