using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using Newtonsoft.Json.Linq;
using Parley.Cli.Commands;
using Parley.Cli.Talk;
using Parley.Providers;
using Parley.Session;
using Parley.Session.Audio;
using Parley.Simulation;

namespace Parley.Cli.Scene
{
    /// <summary>
    /// `parley scene`'s loop: runs the simulated player a frame at a time (each frame the microphone packets, DSP
    /// blocks and scripts due by then run, in virtual time), paced against the wall clock at --speed (1, or 8 with
    /// --fast). At --fast it holds virtual time while the network owes something, as `talk --fast` does: while a
    /// reply is due and none of its audio is here, and while the in-process emulator has not heard what was sent.
    /// It ends as `talk` does: a second of quiet after the input, --tail-ms, --max-seconds, the session closing or
    /// Ctrl+C. Runs on one thread, which becomes the player's main thread.
    /// </summary>
    sealed class SceneRunner
    {
        const double IdleEndMs = 1000;
        const double CushionMs = 200;     // two of the emulator's 100 ms audio chunks
        const double ServerLagMs = 200;   // the session's send chunks and the capture resampler's delay (as talk)
        readonly SceneOptions _o;
        readonly TalkSetup _setup;
        readonly WavFile _impulse;

        public SceneRunner(SceneOptions o, TalkSetup setup, WavFile impulse = null)
        {
            _o = o;
            _setup = setup;
            _impulse = impulse;
        }

        public int Run(CancellationToken ct)
        {
            var micInput = MicrophoneInput();
            using var scene = new SimulatedScene(_o, _setup, micInput, _setup.Input.SampleRate, _impulse);
            using var log = Talk.EventLog.Open(_o.Events);
            using var heard = new HeardOutput(scene.Player, _o.Output, ListenerChannels, _o.OutputRate);
            var events = new SceneEvents(scene, log);
            var status = new StatusLine(Console.Error, !_o.Quiet && !Console.IsErrorRedirected);
            var agent = scene.Agent;
            VoiceSession session = null;
            PlayoutSpeaker speaker = null;

            scene.Start(_o);
            var wall = Stopwatch.StartNew();
            var inputEndMs = _setup.InputEndMs(_o);
            var maxMs = _o.MaxSeconds * 1000;
            double idleSinceMs = -1, heardOffsetMs = 0, frameStartMs = 0;
            while (!ct.IsCancellationRequested)
            {
                scene.Player.RunFrames(1);
                var nowMs = scene.Player.Now * 1000;
                var frameMs = nowMs - frameStartMs;
                frameStartMs = nowMs;
                events.EndFrame(nowMs);
                session = agent.Session ?? session;
                speaker = agent.Voice != null && agent.Voice.Speaker != null ? agent.Voice.Speaker : speaker;
                status.Update(nowMs, agent.State, LevelDbfs(micInput, _setup.Input.SampleRate, nowMs), heard.LastDbfs);

                if (events.Closed != null || !agent.IsConversing || !scene.Player.IsRunning) break;
                if (nowMs >= inputEndMs)
                {
                    var current = agent.Session;
                    var idle = current != null && current.State == SessionState.Listening && !current.AwaitingAgent && agent.Voice.QueuedSamples == 0;
                    if (!idle) idleSinceMs = -1;
                    else if (idleSinceMs < 0) idleSinceMs = nowMs;
                    if (idle && nowMs - idleSinceMs >= IdleEndMs) break;
                    if (nowMs - inputEndMs >= _o.TailMs) break;
                }
                if (nowMs >= maxMs) break;

                if (!_o.Fast) WaitUntil(wall, nowMs, ct);
                else
                {
                    // As talk: a quiet tail runs at real time (a remote cascade still recognising the last words is not cut off).
                    WaitUntil(wall, idleSinceMs >= 0 ? wall.Elapsed.TotalMilliseconds + frameMs : nowMs / _o.Speed, ct);
                    // A replay answers when it has the input it recorded: holding time for it would starve it of that input.
                    if (_setup.Connection.Name != "replay") HoldForReply(scene, ct);
                    if (_setup.Connection.ServerHeardMs != null) heardOffsetMs = HoldForServer(scene, heardOffsetMs, ct);
                }
            }
            status.End();
            heard.Stop();
            // All at the end of play: closing runs more frames (as many as the socket's close takes on the wall clock),
            // in which the microphone goes on capturing and the audio thread rendering.
            var played = new PlayedTotals(scene);
            if (scene.Face != null) WriteBlendShapes(scene);
            var frontEnd = FrontEndReport(scene);   // the agent lets go of its front end when the conversation closes
            Close(scene, events, ct);

            var replyMs = speaker != null ? speaker.AgentFramesRendered * 1000.0 / _o.OutputRate : 0;
            if (_o.Metrics != null)
            {
                var json = session != null ? MetricsReport.Json(session.Metrics, _setup.Connection.Name, replyMs) : new JObject { ["provider"] = _setup.Connection.Name };
                json["scene"] = SceneReport(scene, heard, played);
                json["scene"]["front_end"] = frontEnd;
                MetricsReport.Write(_o.Metrics, json);
            }
            if (!_o.Quiet)
            {
                Console.Out.WriteLine(string.Format(CultureInfo.InvariantCulture,
                    "scene: {0}, {1:0.0} s of play ({2} frames, {3} DSP blocks), {4:0.0} s of agent audio heard; microphone: {5} lost, {6} overruns",
                    _setup.Connection.Name, played.Ms / 1000, played.Frames, played.AudioBlocks, replyMs / 1000, scene.Capture.DeviceLosses, scene.Capture.Overruns));
                if (session != null) Console.Out.WriteLine(MetricsReport.Summary(session.Metrics, _setup.Connection.CostNote));
            }
            return ExitCode(scene, events, ct);
        }

        /// <summary>The player's audio on talk's timeline (--input with the --barge-in-at utterance mixed in), as the mono signal the device hears.</summary>
        float[] MicrophoneInput()
        {
            var input = _setup.Input;
            var timeline = new TalkRunner(_o, input, _setup.BargeIn, null, null, null);
            var slices = (int)Math.Ceiling(_setup.InputEndMs(_o) / 10);
            var mono = new float[(int)Math.Round(slices * 10.0 * input.SampleRate / 1000) + 1];
            var chunk = new float[(input.SampleRate / 100 + 2) * input.Channels];
            var at = 0;
            for (var i = 0; i < slices; i++)
            {
                var n = timeline.InputSlice(i * 10.0, chunk) / input.Channels;
                for (var f = 0; f < n && at < mono.Length; f++, at++)
                {
                    float sum = 0;
                    for (var c = 0; c < input.Channels; c++) sum += chunk[f * input.Channels + c];
                    mono[at] = sum / input.Channels;
                }
            }
            Array.Resize(ref mono, at);
            return mono;
        }

        /// <summary>
        /// Holds virtual time while the agent's reply is due (or still streaming) and less than <see cref="CushionMs"/> of
        /// it is queued, bounded by 30 s. talk holds only while nothing is queued; here the timeline runs many times faster
        /// than the stream's chunks arrive on a loaded machine, and a starved playout would be heard as gaps (underruns)
        /// that a live run would not have.
        /// </summary>
        static void HoldForReply(SimulatedScene scene, CancellationToken ct)
        {
            var stall = Stopwatch.StartNew();
            while (!ct.IsCancellationRequested && stall.ElapsedMilliseconds < 30000)
            {
                var session = scene.Agent.Session;
                var voice = scene.Agent.Voice;
                // Work for the main thread (a tool handler, events) needs frames: never hold time over it.
                if (session == null || session.State == SessionState.Closed || !session.AwaitingAgent || voice.SampleRate == 0 || scene.Agent.PendingMainThreadWork > 0) return;
                if (voice.QueuedSamples * 1000.0 / voice.SampleRate >= CushionMs) return;
                session.RunPending();
                Thread.Sleep(1);   // the network runs in wall time; virtual time waits for it
            }
        }

        /// <summary>
        /// The in-process emulator shares our CPUs: hold until it has heard what the agent sent, or it would hear a turn
        /// late (as a barge-in). Audio it never gets (a reconnect, a lost device) stops counting after a second without progress.
        /// </summary>
        double HoldForServer(SimulatedScene scene, double offsetMs, CancellationToken ct)
        {
            var agent = scene.Agent;
            var rate = agent.Capture != null ? agent.Capture.Format.SampleRate : _o.MicRate;
            var progress = Stopwatch.StartNew();
            var heard = _setup.Connection.ServerHeardMs();
            while (!ct.IsCancellationRequested)
            {
                var session = agent.Session;
                if (session == null || session.State == SessionState.Closed || agent.PendingMainThreadWork > 0) return offsetMs;
                var sentMs = agent.FramesSubmitted * 1000.0 / rate;
                if (sentMs - offsetMs - heard <= ServerLagMs) return offsetMs;
                session.RunPending();
                Thread.Sleep(1);
                var now = _setup.Connection.ServerHeardMs();
                if (now > heard) { heard = now; progress.Restart(); }
                else if (progress.ElapsedMilliseconds > 1000) return sentMs - heard - ServerLagMs;
            }
            return offsetMs;
        }

        /// <summary>Ends the conversation as a game would (EndConversation) and runs frames until the session has closed (5 s of wall time at most).</summary>
        static void Close(SimulatedScene scene, SceneEvents events, CancellationToken ct)
        {
            var agent = scene.Agent;
            if (agent.IsConversing) agent.EndConversation();
            var wall = Stopwatch.StartNew();
            while (agent.Session != null && scene.Player.IsRunning && wall.ElapsedMilliseconds < 5000)
            {
                scene.Player.RunFrames(1);
                events.EndFrame(scene.Player.Now * 1000);
                if (agent.Session == null) break;
                agent.Session.RunPending();
                Thread.Sleep(1);
            }
        }

        int ExitCode(SimulatedScene scene, SceneEvents events, CancellationToken ct)
        {
            if (ct.IsCancellationRequested) return ExitCodes.Interrupted;
            var thrown = scene.Player.Exceptions;
            if (thrown.Count > 0)
            {
                Console.Error.WriteLine("parley scene: the components threw " + thrown.Count + " exception(s) in the player loop or on the audio thread; the first: "
                                        + thrown[0].GetType().Name + ": " + thrown[0].Message);
                return ExitCodes.Failed;
            }
            var closed = events.Closed;
            if (closed != null && closed.IsFailure)
            {
                // The exit codes and hints of talk, whose session throws what the agent reports as events.
                var auth = closed.ErrorKind == ProviderErrorKind.Authentication;
                var unreachable = closed.ErrorKind == ProviderErrorKind.Transport || closed.ErrorKind == ProviderErrorKind.Stalled;
                var hint = auth ? " Check the key variable or --token-url."
                    : unreachable ? " Check --url (the cascades: --asr-url, --tts-url, --llm-url) and that the server is running." : "";
                Console.Error.WriteLine("parley scene: the session ended (" + closed.Kind + "): " + closed.Reason + hint);
                return auth ? ExitCodes.Auth : unreachable ? ExitCodes.Unreachable : ExitCodes.Failed;
            }
            if (closed == null && events.LastError != null && events.LastError.IsFatal)
            {
                // The agent stopped before it had a session (no capture source, a provider that could not be made…).
                Console.Error.WriteLine("parley scene: the agent did not start (" + events.LastError.Code + "): " + events.LastError.Message);
                return ExitCodes.Failed;
            }
            return ExitCodes.Ok;
        }

        /// <summary>--blendshapes: every weight the player recorded for the face, a row per frame (Parley.Simulation.BlendShapeCsv).</summary>
        void WriteBlendShapes(SimulatedScene scene)
        {
            try
            {
                using (var writer = new System.IO.StreamWriter(_o.Blendshapes, false, new System.Text.UTF8Encoding(false)))
                    BlendShapeCsv.Write(writer, scene.Player.BlendShapes, scene.Face);
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException)
            {
                throw new CliError("Cannot write the blend shape file '" + _o.Blendshapes + "': " + e.Message, ExitCodes.BadInput);
            }
        }

        /// <summary>The player's counters at the end of play, before closing runs more frames.</summary>
        readonly struct PlayedTotals
        {
            public readonly double Ms;
            public readonly long Frames, AudioBlocks, FramesCaptured;

            public PlayedTotals(SimulatedScene scene)
            {
                Ms = scene.Player.Now * 1000;
                Frames = scene.Player.FrameCount;
                AudioBlocks = scene.Player.AudioBlocks;
                FramesCaptured = scene.Capture.FramesCaptured;
            }
        }

        static JObject SceneReport(SimulatedScene scene, HeardOutput heard, PlayedTotals played)
        {
            var p = scene.Player;
            var c = scene.Capture;
            var v = scene.Agent.Voice;
            return new JObject
            {
                ["played_ms"] = Math.Round(played.Ms, 1),
                ["frames"] = played.Frames,
                ["audio_blocks"] = played.AudioBlocks,
                ["output_rate"] = p.Options.OutputSampleRate,
                ["dsp_buffer"] = p.Options.DspBufferSize,
                ["fps"] = p.Options.FramesPerSecond,
                ["script_exceptions"] = p.Exceptions.Count,
                ["heard_frames"] = heard.Frames,
                ["microphone"] = new JObject
                {
                    ["device"] = SimulatedScene.MicrophoneName,
                    ["rate"] = c.Format.SampleRate,
                    ["frames_captured"] = played.FramesCaptured,
                    ["device_losses"] = c.DeviceLosses,
                    ["start_timeouts"] = c.StartTimeouts,
                    ["overruns"] = c.Overruns,
                    ["overrun_frames"] = c.OverrunFrames,
                    ["measured_rate_hz"] = Math.Round(c.MeasuredSampleRate, 1),
                },
                ["voice"] = v == null ? null : new JObject
                {
                    ["output_latency_ms"] = v.OutputLatencyMs,
                    ["blocks_rendered"] = v.BlocksRendered,
                    ["restarts"] = v.Restarts,
                },
            };
        }

        /// <summary>The agent's capture front end: the canceller, the echo guard's onsets, the echo reference and the room.</summary>
        static JObject FrontEndReport(SimulatedScene scene)
        {
            var agent = scene.Agent;
            var fe = agent.FrontEnd;
            if (fe == null) return null;
            var feed = agent.EchoReference;
            return new JObject
            {
                ["canceller"] = fe.Canceller.ToString().ToLowerInvariant(),
                ["mode"] = fe.Mode.ToString(),
                ["raised_onsets"] = fe.RaisedOnsets,
                ["guarded_onsets"] = fe.GuardedOnsets,
                ["last_onset_ms"] = Math.Round(fe.LastOnsetMs, 1),
                ["last_raised_at_ms"] = Math.Round(fe.LastRaisedAtMs, 1),
                ["echo_delay_ms"] = fe.EchoCanceller != null ? Math.Round(fe.EchoCanceller.EstimatedDelayMs, 1) : (double?)null,
                ["started_warm"] = fe.EchoCanceller?.StartedWarm,
                ["echo_rooms_loaded"] = scene.Capture.KeepEchoPathBetweenRuns ? scene.Capture.EchoPaths.RoomsLoaded : (int?)null,
                ["reference_samples"] = feed?.ReferenceSamples,
                ["reference_reanchors"] = feed?.Reanchors,
                ["reference_dropped"] = feed?.Mix.Dropped,
                ["room_frames_heard"] = scene.Echo?.FramesHeard,
            };
        }

        /// <summary>The listener's channels: the simulated player's speaker mode (its default, stereo).</summary>
        const int ListenerChannels = 2;

        static void WaitUntil(Stopwatch wall, double ms, CancellationToken ct)
        {
            var left = ms - wall.Elapsed.TotalMilliseconds;
            if (left > 0) ct.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(left));
        }

        /// <summary>The microphone's level over the 10 ms before <paramref name="ms"/>, for the status line.</summary>
        static double LevelDbfs(float[] x, int rate, double ms)
        {
            var to = Math.Min(x.Length, (int)(ms * rate / 1000));
            var from = Math.Max(0, to - rate / 100);
            double sum = 0;
            for (var i = from; i < to; i++) sum += (double)x[i] * x[i];
            var rms = Math.Sqrt(sum / Math.Max(1, to - from));
            return rms <= 1e-9 ? double.NegativeInfinity : 20 * Math.Log10(rms);
        }
    }
}
