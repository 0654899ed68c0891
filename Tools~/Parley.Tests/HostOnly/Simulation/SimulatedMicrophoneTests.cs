using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Simulation;
using UnityEngine;

namespace Parley.Tests.Simulation
{
    /// <summary>The simulated microphone device and UnityEngine.Microphone over it (audio-behaviour.md §1).</summary>
    public class SimulatedMicrophoneTests : SimulationFixture
    {
        [Test]
        public void A_wav_read_back_across_wrap_around_equals_the_source_sample_for_sample()
        {
            StartPlayer();
            var speech = Speech48k();
            Player.AddMicrophone(new SimulatedMicrophone("Mic", speech, 48000));
            var reader = new GameObject("Capture").AddComponent<MicrophoneReader>();
            reader.Device = "Mic";
            reader.Clip = Microphone.Start("Mic", true, 1, 48000);   // 1 s loop: wraps every second

            Player.RunFor(6.3);

            var captured = reader.Captured.ToArray();
            Assert.That(captured.Length, Is.GreaterThan(6 * 48000 - 2000), "six wraps of the 1 s clip were read");
            Assert.That(reader.Positions.Zip(reader.Positions.Skip(1), (a, b) => b < a).Count(w => w), Is.GreaterThanOrEqualTo(6), "the position wrapped");
            var expected = speech.Take(captured.Length).ToArray();
            Assert.That(captured, Is.EqualTo(expected), "no sample lost, repeated or altered");
        }

        [Test]
        public void The_position_advances_in_packet_sized_steps()
        {
            StartPlayer();
            var mic = Player.AddMicrophone(new SimulatedMicrophone("Mic", Speech48k(), 48000) { PacketMilliseconds = 20 });
            Microphone.Start("Mic", true, 2, 48000);
            var samples = new List<int>();
            for (var t = 0.0005; t < 1.5; t += 0.001) Player.At(t, () => samples.Add(Microphone.GetPosition("Mic")));

            Player.RunFor(1.5);

            Assert.That(mic.PacketFrames, Is.EqualTo(960), "20 ms at 48 kHz");
            var steps = samples.Zip(samples.Skip(1), (a, b) => (b - a + 96000) % 96000).Where(d => d != 0).ToList();
            Assert.That(steps.Count, Is.GreaterThan(60));
            Assert.That(steps.All(d => d == 960), Is.True, "sampled every 1 ms, the position only ever moves by one packet");
        }

        [Test]
        public void The_position_stays_0_until_the_start_delay_has_passed()
        {
            StartPlayer();
            Player.AddMicrophone(new SimulatedMicrophone("Slow", Speech48k(), 48000) { StartDelaySeconds = 0.3 });
            Microphone.Start("Slow", true, 1, 48000);
            int before = -1, after = -1;
            Player.At(0.305, () => before = Microphone.GetPosition("Slow"));   // the first 10 ms packet lands at 0.31 s
            Player.At(0.315, () => after = Microphone.GetPosition("Slow"));
            Player.RunFor(0.4);
            Assert.That(before, Is.EqualTo(0));
            Assert.That(Microphone.IsRecording("Slow"), Is.True);
            Assert.That(after, Is.EqualTo(480));
        }

        [Test]
        public void A_device_that_never_delivers_keeps_the_position_at_0_while_recording()
        {
            StartPlayer();
            Player.AddMicrophone(new SimulatedMicrophone("NDI Audio", Speech48k(), 48000) { StartDelaySeconds = double.PositiveInfinity });
            Microphone.Start("NDI Audio", true, 1, 48000);
            Player.RunFor(10);
            Assert.That(Microphone.IsRecording("NDI Audio"), Is.True);
            Assert.That(Microphone.GetPosition("NDI Audio"), Is.EqualTo(0));
        }

        [TestCase(0.005)]
        [TestCase(-0.005)]
        public void Clock_drift_shows_in_the_position_against_dspTime(double drift)
        {
            StartPlayer();
            Player.AddMicrophone(new SimulatedMicrophone("Mic", Speech48k(), 48000) { ClockDrift = drift });
            Microphone.Start("Mic", true, 1, 48000);
            // Unwrapped position and dspTime read together once per frame, as capture code would.
            long unwrapped = 0;
            var last = 0;
            var readings = new List<(double dsp, long frames)>();
            var probe = new GameObject("Probe").AddComponent<FrameProbe>();
            probe.OnUpdate = () =>
            {
                var pos = Microphone.GetPosition("Mic");
                unwrapped += (pos - last + 48000) % 48000;
                last = pos;
                readings.Add((AudioSettings.dspTime, unwrapped));
            };

            Player.RunFor(5);

            var a = readings.First(r => r.dsp >= 1.0);
            var b = readings.Last();
            Assert.That(b.dsp - a.dsp, Is.GreaterThanOrEqualTo(2.0), "a window of at least 2 s");
            var measured = (b.frames - a.frames) / (b.dsp - a.dsp);
            var expected = 48000 * (1 + drift);
            Assert.That(Math.Abs(measured / expected - 1), Is.LessThan(0.001), "measured " + measured + " Hz");
        }

        [Test]
        public void Unplugging_stops_the_recording_and_removes_the_device_until_it_is_plugged_back_and_started_again()
        {
            StartPlayer();
            var mic = Player.AddMicrophone(new SimulatedMicrophone("USB Mic", Speech48k(), 48000) { OnUnplug = UnplugBehaviour.StopsRecording });
            Microphone.Start("USB Mic", true, 1, 48000);
            Player.At(1.0, mic.Unplug);
            Player.At(2.0, mic.Replug);
            var afterUnplug = (string[])null;
            var recordingAfterUnplug = true;
            Player.At(1.5, () => { afterUnplug = Microphone.devices; recordingAfterUnplug = Microphone.IsRecording("USB Mic"); });
            Player.RunFor(1.5);
            Assert.That(afterUnplug, Is.Empty);
            Assert.That(recordingAfterUnplug, Is.False);
            Assert.That(Microphone.GetPosition("USB Mic"), Is.EqualTo(0));
            var e = Assert.Throws<ArgumentException>(() => Microphone.Start("USB Mic", true, 1, 48000));
            Assert.That(e.Message, Is.EqualTo("Couldn't acquire device ID for device name USB Mic"));

            Player.RunFor(1.0);
            Assert.That(Microphone.devices, Is.EqualTo(new[] { "USB Mic" }));
            Assert.That(Microphone.IsRecording("USB Mic"), Is.False, "re-plugging does not resume the recording");
            Microphone.Start("USB Mic", true, 1, 48000);
            Player.RunFor(0.5);
            Assert.That(Microphone.IsRecording("USB Mic"), Is.True);
            Assert.That(Microphone.GetPosition("USB Mic"), Is.EqualTo(24000), "recording again from the start of a new clip");
        }

        [Test]
        public void Unplugging_a_device_that_freezes_keeps_it_recording_with_a_frozen_position()
        {
            StartPlayer();
            var mic = Player.AddMicrophone(new SimulatedMicrophone("BT Headset", Speech48k(), 48000) { OnUnplug = UnplugBehaviour.FreezesPosition });
            Microphone.Start("BT Headset", true, 2, 48000);
            Player.At(1.005, mic.Unplug);   // after the packet due at 1.0 s (scheduled actions run first at equal times)
            Player.RunFor(1.2);
            var frozen = Microphone.GetPosition("BT Headset");
            Player.RunFor(2.0);
            Assert.That(frozen, Is.EqualTo(48000));
            Assert.That(Microphone.GetPosition("BT Headset"), Is.EqualTo(frozen));
            Assert.That(Microphone.IsRecording("BT Headset"), Is.True);
        }

        [Test]
        public void Microphone_Start_can_stall_the_main_thread_while_audio_goes_on()
        {
            StartPlayer(new SimulatedPlayerOptions { FrameJitter = 0 });
            Player.AddMicrophone(new SimulatedMicrophone("Android audio input", Speech48k(), 48000) { StartStallSeconds = 0.3 });
            var gaps = new List<double>();
            var last = 0.0;
            var probe = new GameObject("Probe").AddComponent<FrameProbe>();
            probe.OnUpdate = () =>
            {
                gaps.Add(Time.realtimeSinceStartupAsDouble - last);
                last = Time.realtimeSinceStartupAsDouble;
                if (Time.frameCount == 10) Microphone.Start("Android audio input", true, 1, 48000);
            };
            Player.RunFrames(9);
            var before = Player.AudioBlocks;
            Player.RunFrames(2);
            Assert.That(gaps.Last(), Is.EqualTo(0.3 + 1.0 / 60).Within(1e-9), "the frame that started the microphone lasted 300 ms longer");
            Assert.That(Player.AudioBlocks - before, Is.GreaterThanOrEqualTo(14), "the audio thread rendered through the stall");
            Assert.That(Microphone.GetPosition("Android audio input"), Is.GreaterThan(0), "and the device recorded through it");
        }

        [Test]
        public void A_recording_without_loop_ends_when_the_clip_is_full()
        {
            StartPlayer();
            Player.AddMicrophone(new SimulatedMicrophone("Mic", Speech48k(), 48000));
            var clip = Microphone.Start("Mic", false, 1, 48000);
            Player.RunFor(0.9);
            Assert.That(Microphone.IsRecording("Mic"), Is.True);
            Player.RunFor(0.2);
            Assert.That(Microphone.IsRecording("Mic"), Is.False);
            var data = new float[48000];
            clip.GetData(data, 0);
            Assert.That(data, Is.EqualTo(Speech48k().Take(48000).ToArray()));
        }

        [Test]
        public void Input_at_another_rate_is_converted_to_the_clip_rate()
        {
            StartPlayer();
            // A 16 kHz input played into a 48 kHz clip: a 1 kHz tone stays 1 kHz (counted by rising zero crossings).
            var tone = Enumerable.Range(0, 32000).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * 1000 * i / 16000.0 + 0.1))).ToArray();
            Player.AddMicrophone(new SimulatedMicrophone("Mic", tone, 16000));
            var clip = Microphone.Start("Mic", false, 1, 48000);
            Player.RunFor(1.1);
            var data = new float[48000];
            clip.GetData(data, 0);
            var rising = Enumerable.Range(1, data.Length - 1).Count(i => data[i - 1] < 0 && data[i] >= 0);
            Assert.That(rising, Is.InRange(999, 1001));
        }

        [Test]
        public void The_managed_checks_and_silent_returns_are_Unitys()
        {
            StartPlayer();
            Player.AddMicrophone(new SimulatedMicrophone("Mic", Speech48k(), 48000) { MinFrequency = 16000, MaxFrequency = 48000 });
            Assert.That(Assert.Throws<ArgumentException>(() => Microphone.Start("Mic", true, 0, 48000)).Message,
                Is.EqualTo("Length of recording must be greater than zero seconds (was: 0 seconds)"));
            Assert.That(Assert.Throws<ArgumentException>(() => Microphone.Start("Mic", true, 3601, 48000)).Message,
                Is.EqualTo("Length of recording must be less than one hour (was: 3601 seconds)"));
            Assert.That(Assert.Throws<ArgumentException>(() => Microphone.Start("Mic", true, 1, 0)).Message,
                Is.EqualTo("Frequency of recording must be greater than zero (was: 0 Hz)"));
            Assert.That(Assert.Throws<ArgumentException>(() => Microphone.Start("Nope", true, 0, 0)).Message,
                Is.EqualTo("Couldn't acquire device ID for device name Nope"), "the device is checked first");
            Assert.That(Microphone.IsRecording("Nope"), Is.False);
            Assert.That(Microphone.GetPosition("Nope"), Is.EqualTo(0));
            Assert.DoesNotThrow(() => Microphone.End("Nope"));
            Microphone.GetDeviceCaps("Nope", out var min, out var max);
            Assert.That((min, max), Is.EqualTo((0, 0)));
            Microphone.GetDeviceCaps(null, out min, out max);
            Assert.That((min, max), Is.EqualTo((16000, 48000)), "null is the default device");
            var clip = Microphone.Start(null, true, 2, 44100);
            Assert.That((clip.samples, clip.channels, clip.frequency), Is.EqualTo((88200, 1, 44100)), "a mono clip at the requested rate");
            Microphone.End("Mic");
            Assert.That(Microphone.IsRecording("Mic"), Is.False);
        }
    }

    /// <summary>Runs a callback in Update.</summary>
    public sealed class FrameProbe : MonoBehaviour
    {
        public Action OnUpdate;
        void Update() => OnUpdate?.Invoke();
    }
}
