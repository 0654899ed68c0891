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

namespace Parley.Servers.MiniCpmo
{
    public enum MiniCpmoFailure { None, ErrorEvent, WrongRate, Drop }

    public sealed class MiniCpmoScript
    {
        /// <summary>Reply per turn: text and its 24 kHz voice.</summary>
        public readonly ConcurrentQueue<(string Text, short[] Pcm24k)> Replies = new ConcurrentQueue<(string, short[])>();
        /// <summary>Audio per SSE step (the model emits about one second per generation step).</summary>
        public int StepMs = 1000;
        /// <summary>Pacing of the reply: 1 = real time, 0 = as fast as possible.</summary>
        public double Speed = 0;
        /// <summary>model_server.py extra_wait_time: input stays ignored this long after the model stops speaking.</summary>
        public TimeSpan ExtraWait = TimeSpan.FromSeconds(2.5);
        /// <summary>model_server.py: the turn ends when no /stream arrives for 3 s.</summary>
        public TimeSpan StreamTimeout = TimeSpan.FromSeconds(3);
        public double VadThreshold = 0.01;
        /// <summary>Speech needs more than 0.4 s voiced; the turn ends after this much trailing silence.</summary>
        public int MinSpeechMs = 400;
        public int EndSilenceMs = 600;
        public MiniCpmoFailure Failure;
        public int FailAfterSteps = 1;
        /// <summary>
        /// An explicit gate instead of pacing: after this many steps the reply waits for <see cref="Release"/> (or
        /// /stop), so a test knows the model is still speaking however loaded the machine. -1: no gate.
        /// </summary>
        public int HoldAfterSteps = -1;
        public readonly SemaphoreSlim Release = new SemaphoreSlim(0);
        /// <summary>Read when a /stop arrives (a test's capture clock: samples fed), kept in <see cref="MiniCpmoServer.StopStamps"/>.</summary>
        public Func<long> StopClock;
    }

    /// <summary>
    /// Behaves like OpenBMB/MiniCPM-o web_demos/minicpm-o_2.6/model_server.py: one global session keyed by the uid
    /// header, init_options, /stream taking one complete 16 kHz WAV per request (skip while speaking + 2.5 s, 400 on a
    /// changed uid), /completions holding the request until the VAD (or the 3 s stream timeout) ends the turn, then
    /// SSE — echo of the merged input first, one 24 kHz WAV per step, "\n&lt;end&gt;" last, errors as {"error":…} — and /stop.
    /// </summary>
    public sealed class MiniCpmoServer : IAsyncDisposable
    {
        readonly WebApplication _app;
        public readonly MiniCpmoScript Script;
        readonly object _gate = new object();
        public Uri BaseUri { get; private set; }

        string _uid;
        public JObject InitOptions;
        readonly List<short> _turnAudio = new List<short>();
        int _voicedMs, _silenceMs;
        bool _speechSeen;
        DateTime _lastStream = DateTime.MinValue;
        DateTime _speakingUntil = DateTime.MinValue;
        bool _speaking;
        volatile bool _stop;
        int _responseId;
        int? _firstRate;
        TaskCompletionSource<string> _turnEnd = NewTurn();

        public int Chunks, Skipped, Stops, TurnsByTimeout, TurnsByVad, RepliesStarted, RepliesCompleted;
        /// <summary>Reply streams the server has finished writing (completed, stopped or failed): a gate for tests.</summary>
        public int RepliesEnded;
        public readonly ConcurrentQueue<int> ChunkSamples = new ConcurrentQueue<int>();
        /// <summary>The uid header of every /completions taken, in arrival order: a gate for tests (who holds the session).</summary>
        public readonly ConcurrentQueue<string> CompletionsFrom = new ConcurrentQueue<string>();
        /// <summary><see cref="MiniCpmoScript.StopClock"/> at each /stop received, in order.</summary>
        public readonly ConcurrentQueue<long> StopStamps = new ConcurrentQueue<long>();

        static TaskCompletionSource<string> NewTurn() => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        MiniCpmoServer(MiniCpmoScript script)
        {
            Script = script;
            _app = KestrelLoopback.CreateBuilder().Build();
            foreach (var prefix in new[] { "", "/api/v1" })
            {
                _app.MapPost(prefix + "/init_options", (Delegate)(Func<HttpContext, Task<IResult>>)Init);
                _app.MapPost(prefix + "/stream", (Delegate)(Func<HttpContext, Task<IResult>>)Stream);
                _app.MapPost(prefix + "/completions", Completions);
                _app.MapPost(prefix + "/stop", (Delegate)(Func<HttpContext, IResult>)Stop);
                _app.MapGet(prefix + "/health", () => Results.Json(new { status = "OK" }));
            }
        }

        public static async Task<MiniCpmoServer> StartAsync(MiniCpmoScript script)
        {
            var s = new MiniCpmoServer(script ?? new MiniCpmoScript());
            s.BaseUri = await KestrelLoopback.StartAsync(s._app);
            _ = s.TimeoutWatch();
            return s;
        }

        static async Task<JObject> Body(HttpContext ctx)
        {
            using var reader = new System.IO.StreamReader(ctx.Request.Body, Encoding.UTF8);
            var text = await reader.ReadToEndAsync();
            return text.Length == 0 ? new JObject() : JObject.Parse(text);
        }

        static IResult Reply(string uid, string content, string finish) =>
            Results.Content(new JObject { ["id"] = uid, ["choices"] = new JObject { ["role"] = "assistant", ["content"] = content, ["finish_reason"] = finish } }.ToString(Formatting.None), "application/json");

        /// <summary>Every init_options body accepted, in order (the options a later model session would start with).</summary>
        public readonly ConcurrentQueue<JObject> InitBodies = new ConcurrentQueue<JObject>();

        async Task<IResult> Init(HttpContext ctx)
        {
            var uid = ctx.Request.Headers["uid"].ToString();
            if (uid.Length == 0) return Results.BadRequest("uid header missing");
            var body = await Body(ctx);
            // model_server.py init_options: messages of {role, content}; content items input_audio or options only.
            if (body["messages"] is not JArray messages) return Results.BadRequest("Invalid request format");
            foreach (var m in messages)
            {
                if (m is not JObject mo || mo["role"] == null || mo["content"] is not JArray content) return Results.BadRequest("Invalid message format");
                foreach (var c in content)
                {
                    var type = (string)c["type"];
                    if (type != "input_audio" && type != "options") return Results.BadRequest("init options error: Invalid content type: " + type);
                }
            }
            lock (_gate)
            {
                // It only stores the options (and the reference voice): a turn in progress goes on.
                if (_uid != uid) ResetTurn();
                _uid = uid;
                InitOptions = body;
                InitBodies.Enqueue(body);
            }
            return Reply(uid, "2.6", "done");
        }

        void ResetTurn()
        {
            _turnAudio.Clear();
            _voicedMs = _silenceMs = 0;
            _speechSeen = false;
            _firstRate = null;
        }

        async Task<IResult> Stream(HttpContext ctx)
        {
            var uid = ctx.Request.Headers["uid"].ToString();
            var body = await Body(ctx);
            lock (_gate)
            {
                if (_uid == null || uid != _uid) return Results.BadRequest("uid changed in stream");
                Chunks++;
                _lastStream = DateTime.UtcNow;
                if (_speaking || DateTime.UtcNow < _speakingUntil)
                {
                    Skipped++;
                    return Reply(uid, "success", "skip");
                }
                var b64 = (string)body["messages"]?[0]?["content"]?[0]?["input_audio"]?["data"];
                if (string.IsNullOrEmpty(b64)) return Reply(uid, "success", "empty audio");
                short[] pcm;
                int rate, channels;
                try { pcm = ServerAudio.Pcm(Convert.FromBase64String(b64), out rate, out channels); }
                catch (FormatException e) { return Results.Problem("bad wav: " + e.Message, statusCode: 500); }
                // model_server.py joins chunks with wave: every chunk must have the first one's parameters.
                if (_firstRate.HasValue && _firstRate.Value != rate || channels != 1) return Results.Problem("wav params differ between chunks", statusCode: 500);
                _firstRate = rate;
                ChunkSamples.Enqueue(pcm.Length);
                _turnAudio.AddRange(pcm);
                var frame = rate / 50;
                for (var i = 0; i + frame <= pcm.Length; i += frame)
                {
                    if (ServerAudio.Rms(new ReadOnlySpan<short>(pcm, i, frame)) > Script.VadThreshold) { _voicedMs += 20; _silenceMs = 0; }
                    else if (_voicedMs > 0) _silenceMs += 20;
                }
                if (_voicedMs > Script.MinSpeechMs) _speechSeen = true;
                if (_speechSeen && _silenceMs >= Script.EndSilenceMs)
                {
                    TurnsByVad++;
                    EndTurn();
                }
            }
            return Reply(uid, "success", "done");
        }

        /// <summary>The audio of every turn the server heard (what the model was given), in order.</summary>
        public readonly ConcurrentQueue<short[]> TurnAudio = new ConcurrentQueue<short[]>();

        void EndTurn()
        {
            TurnAudio.Enqueue(_turnAudio.ToArray());
            var wav = Convert.ToBase64String(ServerAudio.Wav(_turnAudio.ToArray(), _firstRate ?? 16000));
            ResetTurn();
            _speaking = true;
            _turnEnd.TrySetResult(wav);
        }

        async Task TimeoutWatch()
        {
            while (true)
            {
                await Task.Delay(100);
                lock (_gate)
                {
                    if (_speechSeen && !_speaking && DateTime.UtcNow - _lastStream > Script.StreamTimeout)
                    {
                        TurnsByTimeout++;
                        EndTurn();
                    }
                }
            }
        }

        IResult Stop(HttpContext ctx)
        {
            lock (_gate)
            {
                Stops++;
                _stop = true;
                if (Script.StopClock != null) StopStamps.Enqueue(Script.StopClock());
            }
            return Reply(ctx.Request.Headers["uid"].ToString(), "success", "stop");
        }

        async Task Completions(HttpContext ctx)
        {
            var uid = ctx.Request.Headers["uid"].ToString();
            await Body(ctx);
            TaskCompletionSource<string> turn;
            lock (_gate)
            {
                if (uid != _uid) { _uid = uid; ResetTurn(); }
                CompletionsFrom.Enqueue(uid);
                turn = _turnEnd;
            }
            ctx.Response.ContentType = "text/event-stream";
            var ct = ctx.RequestAborted;
            await ctx.Response.WriteAsync("event: message\n", ct);
            await ctx.Response.Body.FlushAsync(ct);
            string echo;
            try { echo = await turn.Task.WaitAsync(ct); }
            catch (OperationCanceledException) { return; }
            int id;
            lock (_gate)
            {
                _turnEnd = NewTurn();
                _stop = false;
                id = ++_responseId;
                RepliesStarted++;
            }
            try
            {
                await Event(ctx, new JObject { ["id"] = uid, ["response_id"] = id, ["choices"] = new JArray(new JObject { ["role"] = "assistant", ["audio"] = echo, ["text"] = "assistant:\n", ["finish_reason"] = "processing" }) }, ct);
                Script.Replies.TryDequeue(out var reply);
                var pcm = reply.Pcm24k ?? ServerAudio.Babble(reply.Text ?? "hello there", 24000);
                var words = (reply.Text ?? "").Split(' ');
                var step = 24000 * Script.StepMs / 1000;
                var steps = (pcm.Length + step - 1) / step;
                var clock = System.Diagnostics.Stopwatch.StartNew();
                for (var s = 0; s < steps; s++)
                {
                    if (s == Script.HoldAfterSteps)
                        while (!_stop && !await Script.Release.WaitAsync(50, ct)) { }
                    if (_stop) return;   // /stop: the generation loop breaks and the stream closes
                    if (Script.Failure != MiniCpmoFailure.None && s == Script.FailAfterSteps)
                    {
                        if (Script.Failure == MiniCpmoFailure.ErrorEvent) { await Event(ctx, new JObject { ["error"] = "CUDA error: out of memory" }, ct); return; }
                        if (Script.Failure == MiniCpmoFailure.Drop)
                        {
                            // Let the client read what was sent: a reset can discard unread bytes.
                            await Task.Delay(300, ct);
                            ctx.Abort();
                            return;
                        }
                    }
                    var n = Math.Min(step, pcm.Length - s * step);
                    var rate = Script.Failure == MiniCpmoFailure.WrongRate && s == Script.FailAfterSteps ? 22050 : 24000;
                    var wav = ServerAudio.Wav(new ReadOnlySpan<short>(pcm, s * step, n), rate);
                    var from = words.Length * s / steps;
                    var to = words.Length * (s + 1) / steps;
                    var text = string.Join(" ", words, from, to - from) + (to < words.Length ? " " : "");
                    await Event(ctx, new JObject { ["id"] = uid, ["response_id"] = id, ["choices"] = new JArray(new JObject { ["role"] = "assistant", ["audio"] = Convert.ToBase64String(wav), ["text"] = text, ["finish_reason"] = "processing" }) }, ct);
                    if (Script.Speed > 0)
                    {
                        var wait = (s + 1) * Script.StepMs / Script.Speed - clock.Elapsed.TotalMilliseconds;
                        if (wait > 1) await Task.Delay(TimeSpan.FromMilliseconds(wait), ct);
                    }
                }
                await Event(ctx, new JObject { ["id"] = uid, ["response_id"] = id, ["choices"] = new JArray(new JObject { ["role"] = "assistant", ["audio"] = null, ["text"] = "\n<end>", ["finish_reason"] = "done" }) }, ct);
                lock (_gate) RepliesCompleted++;
            }
            catch (OperationCanceledException) { }
            finally
            {
                lock (_gate)
                {
                    _speaking = false;
                    _speakingUntil = DateTime.UtcNow + Script.ExtraWait;
                    RepliesEnded++;
                }
            }
        }

        static async Task Event(HttpContext ctx, JObject data, CancellationToken ct)
        {
            await ctx.Response.WriteAsync("data: " + data.ToString(Formatting.None) + "\n\n", ct);
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
