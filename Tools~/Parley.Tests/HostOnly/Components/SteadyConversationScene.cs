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
            var wall = Stopwatch.StartNew();
            while (!AllSpeaking())
            {
                if (wall.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("the agents did not start talking");
                Player.RunFrames(1);
                Settle();
            }
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
        /// provider), so times read there are the frame's time. Wall-bounded; calls nothing on the session.
        /// </summary>
        public void Settle()
        {
            var end = Stopwatch.GetTimestamp() + 10 * Stopwatch.Frequency;   // no Stopwatch object: Settle runs inside allocation measurements
            for (var i = 0; i < Npcs.Count; i++)
            {
                var npc = Npcs[i];
                var s = npc.Agent.Session;
                while (s != null && (s.PendingInputSamples > 0 || npc.Feed.Provider?.Sending == true) && Stopwatch.GetTimestamp() < end)
                    Thread.Yield();
            }
        }

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

        public StreamingProvider(ReplyFeed feed) { _feed = feed; }

        public bool Sending => _sending != 0;
        public string Name => "streaming";
        public ProviderCapabilities Capabilities { get; } = new ProviderCapabilities { ServerTurnDetection = true, FullDuplex = true, InputSampleRate = 24000, OutputSampleRate = 24000 };
        public bool IsConnected => Listener != null;

        public Task ConnectAsync(SessionConfig config, IProviderListener listener, CancellationToken ct)
        {
            Listener = listener;
            if (_feed != null) _feed.Provider = this;
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
