using System;
using NUnit.Framework;
using Parley.Audio;
using Parley.Session.Audio;
using Parley.Simulation;
using Parley.Tests.Support;
using Parley.Tests.Simulation;
using Parley.Unity.Capture;
using Parley.Unity.Voice;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>
    /// 60 s of the agent's voice through a room into a microphone whose clock runs −0.5 %, 0 or +0.5 % off the output's:
    /// MicrophoneCapture measures the drift against dspTime and the echo reference follows it, as VoiceAgent wires them
    /// (IClockDriftSource → EchoReferenceFeed.ClockDriftPpm before each block). Nobody tells anything the true drift.
    /// </summary>
    public class ClockDriftEchoTests : SimulationFixture
    {
        /// <summary>The agent's capture path: the measured drift into the feed (with <see cref="UseDrift"/>), the reference, then the front end.</summary>
        internal sealed class FrontEndSink : ICaptureSink
        {
            public DuplexFrontEnd FrontEnd;
            public EchoReferenceFeed Feed;
            public IClockDriftSource Drift;
            public bool UseDrift;
            /// <summary>Added to the measured drift before the feed gets it: a measurement's error.</summary>
            public double ErrorPpm;
            public double MicEnergy, OutEnergy;
            public bool Measuring;
            short[] _pcm = new short[0];

            public void OnCaptured(ReadOnlySpan<float> interleaved, AudioFormat format)
            {
                if (UseDrift && Drift.ClockDriftKnown) Feed.ClockDriftPpm = Drift.ClockDriftPpm + ErrorPpm;
                Feed.BeforeCapture(interleaved.Length);
                var max = FrontEnd.MaxOutputSamples(interleaved.Length);
                if (_pcm.Length < max) _pcm = new short[max];
                var n = FrontEnd.Process(interleaved, _pcm);
                if (!Measuring) return;
                foreach (var v in interleaved) MicEnergy += v * (double)v;
                for (var i = 0; i < n; i++) { var v = _pcm[i] / 32768.0; OutEnergy += v * v; }
            }
        }

        /// <summary>A MicrophoneCapture of <paramref name="device"/> at 16 kHz delivering to <paramref name="sink"/> (the sink is added before the capture starts).</summary>
        internal static MicrophoneCapture Capture16k(string device, ICaptureSink sink)
        {
            var go = new GameObject(device);
            go.SetActive(false);
            var capture = go.AddComponent<MicrophoneCapture>();
            capture.DeviceName = device;
            capture.RequestedSampleRate = 16000;
            capture.AddSink(sink);
            go.SetActive(true);
            return capture;
        }

        double Run(double drift, bool useDrift, out double measuredPpm, out int reanchors) => Run(drift, useDrift, 0, true, out measuredPpm, out reanchors, out _);

        double Run(double drift, bool useDrift, double errorPpm, bool trim, out double measuredPpm, out int reanchors, out double trimPpm)
        {
            StartPlayer();   // 48 kHz output, 1024-frame DSP blocks, jittered 60 fps
            ObjectWithListener();
            var device = new SimulatedMicrophone("Mic", new float[0], 16000) { ClockDrift = drift, PacketMilliseconds = 10 };
            Player.AddMicrophone(device);
            using (var room = new ListenerEcho(Player, rate => new EchoPath(EchoScenes.RoomImpulse(rate, 0.3, 60, 7), rate, -6).Process))
            using (var frontEnd = new DuplexFrontEnd(new AudioFormat(16000, 1), 16000, null, new DuplexFrontEndOptions { ResidualGateDb = 0 }))   // the canceller's own output, not the gate's
            using (var feed = new EchoReferenceFeed(frontEnd))
            {
                device.Room = room;
                frontEnd.TrimClockDrift = trim;
                frontEnd.Configure(16000);
                var voice = new GameObject("NPC").AddComponent<AgentVoice>();
                voice.Attach(24000);
                var sink = new FrontEndSink { FrontEnd = frontEnd, Feed = feed, UseDrift = useDrift, ErrorPpm = errorPpm };
                var capture = Capture16k("Mic", sink);
                sink.Drift = capture;
                var far = EchoScenes.FarSpeech(24000, 61);
                var pcm = new short[far.Length];
                for (var i = 0; i < far.Length; i++) pcm[i] = (short)Math.Round(Math.Max(-1, Math.Min(1, far[i])) * 32767);
                for (var s = 0; s < 60; s++)
                {
                    voice.Write("reply", new ReadOnlySpan<short>(pcm, s * 24000, 24000));
                    if (s == 50) sink.Measuring = true;   // the last 10 s
                    Player.RunFor(1);
                }
                measuredPpm = capture.ClockDriftPpm;
                reanchors = feed.Reanchors;
                trimPpm = frontEnd.EchoCanceller.ClockDriftTrimPpm;
                Assert.That(sink.MicEnergy, Is.GreaterThan(0), "the microphone heard the room");
                return 10 * Math.Log10(sink.MicEnergy / Math.Max(sink.OutEnergy, 1e-20));
            }
        }

        [TestCase(-0.005)]
        [TestCase(0.005)]
        public void Erle_with_the_microphone_off_by_half_a_percent_is_within_3_dB_of_none_without_being_told(double drift)
        {
            var none = Run(0, true, out var ppm0, out _);
            DisposePlayer();
            var drifted = Run(drift, true, out var ppm, out var reanchors);
            DisposePlayer();
            var untold = Run(drift, false, out _, out var reanchorsUntold);
            TestContext.WriteLine($"ERLE last 10 s: no drift {none:0.0} dB (measured {ppm0:0.0} ppm); {drift * 100:+0.0;-0.0} %: {drifted:0.0} dB (measured {ppm:0.0} ppm, {reanchors} re-placements); drift not fed: {untold:0.0} dB ({reanchorsUntold} re-placements)");
            Assert.That(ppm, Is.EqualTo(drift * 1e6).Within(60), "the drift measured by the capture");
            Assert.That(Math.Abs(ppm0), Is.LessThan(60));
            Assert.That(drifted, Is.GreaterThan(none - 3), "within 3 dB of no drift");
            Assert.That(untold, Is.LessThan(none - 10), "the scene needs the drift: not fed, the reference is re-placed every ~1 s");
        }

        /// <summary>
        /// The capture's fit is within 60 ppm of the truth (ClockDriftTests), not exact: the feed then resamples the
        /// reference by a slightly wrong figure and the path slides (30 ppm is 1.8 ms over the minute, under the feed's
        /// 5 ms re-placement). The canceller trims what is left from how its filter turns, as it does for a figure it was
        /// told; the control, the trim off, trails the sliding path.
        /// </summary>
        [TestCase(0.005, 30)]
        [TestCase(-0.005, -30)]
        public void Trims_what_the_measured_drift_leaves_over(double drift, double errorPpm)
        {
            var none = Run(0, true, out _, out _);
            DisposePlayer();
            var trimmed = Run(drift, true, errorPpm, true, out var ppm, out var reanchors, out var trimPpm);
            DisposePlayer();
            var untrimmed = Run(drift, true, errorPpm, false, out _, out var reanchorsOff, out _);
            TestContext.WriteLine($"ERLE last 10 s: no drift {none:0.0} dB; {drift * 100:+0.0;-0.0} % fed {errorPpm:+0;-0} ppm off the measured {ppm:0.0}: trimmed {trimmed:0.0} dB (trim {trimPpm:0.0} ppm, {reanchors} re-placements), not trimmed {untrimmed:0.0} dB ({reanchorsOff} re-placements)");
            Assert.That(trimPpm, Is.EqualTo(-errorPpm).Within(6), "the trim takes the measurement's error");
            Assert.That(trimmed, Is.GreaterThan(none - 3), "within 3 dB of no drift");
            Assert.That(untrimmed, Is.LessThan(trimmed - 5), "the control: not trimmed, the filter trails the sliding path");
        }
    }
}
