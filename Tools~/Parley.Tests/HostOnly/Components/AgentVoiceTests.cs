using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Audio;
using Parley.Simulation;
using Parley.Tests.Simulation;
using Parley.Unity.Capture;
using Parley.Unity.Voice;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>AgentVoice and MicrophoneCapture in steady state: no allocation per frame or block; the echo reference.</summary>
    public class AgentVoiceTests : SimulationFixture
    {
        sealed class NullSink : ICaptureSink
        {
            public long Frames;
            public void OnCaptured(ReadOnlySpan<float> interleaved, AudioFormat format) => Frames += interleaved.Length;
        }

        static short[] Tone(int n, int rate, double hz, double amplitude)
        {
            var x = new short[n];
            for (var i = 0; i < n; i++) x[i] = (short)Math.Round(amplitude * 32767 * Math.Sin(2 * Math.PI * hz * i / rate));
            return x;
        }

        [Test]
        public void Capture_and_playout_allocate_nothing_per_frame_or_block_in_steady_state()
        {
            StartPlayer(new SimulatedPlayerOptions { Seed = 9 });
            ObjectWithListener();
            Player.AddMicrophone(new SimulatedMicrophone("Mic", new float[48000], 48000) { LoopInput = true });
            var go = new GameObject("NPC");
            var capture = go.AddComponent<MicrophoneCapture>();
            capture.DeviceName = "Mic";
            var sink = new NullSink();
            capture.AddSink(sink);
            var voice = go.AddComponent<AgentVoice>();
            var probe = go.AddComponent<SimulatorAllocationTests.AllocationProbe>();   // after the voice in the filter chain
            voice.Attach(24000);
            var tone = Tone(24000 * 14, 24000, 440, 0.3);
            Assert.That(voice.Write("item", tone), Is.True);   // 14 s queued: the speaker never runs dry in the window
            Player.RunFor(2);   // warm-up

            var main0 = probe.MainThreadBytes;
            var audio0 = probe.AudioThreadBytes;
            var frames0 = sink.Frames;
            Player.RunFor(10);
            Assert.That(sink.Frames - frames0, Is.GreaterThan(48000 * 9), "the capture delivered");
            Assert.That(voice.Speaker.AgentFramesRendered, Is.GreaterThan(48000 * 11), "the voice rendered");
            Assert.That(probe.MainThreadBytes - main0, Is.EqualTo(0), "main thread: MicrophoneCapture reading the clip with wrap-around");
            Assert.That(probe.AudioThreadBytes - audio0, Is.EqualTo(0), "audio thread: AgentVoice draining the playout");
        }

        [Test]
        public void The_echo_reference_is_the_played_signal_stamped_with_its_dspTime()
        {
            StartPlayer();
            ObjectWithListener();
            var go = new GameObject("NPC");
            var voice = go.AddComponent<AgentVoice>();
            voice.GetComponent<AudioSource>().volume = 0.5f;
            voice.Attach(24000);
            ((IEchoReference)voice).OpenEchoReference(4);
            Player.RunFor(0.5);   // silence first, so the reply starts at a known place in the reference
            using (var heard = new HeardRecorder(Player))
            {
                voice.Write("item", Tone(24000, 24000, 300, 0.5));
                voice.EndItem("item");
                var startDsp = AudioSettings.dspTime;
                Player.RunFor(1.5);

                var echo = new float[48000 * 4];
                var n = ((IEchoReference)voice).ReadEchoReference(echo, out var dspTime);
                var output = heard.ToArray();
                var left = output.Where((v, i) => i % heard.Channels == 0).ToArray();
                // The reference holds everything since it was opened; the heard recording starts 0.5 s later.
                var offset = n - left.Length;
                Assert.That(offset, Is.InRange(24000 - 1024, 24000 + 1024), "0.5 s of silence before the recording");
                var diff = 0.0;
                for (var i = 0; i < left.Length; i++) diff = Math.Max(diff, Math.Abs(echo[offset + i] - left[i]));
                Assert.That(diff, Is.LessThan(1e-6), "the reference equals what the listener heard (after the 0.5 volume)");
                Assert.That(left.Max(Math.Abs), Is.InRange(0.24f, 0.26f), "volume applied through the carrier: 0.5 x 0.5");
                Assert.That(dspTime, Is.EqualTo(startDsp - 0.5).Within(1024 / 48000.0 + 1e-9), "the first sample's dspTime");
            }
        }
    }
}
