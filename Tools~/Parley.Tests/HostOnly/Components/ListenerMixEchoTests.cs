using System;
using NUnit.Framework;
using Parley.Audio;
using Parley.Audio.Vad;
using Parley.Session.Audio;
using Parley.Simulation;
using Parley.Tests.Simulation;
using Parley.Tests.Support;
using Parley.Unity.Capture;
using Parley.Unity.Voice;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>
    /// Game music leaking into the microphone (issue 13 item 1): an AudioSource that is no agent plays a music loop
    /// while the agent speaks; what the listener heard reaches a 16 kHz microphone through a room (RT60 0.3 s, 60 ms,
    /// −6 dB), as the agent's capture path wires it (MicrophoneCapture → EchoReferenceFeed → DuplexFrontEnd with the
    /// energy VAD). The same scene with the agents' voices as the reference and with the listener's mix (a
    /// ListenerEchoTap on the listener): the canceller's ERLE on the music and on the voice, and the barge-ins raised
    /// with nobody talking.
    /// Timeline: 0–20 s voice and music, 20–32 s music alone, 32–47 s voice alone (the music stopped).
    /// </summary>
    public class ListenerMixEchoTests : SimulationFixture
    {
        const int Seconds = 47;

        /// <summary>Music made apart from any code under test: chords on a 0.5 s beat, a log sweep 150 Hz → 5 kHz, low-passed noise on the quarter beat; peak 0.5.</summary>
        internal static float[] Music(int rate, double seconds, int seed)
        {
            var n = (int)(seconds * rate);
            var x = new double[n];
            var r = new Random(seed);
            double[] scale = { 220, 246.94, 277.18, 329.63, 369.99, 440, 493.88, 554.37 };
            var beat = rate / 2;
            for (var b = 0; b * beat < n; b++)
            {
                var notes = new[] { scale[r.Next(8)], scale[r.Next(8)] * 1.5, scale[r.Next(8)] * 2 };
                for (var i = 0; i < beat && b * beat + i < n; i++)
                {
                    var k = b * beat + i;
                    double v = 0;
                    foreach (var f in notes)
                        for (var h = 1; h <= 4; h++)
                            v += Math.Sin(2 * Math.PI * f * h * k / rate) / h;
                    x[k] += 0.3 * Math.Exp(-3.0 * i / rate) * v;
                }
            }
            double phase = 0, lp = 0;
            for (var k = 0; k < n; k++)
            {
                phase += 2 * Math.PI * 150 * Math.Pow(5000 / 150.0, k / (double)n) / rate;
                lp = 0.7 * lp + 0.3 * EchoScenes.Gaussian(r);
                x[k] += 0.15 * Math.Sin(phase) + 0.4 * Math.Exp(-(k % (rate / 4)) / (0.02 * rate)) * lp;
            }
            double peak = 0;
            foreach (var v in x) peak = Math.Max(peak, Math.Abs(v));
            var y = new float[n];
            for (var k = 0; k < n; k++) y[k] = (float)(x[k] * 0.5 / peak);
            return y;
        }

        /// <summary>The agent's capture path (as in ClockDriftEchoTests): the reference, then the front end; energy per window.</summary>
        sealed class Sink : ICaptureSink
        {
            public DuplexFrontEnd FrontEnd;
            public EchoReferenceFeed Feed;
            public int Window = -1;
            public readonly double[] Mic = new double[3], Out = new double[3];
            short[] _pcm = new short[0];

            public void OnCaptured(ReadOnlySpan<float> interleaved, AudioFormat format)
            {
                Feed.BeforeCapture(interleaved.Length);
                var max = FrontEnd.MaxOutputSamples(interleaved.Length);
                if (_pcm.Length < max) _pcm = new short[max];
                var n = FrontEnd.Process(interleaved, _pcm);
                if (Window < 0) return;
                foreach (var v in interleaved) Mic[Window] += v * (double)v;
                for (var i = 0; i < n; i++) { var v = _pcm[i] / 32768.0; Out[Window] += v * v; }
            }
        }

        sealed class Outcome
        {
            public double MusicErle, VoiceErle, BothErle;
            public int OnsetsBoth, OnsetsMusic, OnsetsVoice, Guarded;
            public EchoReferenceSource Active;
            public readonly System.Collections.Generic.List<double> RaisedAt = new System.Collections.Generic.List<double>();
            public override string ToString() =>
                $"{Active}: ERLE music alone {MusicErle:0.0} dB, voice alone {VoiceErle:0.0} dB, both {BothErle:0.0} dB; barge-ins raised with voice+music {OnsetsBoth}, music alone {OnsetsMusic}, voice alone {OnsetsVoice} (at {string.Join(", ", RaisedAt.ConvertAll(t => t.ToString("0.00")))} s; guarded {Guarded})";
        }

        /// <param name="cancellerOnly">The residual gate off (ResidualGateDb 0): the canceller's own output, for ERLE. Otherwise the defaults, as VoiceAgent runs them.</param>
        Outcome Run(EchoReferenceSource source, bool cancellerOnly)
        {
            StartPlayer();   // 48 kHz output, 1024-frame DSP blocks, jittered 60 fps
            var listener = ObjectWithListener();
            listener.AddComponent<ListenerEchoTap>();   // present in both runs: the setting decides
            var device = new SimulatedMicrophone("Mic", new float[0], 16000) { PacketMilliseconds = 10 };
            Player.AddMicrophone(device);
            var options = cancellerOnly ? new DuplexFrontEndOptions { ResidualGateDb = 0 } : new DuplexFrontEndOptions();
            using (var room = new ListenerEcho(Player, rate => new EchoPath(EchoScenes.RoomImpulse(rate, 0.3, 60, 7), rate, -6).Process))
            using (var frontEnd = new DuplexFrontEnd(new AudioFormat(16000, 1), 16000, new EnergyVoiceActivityDetector(16000), options))
            using (var feed = new EchoReferenceFeed(frontEnd, source))
            {
                device.Room = room;
                frontEnd.Configure(16000);
                var voice = new GameObject("NPC").AddComponent<AgentVoice>();
                voice.Attach(24000);
                var sink = new Sink { FrontEnd = frontEnd, Feed = feed };
                ClockDriftEchoTests.Capture16k("Mic", sink);
                var music = ListenerEchoTapTests.PlayMusic(ListenerEchoTapTests.MusicClip(48000, 8), 0.5f);
                var far = EchoScenes.FarSpeech(24000, 36);
                var pcm = new short[far.Length];
                for (var i = 0; i < far.Length; i++) pcm[i] = (short)Math.Round(Math.Max(-1, Math.Min(1, far[i])) * 32767);
                var outcome = new Outcome();
                frontEnd.VoiceActivity += speaking => { if (speaking) outcome.RaisedAt.Add(frontEnd.LastRaisedAtMs / 1000); };
                var spoken = 0;
                for (var s = 0; s < Seconds; s++)
                {
                    if (s == 20) outcome.OnsetsBoth = frontEnd.RaisedOnsets;
                    if (s == 32) { outcome.OnsetsMusic = frontEnd.RaisedOnsets - outcome.OnsetsBoth; music.Stop(); }
                    if (s < 20 || s >= 32) voice.Write("reply", new ReadOnlySpan<short>(pcm, spoken++ * 24000, 24000));
                    // Windows start seconds after a change (the room's tail, the canceller settling) and end before the next.
                    sink.Window = s >= 10 && s < 20 ? 2 : s >= 24 && s < 32 ? 0 : s >= 36 ? 1 : -1;
                    Player.RunFor(1);
                }
                outcome.OnsetsVoice = frontEnd.RaisedOnsets - outcome.OnsetsBoth - outcome.OnsetsMusic;
                outcome.Guarded = frontEnd.GuardedOnsets;
                outcome.Active = feed.ActiveSource;
                for (var w = 0; w < 3; w++) Assert.That(sink.Mic[w], Is.GreaterThan(0), "the microphone heard the room, window " + w);
                double Erle(int w) => 10 * Math.Log10(sink.Mic[w] / Math.Max(sink.Out[w], 1e-20));
                outcome.MusicErle = Erle(0);
                outcome.VoiceErle = Erle(1);
                outcome.BothErle = Erle(2);
                Assert.That(voice.Underruns, Is.LessThan(40), "the voice played its seconds");
                return outcome;
            }
        }

        [Test]
        public void With_the_listener_mix_the_music_is_cancelled_and_the_voice_as_well_as_with_the_voices_alone()
        {
            var voices = Run(EchoReferenceSource.AgentVoices, true);
            DisposePlayer();
            var mix = Run(EchoReferenceSource.ListenerMix, true);
            TestContext.WriteLine(voices.ToString());
            TestContext.WriteLine(mix.ToString());
            Assert.That(mix.Active, Is.EqualTo(EchoReferenceSource.ListenerMix));
            Assert.That(voices.Active, Is.EqualTo(EchoReferenceSource.AgentVoices));
            Assert.That(voices.MusicErle, Is.LessThan(3), "the voices-only reference has nothing of the music: it stays in the microphone");
            Assert.That(mix.MusicErle, Is.GreaterThan(20), "the listener mix cancels the music");
            Assert.That(mix.BothErle, Is.GreaterThan(voices.BothErle + 10), "music and voice together");
            Assert.That(mix.VoiceErle, Is.GreaterThan(voices.VoiceErle - 3), "the voice is cancelled as well either way");
        }

        [Test]
        public void With_music_leaking_and_nobody_talking_the_listener_mix_front_end_raises_no_barge_in()
        {
            var voices = Run(EchoReferenceSource.AgentVoices, false);
            DisposePlayer();
            var mix = Run(EchoReferenceSource.ListenerMix, false);
            TestContext.WriteLine(voices.ToString());
            TestContext.WriteLine(mix.ToString());
            Assert.That(mix.OnsetsBoth + mix.OnsetsMusic + mix.OnsetsVoice, Is.EqualTo(0), "no barge-in on the music or the voice");
            Assert.That(voices.OnsetsMusic, Is.GreaterThan(0), "the voices-only front end takes the music for the player (the scene provokes it)");
        }
    }
}
