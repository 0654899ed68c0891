using System;
using NUnit.Framework;
using Parley.Session;
using Parley.Tests.HostOnly;
using Parley.Tests.Simulation;
using Parley.Tests.Support;

namespace Parley.Tests.Components
{
    /// <summary>
    /// Issue 11 item 11, the allocation half: in a steady conversation (the player talking, the agent's reply
    /// streaming and playing) the agent's frame path allocates nothing on the main thread (MicrophoneCapture's
    /// read, VoiceAgent's capture hand-off and session tick, the reply's arrival) nor on the audio thread
    /// (AgentVoice's OnAudioFilterRead). The simulator itself allocates nothing (SimulatorAllocationTests).
    /// Times are BenchmarkDotNet's job (AgentFrameBenchmarks).
    /// </summary>
    public class AgentSteadyStateTests
    {
        static float[] MicInput() => TestWav.Read(PackagePaths.Fixture("audio", "conversation", "user-turns-48k.wav")).Samples;

        [TestCase(SessionLoop.Background, 1)]
        [TestCase(SessionLoop.Inline, 1)]
        [TestCase(SessionLoop.Background, 3)]
        public void A_steady_frame_allocates_nothing_on_the_main_or_the_audio_thread(SessionLoop loop, int agents)
        {
            using (var scene = new SteadyConversationScene(agents, MicInput(), loop))
            {
                var probes = new SimulatorAllocationTests.AllocationProbe[agents];
                for (var i = 0; i < agents; i++) probes[i] = scene.Npcs[i].GameObject.AddComponent<SimulatorAllocationTests.AllocationProbe>();   // after the voice in the filter chain
                Run(scene, 600);   // warm-up: JIT (tiering included), first-use buffers, the first items
                var audio0 = new long[agents];
                for (var i = 0; i < agents; i++) audio0[i] = probes[i].AudioThreadBytes;
                var frames = scene.Player.FrameCount;
                var blocks = scene.Player.AudioBlocks;
                var sent = scene.Npcs[0].Provider.SamplesReceived;
                var played = scene.Npcs[0].Agent.Voice.BlocksRendered;
                // In a no-GC region (ThreadAllocation): a background GC would charge the main and audio threads the
                // rest of their allocation contexts (1256 B seen once). The budget covers the servers' and sessions'
                // own threads, which do allocate (JSON, frames).
                var gcs = 0;
                var main = ThreadAllocation.Measure(() => { gcs = GC.CollectionCount(0); Run(scene, 600); gcs = GC.CollectionCount(0) - gcs; }, 64L << 20);

                Assert.That(scene.Player.FrameCount - frames, Is.EqualTo(600));
                Assert.That(scene.Player.AudioBlocks - blocks, Is.GreaterThan(400));
                Assert.That(scene.Npcs[0].Provider.SamplesReceived - sent, Is.GreaterThan(24000 * 8), "the player's audio reached the provider");
                Assert.That(scene.Npcs[0].Agent.Voice.BlocksRendered - played, Is.GreaterThan(400), "the reply played");
                Assert.That(scene.Npcs[0].Agent.Voice.Underruns, Is.EqualTo(0));
                TestContext.WriteLine($"{loop}, {agents} agent(s): main thread {main} B over 600 frames, {gcs} GC(s) while measured");
                Assert.That(main, Is.EqualTo(0), "main thread bytes over 600 steady frames");
                for (var i = 0; i < agents; i++)
                    Assert.That(probes[i].AudioThreadBytes - audio0[i], Is.EqualTo(0), "audio thread bytes, agent " + i);
            }
        }

        static void Run(SteadyConversationScene scene, int frames)
        {
            for (var f = 0; f < frames; f++)
            {
                scene.Player.RunFrames(1);
                scene.Settle();
            }
        }
    }
}
