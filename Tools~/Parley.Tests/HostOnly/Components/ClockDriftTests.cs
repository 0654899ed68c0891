using System;
using NUnit.Framework;
using Parley.Simulation;
using Parley.Tests.Simulation;
using Parley.Unity.Capture;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>
    /// MicrophoneCapture's drift fit on the simulated device: the device's clock runs (1 + ClockDrift) times the
    /// output's (the player's dspTime), which is the truth the estimate is held to, through packet-sized position
    /// steps, a start delay, a jittered player loop with hitches (one long enough to lap the clip) and an unplug.
    /// </summary>
    public class ClockDriftTests : SimulationFixture
    {
        static MicrophoneCapture Capture16k()
        {
            var go = new GameObject("Mic");
            go.SetActive(false);
            var capture = go.AddComponent<MicrophoneCapture>();
            capture.DeviceName = "Mic";
            capture.RequestedSampleRate = 16000;
            go.SetActive(true);
            return capture;
        }

        [TestCase(-0.005)]
        [TestCase(0.0)]
        [TestCase(0.005)]
        public void The_microphone_drift_against_dspTime_is_measured_to_ppm(double drift)
        {
            var options = new SimulatedPlayerOptions { FrameJitter = 0.3, RandomHitchProbability = 0.002, RandomHitchSeconds = 0.15, Seed = 7 };
            options.Hitches.Add(new PlayerHitch(31, 1.3));   // laps a 1 s clip: an overrun, a new segment
            StartPlayer(options);
            var device = new SimulatedMicrophone("Mic", MicrophoneCaptureTests.Ramp(48000), 16000)
            { ClockDrift = drift, PacketMilliseconds = 20, StartDelaySeconds = 0.37, LoopInput = true };
            Player.AddMicrophone(device);
            var capture = Capture16k();
            Assert.That(capture.ClockDriftKnown, Is.False);
            Assert.That(double.IsNaN(capture.ClockDriftPpm), Is.True, "unknown before any capture");
            Player.RunFor(5);
            Assert.That(capture.ClockDriftKnown, Is.False, "not known before 10 s of fit");
            Player.RunFor(10);
            Assert.That(capture.ClockDriftKnown, Is.True, "known after 10 s of capture");
            var at15 = capture.ClockDriftPpm;
            var fit15 = capture.DriftMeter.DriftPpm;
            TestContext.WriteLine($"at 15 s: fit {fit15:0.0} ± {capture.DriftMeter.UncertaintyPpm:0.0} ppm, compensated {at15:0.0} ppm");
            if (drift == 0)
            {
                // The fit of a drift-free device is packet and block noise: the reference must not slide by it.
                Assert.That(fit15, Is.Not.EqualTo(0.0), "control: the fit itself is noise, not exactly 0");
                Assert.That(at15, Is.EqualTo(0.0), "a drift the fit cannot tell from none is not compensated");
            }
            else Assert.That(at15, Is.EqualTo(fit15), "half a percent is told from none after 10 s: compensated as fitted");
            Player.RunFor(45);
            var at60 = capture.ClockDriftPpm;
            TestContext.WriteLine($"drift {drift * 1e6:0} ppm: {at15:0.0} ppm at 15 s, {at60:0.0} ppm at 60 s (±{capture.DriftMeter.UncertaintyPpm:0.0} standard error, span {capture.DriftMeter.SpanSeconds:0.0} s), overruns {capture.Overruns}, segments {capture.DriftMeter.Segments}");
            Assert.That(capture.Overruns, Is.GreaterThanOrEqualTo(1), "the hitch lapped the clip");
            Assert.That(at15, Is.EqualTo(drift * 1e6).Within(100), "within 100 ppm after 10 s of fit");
            // Position steps of 20 ms and dspTime steps of 21.3 ms are errors of about sqrt(20² + 21.3²)/√12 = 8.4 ms per
            // reading; over the 26 s left after the overrun (~1500 readings) the slope's standard error is ~30 ppm.
            Assert.That(Math.Abs(at60 - drift * 1e6), Is.LessThan(Math.Max(3 * capture.DriftMeter.UncertaintyPpm, 10)), "within 3 standard errors");
            Assert.That(at60, Is.EqualTo(drift * 1e6).Within(60), "within 60 ppm after 26 s of fit");
        }

        [Test]
        public void An_unplug_starts_a_new_segment_and_keeps_the_last_estimate_meanwhile()
        {
            StartPlayer();
            var device = new SimulatedMicrophone("Mic", MicrophoneCaptureTests.Ramp(48000), 16000) { ClockDrift = 0.003, LoopInput = true };
            Player.AddMicrophone(device);
            var capture = Capture16k();
            Player.RunFor(20);
            var before = capture.ClockDriftPpm;
            var segments = capture.DriftMeter.Segments;
            device.Unplug();
            Player.RunFor(3);
            device.Replug();
            Player.RunFor(5);
            Assert.That(capture.DeviceLosses, Is.EqualTo(1));
            Assert.That(capture.DriftMeter.Segments, Is.GreaterThan(segments), "the count restarted");
            Assert.That(capture.ClockDriftPpm, Is.EqualTo(before), "kept until the new segment spans 10 s");
            Player.RunFor(20);
            TestContext.WriteLine($"before the unplug {before:0.0} ppm, 25 s after the re-plug {capture.ClockDriftPpm:0.0} ppm");
            Assert.That(capture.ClockDriftPpm, Is.EqualTo(3000).Within(30));
        }
    }
}
