using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Parley.Providers;
using Parley.Session;
using Parley.Simulation;
using Parley.Unity.Agent;
using Parley.Unity.Capture;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>
    /// N agents in a conversation that never ends, in the simulated player: each NPC has its own microphone
    /// (hearing <c>micInput</c> in a loop), a <see cref="MicrophoneCapture"/>, a <see cref="VoiceAgent"/> and its
    /// voice, and talks to an in-process <see cref="StreamingProvider"/> (no sockets) that takes the player's audio
    /// and streams an endless reply, kept ≥ 200 ms ahead of the speaker by a script on the NPC (as a server that
    /// sends faster than real time would). Both audio directions flow every frame: the steady state of the
    /// allocation tests, the latency tests and <c>AgentFrameBenchmarks</c> (which links this file).
    /// </summary>
    public sealed class SteadyConversationScene : IDisposable
    {
        public readonly SimulatedPlayer Player;
        public readonly List<Npc> Npcs = new List<Npc>();

        public sealed class Npc
        {
            public GameObject GameObject;
            public SimulatedMicrophone Mic;
            public MicrophoneCapture Capture;
            public VoiceAgent Agent;
            public ReplyFeed Feed;
            /// <summary>Virtual time of Microphone.Start: input sample k is heard at RecordingStart + k / 48000.</summary>
            public double RecordingStart = double.NaN;
            public StreamingProvider Provider => Feed.Provider;
        }

        /// <param name="configure">Runs on each NPC before it is enabled (e.g. an echo path into its microphone, the front end's settings).</param>
        public SteadyConversationScene(int agents, float[] micInput, SessionLoop loop, SimulatedPlayerOptions options = null, short[] reply = null, Action<SimulatedPlayer, Npc> configure = null)
        {
            Player = new SimulatedPlayer(options ?? new SimulatedPlayerOptions { OutputSampleRate = 48000, DspBufferSize = 1024, FramesPerSecond = 60, Seed = 3 });
            // The player is per process (as Unity's engine state is): a constructor that fails must release it, or every
            // later test in the run fails on "a simulated player is running already" (CI saw one start time out cascade
            // into 143 failures).
            try
            {
                new GameObject("Listener").AddComponent<AudioListener>();
                reply = reply ?? DefaultReply();
                for (var i = 0; i < agents; i++)
                {
                    var npc = new Npc { GameObject = new GameObject("NPC " + i) };
                    npc.GameObject.SetActive(false);
                    npc.Mic = Player.AddMicrophone(new SimulatedMicrophone("Mic " + i, micInput, 48000) { LoopInput = true });
                    npc.Capture = npc.GameObject.AddComponent<MicrophoneCapture>();
                    npc.Capture.DeviceName = npc.Mic.Name;
                    var n = npc;
                    npc.Capture.StatusChanged += (status, _) => { if (status == CaptureStatus.Starting) n.RecordingStart = Player.Now; };
                    npc.Agent = npc.GameObject.AddComponent<VoiceAgent>();
                    npc.Agent.Loop = loop;
                    npc.Agent.IdleTimeoutSeconds = 0;
                    npc.Agent.MaxCostUsd = 0;
                    npc.Feed = npc.GameObject.AddComponent<ReplyFeed>();
                    npc.Feed.Agent = npc.Agent;
                    npc.Feed.Reply = reply;
                    npc.Agent.ProviderFactory = _ => new StreamingProvider(npc.Feed);
                    configure?.Invoke(Player, npc);
                    npc.GameObject.SetActive(true);
                    Npcs.Add(npc);
                }
                foreach (var npc in Npcs) npc.Agent.StartConversation();
                WaitForStart(agents + " agent(s), " + loop + " loop");
            }
            catch
            {
                Player.Dispose();
                throw;
            }
        }

        /// <summary>
        /// Runs frames until every agent speaks, noting each change of what the agents are doing (wall ms, frame,
        /// virtual time) in <see cref="StartTrace"/>; the trace goes into the timeout's message and, when
        /// PARLEY_SCENE_TRACE names a file, is appended there (Tools~/stress reports the slowest start of a run).
        /// </summary>
        void WaitForStart(string what)
        {
            var wall = Stopwatch.StartNew();
            var trace = new System.Text.StringBuilder();
            var last = "";
            while (!AllSpeaking())
            {
                var now = Activities();
                if (now != last) trace.Append($"  {wall.Elapsed.TotalMilliseconds:0} ms wall, frame {Player.FrameCount}, {Player.Now:0.000} s virtual: {now}\n");
                last = now;
                // A start takes 3 frames. Virtual time alone cannot bound it (the session's own thread may lag the frames on
                // a loaded machine), wall time alone waited out its bound on a start that had hung: a start is stuck once
                // many frames ran and some wall time passed too (the session's thread was scheduled meanwhile).
                if ((Player.Now > StartBoundVirtualSeconds && wall.Elapsed > TimeSpan.FromSeconds(10)) || wall.Elapsed > TimeSpan.FromSeconds(120))
                    throw new TimeoutException($"the agents did not start talking within {wall.Elapsed.TotalSeconds:0} s of wall time and {Player.Now:0.0} s of virtual time: {Describe()}\n{trace}");
                Player.RunFrames(1);
                Settle();
            }
            StartWall = wall.Elapsed;
            trace.Append($"  started: {wall.Elapsed.TotalMilliseconds:0} ms wall, {Player.FrameCount} frames, {Player.Now:0.000} s virtual\n");
            StartTrace = trace.ToString();
            var path = Environment.GetEnvironmentVariable("PARLEY_SCENE_TRACE");
            if (!string.IsNullOrEmpty(path)) System.IO.File.AppendAllText(path, $"{DateTime.UtcNow:HH:mm:ss.fff} scene of {what}\n{StartTrace}");
        }

        string Activities()
        {
            var parts = new List<string>();
            foreach (var npc in Npcs) parts.Add(npc.Agent.State + "/" + npc.Capture.Status);
            return string.Join(", ", parts);
        }

        /// <summary>How the start went: each change of the agents' state/capture status, then the start itself.</summary>
        public string StartTrace = "";

        /// <summary>Virtual seconds after which a start that has not happened (and 10 s of wall time) is a hang.</summary>
        public const double StartBoundVirtualSeconds = 30;

        /// <summary>Wall time from StartConversation until every agent spoke (the figure a stressed run reports).</summary>
        public TimeSpan StartWall;

        string Describe()
        {
            var parts = new List<string>();
            foreach (var npc in Npcs)
                parts.Add(npc.GameObject.name + ": state " + npc.Agent.State + ", capture " + npc.Capture.Status + ", pending input " + (npc.Agent.Session?.PendingInputSamples.ToString() ?? "no session") + ", virtual " + Player.Now.ToString("0.000") + " s");
            return string.Join("; ", parts);
        }

        bool AllSpeaking()
        {
            foreach (var npc in Npcs)
                if (npc.Agent.State != SessionState.AgentSpeaking || npc.Capture.Status != CaptureStatus.Capturing) return false;
            return true;
        }

        /// <summary>A reply to loop: 2 s of a swept tone at 24 kHz (any real signal does; this one needs no fixture).</summary>
        public static short[] DefaultReply()
        {
            var pcm = new short[48000];
            var phase = 0.0;
            for (var i = 0; i < pcm.Length; i++)
            {
                phase += 2 * Math.PI * (200 + 1800.0 * i / pcm.Length) / 24000;
                pcm[i] = (short)(8000 * Math.Sin(phase));
            }
            return pcm;
        }

        /// <summary>
        /// Holds virtual time until the send lane has caught up with it (the player's audio handed to the
        /// provider), so times read there are the frame's time. Only on a connected session: before that the input
        /// waits in the backlog by design, and waiting for it spent the whole wall bound on every such frame.
        /// Wall-bounded as a hang guard that fails (never goes on with a stale time); calls nothing on the session.
        /// </summary>
        public void Settle()
        {
            var end = Stopwatch.GetTimestamp() + 10 * Stopwatch.Frequency;   // no Stopwatch object: Settle runs inside allocation measurements
            for (var i = 0; i < Npcs.Count; i++)
            {
                var npc = Npcs[i];
                var s = npc.Agent.Session;
                while (s != null && Connected(s.State) && (s.PendingInputSamples > 0 || npc.Feed.Provider?.Sending == true))
                {
                    // Going on would read a later frame's time as this one's (a latency over its bound that only load caused).
                    if (Stopwatch.GetTimestamp() > end) throw new TimeoutException(npc.GameObject.name + ": the send lane did not catch up with the frame within 10 s of wall time (a hang): " + Describe());
                    Thread.Yield();
                }
            }
        }

        static bool Connected(SessionState state) =>
            state != SessionState.Idle && state != SessionState.Connecting && state != SessionState.Reconnecting && state != SessionState.Closed;

        public void Dispose() => Player.Dispose();
    }

    /// <summary>The server's side of the reply: keeps at least <see cref="AheadMs"/> of reply audio queued in the agent's voice.</summary>
    public sealed class ReplyFeed : MonoBehaviour
    {
        public VoiceAgent Agent;
        public short[] Reply;
        public StreamingProvider Provider;
        public double AheadMs = 200;
        /// <summary>Stop feeding (the reply ends) when false.</summary>
        public bool Streaming = true;
        /// <summary>When set, the provider's connect waits on it after handing over its listener (tests of the start's race).</summary>
        public ManualResetEventSlim ConnectGate;
        /// <summary>Virtual time of every chunk handed to the session, with the reply sample it started at.</summary>
        public Action<double, long> ChunkSent;
        readonly short[] _chunk = new short[480];
        long _sent;
        const string Item = "item-1";

        void Update()
        {
            var p = Provider;
            if (p == null || p.Listener == null || !Streaming) return;
            if (!p.ReplyStarted)
            {
                // A server replies on an open session. Before the session has taken the connect's completion (its state
                // still Connecting), a reply would be posted ahead of it and its start dropped by the Connecting state:
                // the session then sat in Listening for good (the stressed CI start "timeout": the provider hands over
                // its listener inside ConnectAsync, on the session's thread, and a frame ran in between).
                var state = Agent.State;
                if (state == SessionState.Idle || state == SessionState.Connecting) return;
                p.ReplyStarted = true;
                p.Listener.OnEvent(new ResponseStarted { ResponseId = "r-1" });
            }
            var target = (int)(AheadMs * 24);
            while (Agent.Voice.QueuedSamples < target)
            {
                for (var i = 0; i < _chunk.Length; i++) _chunk[i] = Reply[(int)((_sent + i) % Reply.Length)];
                ChunkSent?.Invoke(UnityEngine.Time.realtimeSinceStartupAsDouble, _sent);
                p.Listener.OnAudio(Item, _chunk);
                _sent += _chunk.Length;
            }
        }
    }

    /// <summary>
    /// A provider without a network: takes the player's audio (counting it, and telling <see cref="Sent"/>),
    /// and gives its listener to <see cref="ReplyFeed"/>. Sends complete synchronously, as a socket with room does.
    /// </summary>
    public sealed class StreamingProvider : IVoiceProvider
    {
        readonly ReplyFeed _feed;
        volatile int _sending;
        public IProviderListener Listener;
        public bool ReplyStarted;
        public long SamplesReceived;
        /// <summary>Called on the send lane's thread with each chunk of player audio.</summary>
        public Action<ReadOnlyMemory<short>> Sent;

        /// <param name="inputSampleRate">The rate the provider takes the player's audio at: 24 kHz as OpenAI, 16 kHz as Gemini Live, Riva and MiniCPM-o.</param>
        public StreamingProvider(ReplyFeed feed, int inputSampleRate = 24000)
        {
            _feed = feed;
            Capabilities = new ProviderCapabilities { ServerTurnDetection = true, FullDuplex = true, InputSampleRate = inputSampleRate, OutputSampleRate = 24000 };
        }

        public bool Sending => _sending != 0;
        public string Name => "streaming";
        public ProviderCapabilities Capabilities { get; }
        public bool IsConnected => Listener != null;

        public Task ConnectAsync(SessionConfig config, IProviderListener listener, CancellationToken ct)
        {
            Listener = listener;
            if (_feed != null) _feed.Provider = this;
            // Holds the connect open after the listener is handed over (Background loop only: this runs on the session's
            // thread), the window a loaded machine opens at random; a test releases it after frames have run.
            var gate = _feed?.ConnectGate;
            if (gate != null && !gate.Wait(TimeSpan.FromSeconds(60), ct)) throw new TimeoutException("the connect gate was never opened");
            return Task.CompletedTask;
        }

        public ValueTask SendAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken ct)
        {
            _sending = 1;
            SamplesReceived += pcm.Length;
            Sent?.Invoke(pcm);
            _sending = 0;
            return default;
        }

        public Task StartUserTurnAsync(CancellationToken ct) => Task.CompletedTask;
        public Task EndUserTurnAsync(CancellationToken ct) => Task.CompletedTask;
        public Task SendTextAsync(string text, CancellationToken ct) => Task.CompletedTask;
        public Task InterruptAsync(InterruptRequest request, CancellationToken ct) => Task.CompletedTask;
        public Task SendToolResultAsync(string callId, string name, string resultJson, CancellationToken ct) => Task.CompletedTask;
        public Task DisconnectAsync(CancellationToken ct) => Task.CompletedTask;
        public void Dispose() { }
    }
}
