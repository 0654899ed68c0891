using System;
using NUnit.Framework;
using Parley.Audio;
using Parley.Audio.Vad;
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
    /// The agent talks to a player wearing headphones (the microphone hears none of it), then the output moves to the
    /// speakers (Unity resets audio, the voice restarts) and the room's echo reaches the microphone; nobody else
    /// speaks. The capture path as VoiceAgent wires it: MicrophoneCapture → EchoReferenceFeed → DuplexFrontEnd with the
    /// energy VAD. The front end measured "no echo path" on the headphones; the feed voids it on the device change.
    /// </summary>
    public class OutputDeviceChangeEchoTests : SimulationFixture
    {
        /// <summary>Raised onsets after the speakers took over; whether "no echo path" was measured on the headphones.</summary>
        int Run(bool deviceChangeReported, out bool noEchoOnHeadphones, out bool noEchoAtEnd)
        {
            StartPlayer();   // 48 kHz output, 1024-frame DSP blocks, jittered 60 fps
            ObjectWithListener();
            var device = new SimulatedMicrophone("Mic", new float[0], 16000) { PacketMilliseconds = 10 };
            Player.AddMicrophone(device);
            using (var room = new ListenerEcho(Player, rate => new EchoPath(EchoScenes.RoomImpulse(rate, 0.4, 100, 3), rate, -6).Process))
            using (var frontEnd = new DuplexFrontEnd(new AudioFormat(16000, 1), 16000, new EnergyVoiceActivityDetector(16000)))
            using (var feed = new EchoReferenceFeed(frontEnd))
            {
                frontEnd.Configure(16000);
                var raised = 0;
                var voice = new GameObject("NPC").AddComponent<AgentVoice>();
                voice.Attach(24000);
                var sink = new ClockDriftEchoTests.FrontEndSink { FrontEnd = frontEnd, Feed = feed };
                ClockDriftEchoTests.Capture16k("Mic", sink);
                var far = EchoScenes.FarSpeech(24000, 13);
                var pcm = new short[far.Length];
                for (var i = 0; i < far.Length; i++) pcm[i] = (short)Math.Round(Math.Max(-1, Math.Min(1, far[i])) * 32767);
                noEchoOnHeadphones = false;
                for (var s = 0; s < 12; s++)
                {
                    voice.Write("reply", new ReadOnlySpan<short>(pcm, s * 24000, 24000));
                    if (s == 4)
                    {
                        noEchoOnHeadphones = frontEnd.NoEchoPathMeasured;
                        // The headphones come off: the speakers (and their echo) from here.
                        if (deviceChangeReported) Player.ChangeOutputDevice(48000);
                        device.Room = room;
                        frontEnd.VoiceActivity += speaking => { if (speaking) raised++; };
                    }
                    Player.RunFor(1);
                }
                noEchoAtEnd = frontEnd.NoEchoPathMeasured;
                return raised;
            }
        }

        [Test]
        public void Taking_the_headphones_off_mid_reply_does_not_make_the_agent_interrupt_itself()
        {
            var raised = Run(true, out var measured, out var atEnd);
            DisposePlayer();
            var control = Run(false, out var controlMeasured, out _);
            TestContext.WriteLine($"headphones: no echo measured {measured}; after the device change: raised {raised}, no echo at the end {atEnd}. " +
                $"The same echo with no device change reported: raised {control}");
            Assert.That(measured, Is.True, "on the headphones the front end measured no echo path");
            Assert.That(controlMeasured, Is.True);
            Assert.That(raised, Is.Zero, "the speakers' echo raises no onset");
            Assert.That(atEnd, Is.False, "the speakers' echo path is never measured missing");
            Assert.That(control, Is.GreaterThan(0), "unreported, the old measurement lets the echo through (what the device change prevents)");
        }
    }
}
