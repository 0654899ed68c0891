using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Parley.Cli.Commands;
using Parley.Providers;
using Parley.Session;
using Parley.Session.Audio;
using Parley.Session.Tools;

namespace Parley.Cli.Talk
{
    /// <summary>
    /// The CLI's main loop: every 10 ms of the audio timeline it feeds the next slice of the input WAV to the
    /// session (as a microphone would), renders 10 ms on the virtual speaker, ticks the session and runs the
    /// events it posted. Real time: paced by the wall clock. --fast: paced at N× and holding the timeline
    /// still while the agent's audio is late (so replies and barge-ins line up as they would live).
    /// </summary>
    sealed class TalkRunner
    {
        const int TickMs = 10;
        readonly TalkOptions _o;
        readonly WavFile _input;
        readonly WavFile _bargeIn;
        readonly ToolRegistry _tools;
        readonly Func<IVoiceProvider> _factory;
        readonly ProviderConnection _connection;
        readonly WavFile _impulse;

        public TalkRunner(TalkOptions o, WavFile input, WavFile bargeIn, ToolRegistry tools, Func<IVoiceProvider> factory, ProviderConnection connection, WavFile impulse = null)
        {
            _impulse = impulse;
            _o = o;
            _input = input;
            _bargeIn = bargeIn;
            _tools = tools;
            _factory = factory;
            _connection = connection;
        }

        public async Task<int> RunAsync(CancellationToken ct)
        {
            ProviderCapabilities caps;
            using (var probe = _factory()) caps = probe.Capabilities;
            var pipeline = AudioPipeline.Create(new Parley.Audio.AudioFormat(_input.SampleRate, _input.Channels), caps, _o, _impulse);
            var frontEnd = pipeline.FrontEnd;
            var speaker = pipeline.Speaker;

            // Inline: the loop below pumps the session on every 10 ms tick, so its states and events line up with the
            // audio timeline even at --fast speeds (a background loop would lag the virtual timeline).
            var options = new VoiceSessionOptions { Tools = _tools, TurnTaking = _o.Turn == "semantic-vad" ? TurnTaking.SemanticVad : TurnTaking.ServerVad, Loop = SessionLoop.Inline };
            options.Config.Model = _o.Model;
            options.Config.Voice = _o.Voice;
            options.Config.Instructions = _o.Instructions;
            var dispatcher = new QueuedDispatcher();
            using var session = new VoiceSession(_factory, options, dispatcher, speaker, frontEnd);
            using var frontEndLife = frontEnd;
            using var events = EventLog.Open(_o.Events);
            using var output = _o.Output != null ? WavFile.OpenWriter(_o.Output, _o.EngineRate, 1) : null;
            var status = new StatusLine(Console.Error, !_o.Quiet && !Console.IsErrorRedirected);

            double audioMs = 0;
            // The session ends only with its Closed event; errors say whether it goes on (and how) or is closing.
            Closed closed = null;
            session.EventRaised += e =>
            {
                events?.Write(e, audioMs);
                if (e is Closed c) closed = c;
                if (e is SessionErrorEvent warn && warn.Recovery != ErrorRecovery.Closing && !_o.Quiet)
                {
                    status.End();
                    Console.Error.WriteLine((warn.Recovery == ErrorRecovery.Reconnecting ? "reconnecting after " : "warning: ") + warn.Code + ": " + warn.Message);
                }
            };

            await session.StartAsync(ct);
            dispatcher.RunPending();

            var wall = Stopwatch.StartNew();
            var inputEndMs = Math.Max(_input.DurationMs, _bargeIn != null ? _o.BargeInAtMs + _bargeIn.DurationMs : 0);
            var inChunk = new float[(_input.SampleRate * TickMs / 1000 + 2) * _input.Channels];
            var outChunk = new float[_o.EngineRate * TickMs / 1000];
            double idleSinceMs = -1;
            double heardOffsetMs = 0;
            var maxMs = _o.MaxSeconds * 1000;
            var nextNote = 0;
            while (!ct.IsCancellationRequested)
            {
                // Game context due on the timeline: no reply; the events say what became of it.
                for (; nextNote < _o.ContextNotes.Count && audioMs >= _o.ContextNotes[nextNote].Ms; nextNote++)
                    GiveContext(session, _o.ContextNotes[nextNote].Text, audioMs, dispatcher, events, ct);

                // Speaker: 10 ms at the engine rate; what it played is the canceller's reference and (--echo) reaches the room.
                speaker.Render(outChunk, 1);
                output?.Write(outChunk);
                var outDb = LevelDbfs(outChunk);
                pipeline.Room.Played(outChunk);

                // Microphone: the next 10 ms of the input, with the barge-in utterance and the echo mixed in.
                var n = InputSlice(audioMs, inChunk);
                pipeline.Room.AddEcho(inChunk.AsSpan(0, n));
                var inDb = LevelDbfs(inChunk.AsSpan(0, n));
                session.SubmitCapture(inChunk.AsSpan(0, n));
                audioMs += TickMs;

                session.Tick();
                dispatcher.RunPending();
                status.Update(audioMs, session.State, inDb, outDb);

                if (closed != null) break;
                if (audioMs >= inputEndMs)
                {
                    var idle = session.State == SessionState.Listening && !session.AwaitingAgent && speaker.QueuedSamples == 0;
                    if (!idle) idleSinceMs = -1;
                    else if (idleSinceMs < 0) idleSinceMs = audioMs;
                    if (idle && audioMs - idleSinceMs >= 1000) break;
                    if (audioMs - inputEndMs >= _o.TailMs) break;
                }
                if (audioMs >= maxMs) break;

                if (!_o.Fast) WaitUntil(wall, audioMs, dispatcher, ct);
                else
                {
                    // While the tail after the input is quiet, it runs at real time: a server with nothing to hold
                    // the timeline on (a cascade still recognising the last words) gets the same second of quiet as
                    // in a real-time run before the idle check ends the conversation.
                    if (idleSinceMs >= 0) WaitUntil(wall, wall.Elapsed.TotalMilliseconds + TickMs, dispatcher, ct);
                    else WaitUntil(wall, audioMs / _o.Speed, dispatcher, ct);
                    // Hold the timeline while the agent's audio is due but not here yet (bounded).
                    var stall = Stopwatch.StartNew();
                    while (session.AwaitingAgent && speaker.QueuedSamples == 0 && stall.ElapsedMilliseconds < 30000 && !ct.IsCancellationRequested)
                    {
                        dispatcher.WaitAndRun(TimeSpan.FromMilliseconds(5), ct);
                        session.Tick();
                        if (closed != null) break;
                    }
                    if (_connection.ServerHeardMs != null) heardOffsetMs = WaitForServer(audioMs, heardOffsetMs, session, dispatcher, () => closed != null, ct);
                }
            }
            status.End();
            using (var closeCts = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
                await session.CloseAsync(closeCts.Token);
            dispatcher.RunPending();

            var replyMs = speaker.AgentFramesRendered * 1000.0 / _o.EngineRate;
            if (_o.Metrics != null) MetricsReport.Write(_o.Metrics, MetricsReport.Json(session.Metrics, _connection.Name, replyMs, audioMs, _o.Fast));
            if (!_o.Quiet)
            {
                Console.Out.WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture,
                    "talk: {0}, {1:0.0} s of conversation, {2:0.0} s of agent audio heard", _connection.Name, audioMs / 1000, replyMs / 1000));
                Console.Out.WriteLine(MetricsReport.Summary(session.Metrics, _connection.CostNote));
            }
            if (ct.IsCancellationRequested) return ExitCodes.Interrupted;
            if (closed != null && closed.IsFailure)
            {
                Console.Error.WriteLine("parley talk: the session ended (" + closed.Kind + "): " + closed.Reason);
                return ExitCodes.Failed;
            }
            return ExitCodes.Ok;
        }

        static void GiveContext(VoiceSession session, string text, double audioMs, QueuedDispatcher dispatcher, EventLog events, CancellationToken ct)
        {
            var given = session.Clock.NowMs;
            session.AddContextAsync(text, ct).ContinueWith(t => dispatcher.Post(() => events?.Write("context.added", given, audioMs, new Newtonsoft.Json.Linq.JObject
            {
                ["text"] = text,
                ["delivery"] = t.Status == TaskStatus.RanToCompletion ? t.Result.ToString().ToLowerInvariant() : "failed",
                ["error"] = t.Exception?.GetBaseException().Message,
            })), TaskScheduler.Default);
        }

        /// <summary>Input frames for [ms, ms + 10) as interleaved floats; silence after the end. `scene` plays the same timeline into its microphone.</summary>
        internal int InputSlice(double ms, float[] dest)
        {
            var ch = _input.Channels;
            long from = (long)Math.Round(ms * _input.SampleRate / 1000.0), to = (long)Math.Round((ms + TickMs) * _input.SampleRate / 1000.0);
            var frames = (int)(to - from);
            Array.Clear(dest, 0, frames * ch);
            for (var i = 0; i < frames; i++)
            {
                var f = from + i;
                if (f < _input.Frames)
                    for (var c = 0; c < ch; c++) dest[i * ch + c] = _input.Samples[f * ch + c];
            }
            if (_bargeIn != null)
            {
                // The barge-in clip is resampled by nearest frame onto the input's rate and mixed on every channel.
                for (var i = 0; i < frames; i++)
                {
                    var t = (from + i) / (double)_input.SampleRate * 1000 - _o.BargeInAtMs;
                    if (t < 0) continue;
                    var bf = (long)(t * _bargeIn.SampleRate / 1000);
                    if (bf >= _bargeIn.Frames) break;
                    float v = 0;
                    for (var c = 0; c < _bargeIn.Channels; c++) v += _bargeIn.Samples[bf * _bargeIn.Channels + c];
                    v /= _bargeIn.Channels;
                    for (var c = 0; c < ch; c++) dest[i * ch + c] = Math.Clamp(dest[i * ch + c] + v, -1f, 1f);
                }
            }
            return frames * ch;
        }

        /// <summary>
        /// --fast with the in-process emulator: the server shares our CPUs, so under load it can fall seconds behind
        /// the timeline and its VAD events would land late (a turn heard as a barge-in). Hold until it has heard
        /// what was sent. Audio the session never sent (a reconnect's overflow) stops counting after a stall.
        /// </summary>
        double WaitForServer(double audioMs, double offsetMs, VoiceSession session, QueuedDispatcher dispatcher, Func<bool> ended, CancellationToken ct)
        {
            const double LagMs = 200;   // the session's send chunks and the capture resampler's delay
            var heard = _connection.ServerHeardMs();
            var progress = Stopwatch.StartNew();
            while (audioMs - offsetMs - heard > LagMs && !ct.IsCancellationRequested && !ended())
            {
                dispatcher.WaitAndRun(TimeSpan.FromMilliseconds(2), ct);
                session.Tick();
                var now = _connection.ServerHeardMs();
                if (now > heard) { heard = now; progress.Restart(); }
                else if (progress.ElapsedMilliseconds > 1000) return audioMs - heard - LagMs;
            }
            return offsetMs;
        }

        static void WaitUntil(Stopwatch wall, double ms, QueuedDispatcher dispatcher, CancellationToken ct)
        {
            while (!ct.IsCancellationRequested)
            {
                var left = ms - wall.Elapsed.TotalMilliseconds;
                if (left <= 0) return;
                // Sleeps until the tick, waking early only to run posted events.
                dispatcher.WaitAndRun(TimeSpan.FromMilliseconds(left), ct);
            }
        }

        static double LevelDbfs(ReadOnlySpan<float> x)
        {
            double sum = 0;
            foreach (var v in x) sum += (double)v * v;
            var rms = Math.Sqrt(sum / Math.Max(1, x.Length));
            return rms <= 1e-9 ? double.NegativeInfinity : 20 * Math.Log10(rms);
        }
    }
}
