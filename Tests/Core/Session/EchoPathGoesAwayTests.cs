using System;
using System.Collections.Generic;
using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.Session
{
    /// <summary>
    /// The opposite of <see cref="EchoPathAppearsTests"/>: the agent talks through the speakers, the canceller has learned
    /// the room, and the echo goes away while the agent keeps talking (headphones plugged in, the speaker muted, a
    /// microphone that falls to digital silence), with nobody speaking and the host not told. The canceller's stale
    /// estimate is the agent's own voice: put out, the guard took it for the player and the provider heard it. The
    /// canceller puts out the microphone for such blocks and the guard does not count them, so no barge-in is raised and
    /// the provider hears no speech.
    /// </summary>
    public class EchoPathGoesAwayTests
    {
        const int Rate = DuplexScenes.EngineRate;
        const double GoneAtMs = 5000, Seconds = 9;

        [TestCase(0.4, 100.0, -6.0, 0)]
        [TestCase(0.6, 200.0, -12.0, 1)]
        [TestCase(0.3, 60.0, 0.0, 2)]
        [TestCase(0.4, 100.0, -6.0, 3, true)]   // the microphone falls to digital silence
        public void A_stale_echo_estimate_raises_no_barge_in_and_the_provider_hears_no_speech(double rt60, double delayMs, double echoDb, int seed, bool silent = false)
        {
            var played = EchoScenes.FarSpeech(Rate, Seconds);
            var echo = EchoScenes.Echo(played, EchoScenes.RoomImpulse(Rate, rt60, delayMs, 60 + seed), echoDb);
            var noise = EchoScenes.Noise(played.Length, DuplexScenes.NoiseDbfs, 70 + seed);
            var gone = (int)(GoneAtMs * Rate / 1000);
            var mic = new float[played.Length];
            for (var i = 0; i < mic.Length; i++) mic[i] = i < gone ? echo[i] + noise[i] : silent ? 0f : noise[i];
            var sent = new List<short>();
            var raised = 0;
            using (var f = DuplexScenes.EnergyFrontEnd(24000))
            {
                f.VoiceActivity += speaking => { if (speaking) raised++; };
                var tick = Rate / 100;
                var pcm = new short[f.MaxOutputSamples(tick)];
                for (var at = 0; at + tick <= mic.Length; at += tick)
                {
                    f.WriteReference(at, new ReadOnlySpan<float>(played, at, tick));
                    var n = f.Process(new ReadOnlySpan<float>(mic, at, tick), pcm);
                    for (var i = 0; i < n; i++) sent.Add(pcm[i]);
                }
            }
            var heardAt = DuplexScenes.ProviderHearsAtMs(sent, 24000, GoneAtMs);
            var report = $"raised {raised}; the provider's VAD (3 frames over −42 dBFS) hears speech from the echo's end at {heardAt:0} ms";
            TestContext.WriteLine(report);
            Assert.That(raised, Is.EqualTo(0), report);
            Assert.That(heardAt, Is.EqualTo(-1), report);
        }
    }
}
