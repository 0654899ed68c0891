using System;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Parley.Session;
using Parley.Simulation;
using Parley.Tests.Components;
using Parley.Tests.Support;
using Parley.Unity.Voice;
using UnityEngine;

namespace Parley.Benchmarks.Unity
{
    /// <summary>
    /// ShortRun (1 launch, 3 warm-ups, 3 iterations) in process: a figure in minutes on a loaded machine, not a
    /// CI gate. In process because the simulated player's threads and the components share the benchmark's process anyway.
    /// </summary>
    sealed class ShortInProcess : ManualConfig
    {
        public ShortInProcess() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("short-inprocess"));
    }

    /// <summary>
    /// The real components in the simulated player, in a steady conversation (the player talking into each
    /// agent's microphone, each agent's reply streaming and playing; <see cref="SteadyConversationScene"/>):
    /// one player-loop frame with N agents against the same frame without them, and one AgentVoice
    /// <c>OnAudioFilterRead</c> against a filter that only scales the block. CoreCLR JIT figures, not Mono or
    /// IL2CPP, and no Burst. Allocation is counted on every thread (MemoryDiagnoser). A short job on purpose:
    /// run by hand (BENCHMARKS.md has the command), never in CI.
    /// </summary>
    [MemoryDiagnoser]
    [Config(typeof(ShortInProcess))]
    public class AgentFrameBenchmarks
    {
        [Params(1, 4)]
        public int Agents;

        SteadyConversationScene _scene;
        SimulatedPlayer _bare;

        static float[] MicInput() => TestWav.Read(PackagePaths.Fixture("audio", "conversation", "user-turns-48k.wav")).Samples;

        [GlobalSetup(Target = nameof(FrameWithAgents))]
        public void SetupAgents()
        {
            _scene = new SteadyConversationScene(Agents, MicInput(), SessionLoop.Background);
            for (var f = 0; f < 600; f++) { _scene.Player.RunFrames(1); _scene.Settle(); }
        }

        /// <summary>The same player without Parley: a listener, N recording microphones, N looping sources.</summary>
        [GlobalSetup(Target = nameof(FrameWithoutAgents))]
        public void SetupBare()
        {
            _bare = new SimulatedPlayer(new SimulatedPlayerOptions { OutputSampleRate = 48000, DspBufferSize = 1024, FramesPerSecond = 60, Seed = 3 });
            new GameObject("Listener").AddComponent<AudioListener>();
            var mic = MicInput();
            var clip = AudioClip.Create("tone", 48000, 1, 48000, false);
            for (var i = 0; i < Agents; i++)
            {
                _bare.AddMicrophone(new SimulatedMicrophone("Mic " + i, mic, 48000) { LoopInput = true });
                Microphone.Start("Mic " + i, true, 1, 48000);
                var source = new GameObject("Source " + i).AddComponent<AudioSource>();
                source.clip = clip;
                source.loop = true;
                source.Play();
            }
            _bare.RunFrames(600);
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _scene?.Dispose();
            _bare?.Dispose();
            _scene = null;
            _bare = null;
        }

        [Benchmark(Baseline = true, Description = "player frame, no agents (simulator only)")]
        public void FrameWithoutAgents() => _bare.RunFrames(1);

        /// <summary>Main thread: every Update (capture read, hand-off, session tick, the reply's arrival) plus the audio blocks due in the frame, rendered in lock-step.</summary>
        [Benchmark(Description = "player frame with N agents talking")]
        public void FrameWithAgents() => _scene.Player.RunFrames(1);
    }

    /// <summary>AgentVoice.OnAudioFilterRead on one 1024-frame stereo DSP block at 48 kHz (period 21.3 ms) with its reply playing.</summary>
    [MemoryDiagnoser]
    [Config(typeof(ShortInProcess))]
    public class AgentVoiceCallbackBenchmarks
    {
        SteadyConversationScene _scene;
        AgentVoice _voice;
        Action<float[], int> _filter;
        readonly float[] _block = new float[1024 * 2];
        readonly short[] _reply = SteadyConversationScene.DefaultReply();

        [GlobalSetup]
        public void Setup()
        {
            _scene = new SteadyConversationScene(1, new float[48000], SessionLoop.Background);
            _voice = _scene.Npcs[0].Agent.Voice;
            _scene.Npcs[0].Feed.Streaming = false;   // this benchmark feeds the playout itself
            // Unity calls the message by name on the audio thread; so does this benchmark, on its own thread.
            var m = typeof(AgentVoice).GetMethod("OnAudioFilterRead", BindingFlags.Instance | BindingFlags.NonPublic);
            _filter = (Action<float[], int>)Delegate.CreateDelegate(typeof(Action<float[], int>), _voice, m);
        }

        [GlobalCleanup]
        public void Cleanup() => _scene.Dispose();

        [Benchmark(Baseline = true, Description = "scale a block (trivial filter)")]
        public float Scale()
        {
            var b = _block;
            for (var i = 0; i < b.Length; i++) b[i] = -b[i];   // stays ±1: no denormals
            return b[0];
        }

        [Benchmark(Description = "AgentVoice.OnAudioFilterRead, reply playing")]
        public float VoiceCallback()
        {
            // Keep a second queued (what the network does), so every block renders the reply, never an underrun.
            if (_voice.QueuedSamples < 12000) _voice.Write("item-1", _reply);
            for (var i = 0; i < _block.Length; i++) _block[i] = 1f;   // the carrier clip Unity hands the filter
            _filter(_block, 2);
            return _block[100];
        }
    }
}
