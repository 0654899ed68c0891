using System;
using NUnit.Framework;
using Parley.Audio;
using Parley.Session;
using Parley.Simulation;
using Parley.Tests.HostOnly;
using Parley.Tests.Simulation;
using Parley.Tests.Support;
using Parley.Unity.Capture;
using Parley.Unity.Voice;

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

        [TestCase(SessionLoop.Background, 1, false, false)]
        [TestCase(SessionLoop.Inline, 1, false, false)]
        [TestCase(SessionLoop.Background, 3, false, false)]
        [TestCase(SessionLoop.Background, 1, true, false)]
        [TestCase(SessionLoop.Background, 3, true, false)]
        [TestCase(SessionLoop.Background, 1, true, true)]
        [TestCase(SessionLoop.Background, 3, true, true)]
        public void A_steady_frame_allocates_nothing_on_the_main_or_the_audio_thread(SessionLoop loop, int agents, bool echo, bool listenerMix)
        {
            // listenerMix: music plays through a source of its own and every agent's reference is the whole listener mix
            // (a ListenerEchoTap on the listener, probed after it in the listener's filter chain).
            // echo: every agent's voice reaches its microphone through a room, and each agent's front end cancels the
            // mix of all of them (the canceller, the echo guard and its energy VAD run in every case; a local VAD that
            // raises barge-ins is left out: an onset is an event, not a steady frame).
            var rooms = new System.Collections.Generic.List<ListenerEcho>();
            Action<SimulatedPlayer, SteadyConversationScene.Npc> configure = null;
            if (echo)
                configure = (player, npc) =>
                {
                    if (listenerMix) npc.Agent.EchoReferenceSource = EchoReferenceSource.ListenerMix;
                    var room = new ListenerEcho(player, rate => new EchoPath(EchoScenes.RoomImpulse(rate, 0.3, 60, 7), rate, -6).Process);
                    npc.Mic.Room = room;
                    rooms.Add(room);
                };
            using (var scene = new SteadyConversationScene(agents, MicInput(), loop, configure: configure))
            {
                SimulatorAllocationTests.AllocationProbe listenerProbe = null;
                ListenerEchoTap tap = null;
                if (listenerMix)
                {
                    var listener = UnityEngine.Object.FindObjectOfType<UnityEngine.AudioListener>().gameObject;
                    tap = listener.AddComponent<ListenerEchoTap>();   // enabled after the conversations started: the feeds switch to it
                    listenerProbe = listener.AddComponent<SimulatorAllocationTests.AllocationProbe>();
                    ListenerEchoTapTests.PlayMusic(ListenerEchoTapTests.MusicClip(48000, 4), 0.3f);
                }
                var probes = new SimulatorAllocationTests.AllocationProbe[agents];
                for (var i = 0; i < agents; i++) probes[i] = scene.Npcs[i].GameObject.AddComponent<SimulatorAllocationTests.AllocationProbe>();   // after the voice in the filter chain
                Run(scene, 600);   // warm-up: JIT (tiering included), first-use buffers, the first items
                var audio0 = new long[agents];
                for (var i = 0; i < agents; i++) audio0[i] = probes[i].AudioThreadBytes;
                var listener0 = listenerProbe?.AudioThreadBytes ?? 0;
                var tapped = tap?.BlocksTapped ?? 0;
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
                {
                    var fe = scene.Npcs[i].Agent.FrontEnd;
                    Assert.That(fe.Canceller, Is.EqualTo(Parley.Session.Audio.ActiveEchoCanceller.Parley));
                    Assert.That(scene.Npcs[i].Agent.EchoReference.ReferenceSamples, Is.GreaterThan(48000 * 10), "the played reference reached the front end, agent " + i);
                    Assert.That(scene.Npcs[i].Agent.EchoReference.ActiveSource, Is.EqualTo(listenerMix ? EchoReferenceSource.ListenerMix : EchoReferenceSource.AgentVoices));
                }
                foreach (var room in rooms) Assert.That(room.FramesHeard, Is.GreaterThan(48000 * 10), "the room heard the speakers");
                for (var i = 0; i < agents; i++)
                    Assert.That(probes[i].AudioThreadBytes - audio0[i], Is.EqualTo(0), "audio thread bytes, agent " + i);
                if (!listenerMix) return;
                Assert.That(tap.BlocksTapped - tapped, Is.GreaterThan(400));
                Assert.That(listenerProbe.AudioThreadBytes - listener0, Is.EqualTo(0), "audio thread bytes, the listener's chain (the tap and the mixes it writes)");
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
