using System;
using NUnit.Framework;
using Parley.Simulation;
using UnityEngine;

namespace Parley.Tests.Simulation
{
    /// <summary>
    /// The simulator itself allocates nothing per frame, per DSP block or per microphone packet in steady state, so
    /// allocation measured through it (issue 11 item 11) belongs to the components under test.
    /// </summary>
    public class SimulatorAllocationTests : SimulationFixture
    {
        /// <summary>A filter that allocates nothing and notes the audio thread's allocation counter.</summary>
        public sealed class AllocationProbe : MonoBehaviour
        {
            public long AudioThreadBytes;
            public long MainThreadBytes;
            void OnAudioFilterRead(float[] data, int channels) => AudioThreadBytes = GC.GetAllocatedBytesForCurrentThread();
            void Update() => MainThreadBytes = GC.GetAllocatedBytesForCurrentThread();
        }

        [Test]
        public void Steady_state_frames_blocks_and_packets_allocate_nothing()
        {
            StartPlayer(new SimulatedPlayerOptions { FrameJitter = 0.1 });
            ObjectWithListener();
            Player.AddMicrophone(new SimulatedMicrophone("Mic", new float[48000], 48000) { LoopInput = true });
            Microphone.Start("Mic", true, 1, 48000);
            var clip = AudioClip.Create("tone", 48000, 1, 48000, false);
            var go = new GameObject("Speaker");
            var source = go.AddComponent<AudioSource>();
            source.clip = clip;
            source.loop = true;
            source.spatialBlend = 1f;
            var probe = go.AddComponent<AllocationProbe>();
            source.Play();
            Player.RunFor(2);   // warm-up: JIT, first-use allocations

            var main0 = probe.MainThreadBytes;
            var audio0 = probe.AudioThreadBytes;
            var frames = Player.FrameCount;
            var blocks = Player.AudioBlocks;
            Player.RunFor(10);
            Assert.That(Player.FrameCount - frames, Is.GreaterThan(500));
            Assert.That(Player.AudioBlocks - blocks, Is.GreaterThan(400));
            Assert.That(probe.MainThreadBytes - main0, Is.EqualTo(0), "main thread: frames, microphone packets, scheduling");
            Assert.That(probe.AudioThreadBytes - audio0, Is.EqualTo(0), "audio thread: mixing, attenuation, filter calls");
        }
    }
}
