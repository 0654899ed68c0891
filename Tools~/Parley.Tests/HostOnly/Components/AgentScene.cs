using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Parley.Tests.Session.Support;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.OpenAI;
using Parley.Servers.OpenAI;
using Parley.Session;
using Parley.Simulation;
using Parley.Unity.Agent;
using Parley.Unity.Capture;
using Parley.Unity.Profiles;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>
    /// A scene for agent tests: the OpenAI emulator on loopback, a simulated player with a microphone that hears
    /// <paramref name="micInput"/>, a listener, and an NPC with MicrophoneCapture + VoiceAgent (+ its AudioSource
    /// and AgentVoice). Virtual time is held (explicit gates, never fixed sleeps) while the network owes something:
    /// while the server has not heard what was captured, and while a reply is due but none of its audio is here.
    /// </summary>
    sealed class AgentScene : IDisposable
    {
        public readonly string Key = "test-" + Guid.NewGuid().ToString("N");
        public readonly OpenAIRealtimeEmulator Emulator;
        public readonly SimulatedPlayer Player;
        public readonly SimulatedMicrophone Mic;
        public readonly GameObject Npc;
        public readonly MicrophoneCapture Capture;
        public readonly VoiceAgent Agent;
        public readonly OpenAIRealtimeProfile Profile;
        public readonly List<SessionEvent> Events = new List<SessionEvent>();
        public readonly List<TrackedProvider> Providers = new List<TrackedProvider>();
        public int TokenRequests;

        /// <summary>The conversation fixture's first question (0.8–2.9 s), then silence to 12 s: one turn, no barge-in.</summary>
        public static float[] FirstQuestion()
        {
            var all = Parley.Tests.Support.TestWav.Read(Parley.Tests.Support.PackagePaths.Fixture("audio", "conversation", "user-turns-48k.wav")).Samples;
            var x = new float[48000 * 12];
            Array.Copy(all, x, 48000 * 4);
            return x;
        }

        /// <summary>Every agent of the scene (<see cref="Agent"/> first, then those of <see cref="AddAgent"/>).</summary>
        public readonly List<VoiceAgent> Agents = new List<VoiceAgent>();
        /// <summary>With a shared microphone: the hub on its own GameObject ("Microphone"), which owns <see cref="Capture"/>.</summary>
        public readonly MicrophoneHub Hub;
        public readonly GameObject Listener;

        public AgentScene(float[] micInput, OpenAIRealtimeEmulatorOptions emulator = null, SimulatedPlayerOptions player = null, bool sharedMicrophone = false)
        {
            emulator = emulator ?? new OpenAIRealtimeEmulatorOptions();
            emulator.ExpectedKey = Key;
            Emulator = OpenAIRealtimeEmulator.StartAsync(emulator).GetAwaiter().GetResult();
            Player = new SimulatedPlayer(player ?? new SimulatedPlayerOptions { Seed = 5 });
            Mic = Player.AddMicrophone(new SimulatedMicrophone("Mic", micInput, 48000));
            Listener = new GameObject("Listener");
            Listener.AddComponent<AudioListener>();

            Profile = ScriptableObject.CreateInstance<OpenAIRealtimeProfile>();
            Profile.ServerUrl = Emulator.Uri.ToString();
            Profile.Model = "gpt-realtime";
            var owner = new GameObject(sharedMicrophone ? "Microphone" : "NPC");
            owner.SetActive(false);
            Capture = owner.AddComponent<MicrophoneCapture>();
            Capture.DeviceName = "Mic";
            if (sharedMicrophone)
            {
                Hub = owner.AddComponent<MicrophoneHub>();
                owner.SetActive(true);
                Agent = AddAgent("NPC", Vector3.zero, Events);
                Npc = Agent.gameObject;
                return;
            }
            Npc = owner;
            Agent = Configure(Npc.AddComponent<VoiceAgent>(), Events);
        }

        /// <summary>Another agent on an inactive GameObject at <paramref name="position"/>, set up as <see cref="Agent"/> is; its events go to <paramref name="events"/>.</summary>
        public VoiceAgent AddAgent(string name, Vector3 position, List<SessionEvent> events)
        {
            var go = new GameObject(name);
            go.SetActive(false);
            go.transform.position = position;
            return Configure(go.AddComponent<VoiceAgent>(), events);
        }

        VoiceAgent Configure(VoiceAgent agent, List<SessionEvent> events)
        {
            agent.Profile = Profile;
            // The build path: a player has no development key, only the token source (asked per connection).
            agent.Tokens.Callback = ct => { Interlocked.Increment(ref TokenRequests); return Task.FromResult(new Credential(Key)); };
            agent.ProviderFactory = cred =>
            {
                var p = new TrackedProvider(Profile.CreateProvider(cred, null));
                lock (Providers) Providers.Add(p);
                return p;
            };
            agent.Loop = SessionLoop.Inline;
            agent.SessionEventRaised += events.Add;
            Agents.Add(agent);
            return agent;
        }

        /// <summary>Runs frames until <paramref name="done"/> holds (true) or <paramref name="maxSeconds"/> of virtual time pass (false).</summary>
        public bool RunUntil(Func<bool> done, double maxSeconds)
        {
            var end = Player.Now + maxSeconds;
            while (Player.Now < end)
            {
                if (done()) return true;
                Player.RunFrames(1);
                Gate();
            }
            return done();
        }

        /// <summary>Waits for handshakes, which run in wall time (<see cref="RunUntilInWallTime"/>).</summary>
        public bool RunUntilConnected(Func<bool> connected, double wallSeconds = 30) => RunUntilInWallTime(connected, wallSeconds);

        /// <summary>
        /// Waits for what runs in wall time (a handshake, a graceful close: the socket's close handshake ends the
        /// conversation): frames keep running (the agents act in Update) but at most 0.1 s of virtual time per 5 ms
        /// of wall time, until <paramref name="done"/> or <paramref name="wallSeconds"/> pass. A virtual-time bound
        /// alone fails on a cold or loaded process, where 10 s of frames take 0.1 s of wall time.
        /// </summary>
        public bool RunUntilInWallTime(Func<bool> done, double wallSeconds = 30)
        {
            var wall = Stopwatch.StartNew();
            while (!done() && wall.Elapsed.TotalSeconds < wallSeconds)
            {
                RunUntil(done, 0.1);
                if (!done()) Thread.Sleep(5);
            }
            return done();
        }

        const double CushionMs = 200;   // as `parley scene --fast` (SceneRunner.HoldForReply)
        readonly List<VoiceSession> _gated = new List<VoiceSession>();
        double _heardBase;
        long _sentBase;

        void Gate()
        {
            var wall = Stopwatch.StartNew();
            while (wall.Elapsed < TimeSpan.FromSeconds(20))
            {
                // The emulator counts what all connections heard: compare with what all live agents sent.
                var live = Agents.Where(a => a.Session != null && a.Session.State != SessionState.Closed).ToList();
                if (live.Count == 0) return;
                if (!live.Select(a => a.Session).SequenceEqual(_gated))
                {
                    _gated.Clear();
                    _gated.AddRange(live.Select(a => a.Session));
                    _heardBase = Emulator.HeardMs;
                    _sentBase = live.Sum(a => a.FramesSubmitted);
                }
                var sentMs = (live.Sum(a => a.FramesSubmitted) - _sentBase) / 48.0;
                var serverBehind = live.All(a => a.Session.State != SessionState.Reconnecting) && sentMs - (Emulator.HeardMs - _heardBase) > 200;
                // A reply due or streaming with less than two of the emulator's 100 ms chunks queued: the next frames
                // would drain it and play an underrun (a gap a live run would not have) if its chunks come late.
                var replyDue = live.Any(a => a.Session.AwaitingAgent && a.Voice.QueuedSamples * 1000.0 < CushionMs * Math.Max(1, a.Voice.SampleRate));
                // Work for the main thread (a tool handler, events) needs frames: never hold time over it.
                if (!serverBehind && !replyDue || live.Any(a => a.PendingMainThreadWork > 0)) return;
                foreach (var a in live) a.Session.RunPending();
                Thread.Sleep(1);   // the network runs in wall time; virtual time waits for it
            }
        }

        public List<T> Of<T>() where T : SessionEvent
        {
            var list = new List<T>();
            foreach (var e in Events) if (e is T t) list.Add(t);
            return list;
        }

        public void Dispose()
        {
            Player.Dispose();
            Emulator.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
            Assert.That(Emulator.Violations, Is.Empty, "schema violations");
        }
    }

    /// <summary>A provider whose connection state and disposal the test can read after the agent let go of it.</summary>
    sealed class TrackedProvider : ForwardingProvider
    {
        public int Disposed;
        public TrackedProvider(IVoiceProvider inner) : base(inner) { }
        public override void Dispose() { Interlocked.Increment(ref Disposed); base.Dispose(); }
    }
}
