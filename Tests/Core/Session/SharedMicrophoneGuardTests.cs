using System;
using NUnit.Framework;
using Parley.Audio;
using Parley.Session.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.Session
{
    /// <summary>
    /// Two agents share one microphone (the hub hands it from A to B; each agent has its own front end, fed the mix of
    /// every agent's voice): A replies, the player walks to B and speaks to B over A's reply. B's front end starts at the
    /// hand-over with a cold echo guard while A's voice plays. Streamed in 10 ms ticks on the sample clock, no wall time.
    /// </summary>
    public class SharedMicrophoneGuardTests
    {
        const int Rate = DuplexScenes.EngineRate;
        const int ProviderRate = 24000;
        const double ReplyAtMs = 3000, HandoverAtMs = 3300, PlayerAtMs = 3900, EndMs = 7500;

        sealed class Run
        {
            public double OnsetMs, ReachedMs = -1, RaisedMs = -1, HeardDb, PlayerDb;
            public int Raised;
            public double GatedDbfs;   // B's output while only A's voice (and its echo) could be heard, before the player
            public bool NoEchoAtHandover;   // B's guard knew the microphone carries no echo when it got the microphone
            // Over the utterance (onset to the last labelled phoneme): the longest run of 10 ms frames under −45 dBFS in what
            // B's server got, and in the player's own voice (their pauses). A server VAD ends a turn on a long enough one.
            public double LongestQuietMs, PlayerLongestQuietMs;
        }

        /// <summary>
        /// A's reply (from <see cref="ReplyAtMs"/>) through an optional room into the microphone, the player's "thanks" at
        /// <see cref="PlayerAtMs"/> (optional), noise at −60 dBFS. A's front end takes the microphone before
        /// <paramref name="handoverMs"/>, B's after; both get the played mix as their reference, on their own clocks. With
        /// <paramref name="observe"/> B observes the microphone before the hand-over (the hub's observers) on A's clock.
        /// </summary>
        static Run Play(bool player, double echoDb = double.NaN, double rt60 = 0.4, double delayMs = 100, int seed = 1, bool localVad = false,
            double handoverMs = HandoverAtMs, bool observe = false, double playerDb = 0)
        {
            var n = (int)(EndMs * Rate / 1000);
            var played = new float[n];
            var reply = EchoScenes.FarSpeech(Rate, EndMs / 1000);
            var replyAt = (int)(ReplyAtMs * Rate / 1000);
            Array.Copy(reply, 0, played, replyAt, n - replyAt);
            var echo = double.IsNaN(echoDb) ? new float[n] : EchoScenes.Echo(played, EchoScenes.RoomImpulse(Rate, rt60, delayMs, seed), echoDb);
            var near = new float[n];
            var run = new Run();
            var utteranceEndMs = double.NaN;
            if (player)
            {
                var clip = EchoScenes.NearClip(1, Rate);   // "Thank you, that is exactly what I needed."
                var g = (float)Math.Pow(10, playerDb / 20);
                for (var i = 0; i < clip.Length; i++) clip[i] *= g;
                var at = (int)(PlayerAtMs * Rate / 1000);
                Array.Copy(clip, 0, near, at, Math.Min(clip.Length, n - at));
                var phonemes = VadCorpus.SpeechIntervals("user-thanks");
                run.OnsetMs = PlayerAtMs + phonemes[0].Start;
                utteranceEndMs = PlayerAtMs + phonemes[phonemes.Count - 1].End;
            }
            var mic = EchoScenes.Sum(echo, EchoScenes.Noise(n, DuplexScenes.NoiseDbfs, seed + 7), near);

            var tick = Rate / 100;
            var handover = (int)(handoverMs * Rate / 1000);
            var bStartMs = observe ? 0 : handoverMs;   // where B's clock starts
            var format = AudioFormat.Mono(Rate);
            using (var a = new DuplexFrontEnd(format, Rate / 10, localVad ? new Parley.Audio.Vad.EnergyVoiceActivityDetector(16000) : null))
            using (var b = new DuplexFrontEnd(format, Rate / 10, localVad ? new Parley.Audio.Vad.EnergyVoiceActivityDetector(16000) : null))
            {
                a.Configure(ProviderRate);
                b.Configure(ProviderRate);
                // B's clock starts at the hand-over.
                b.VoiceActivity += s => { if (!s) return; run.Raised++; if (run.RaisedMs < 0) run.RaisedMs = bStartMs + b.CapturedSamples * 1000.0 / ProviderRate; };
                var pcm = new short[b.MaxOutputSamples(tick)];
                double heard = 0, said = 0, gated = 0;
                long heardN = 0, saidN = 0, gatedN = 0;
                double quietMs = 0, playerQuietMs = 0;
                var quiet = Math.Pow(10, -45 / 10.0);   // −45 dBFS: mean square per sample
                for (var at = 0; at + tick <= n; at += tick)
                {
                    var f = at < handover ? a : b;
                    var bFrame = observe ? at : at - handover;
                    if (observe && at < handover)
                    {
                        b.WriteReference(bFrame, new ReadOnlySpan<float>(played, at, tick));
                        b.Observe(new ReadOnlySpan<float>(mic, at, tick));
                    }
                    if (at == handover) run.NoEchoAtHandover = b.NoEchoPathMeasured;
                    var micFrame = at < handover ? at : bFrame;   // each front end's clock starts with its first block
                    f.WriteReference(micFrame, new ReadOnlySpan<float>(played, at, tick));
                    var got = f.Process(new ReadOnlySpan<float>(mic, at, tick), pcm);
                    if (f != b) continue;
                    // B's output, its canceller's latency taken off: what B's server receives of this tick's audio.
                    var latencyMs = (b.EchoCanceller?.LatencySamples ?? 0) * 1000.0 / ProviderRate;
                    var endMs = (at + tick) * 1000.0 / Rate - latencyMs;
                    double e = 0;
                    for (var i = 0; i < got; i++) { var v = pcm[i] / 32768.0; e += v * v; }
                    double m = 0, s2 = 0;
                    for (var i = at; i < at + tick; i++) { m += (double)near[i] * near[i]; s2 += (double)mic[i] * mic[i]; }
                    if (player && endMs > run.OnsetMs)
                    {
                        heard += e; heardN += got; said += m; saidN += tick;
                        // Reached: the first 10 ms after the onset that carries the player's voice at its level (not the gate's −60 dB).
                        if (run.ReachedMs < 0 && m > 0 && e / got > 0.25 * m / tick) run.ReachedMs = endMs;
                        if (endMs <= utteranceEndMs)
                        {
                            quietMs = e / got < quiet ? quietMs + 10 : 0;
                            playerQuietMs = m / tick < quiet ? playerQuietMs + 10 : 0;
                            run.LongestQuietMs = Math.Max(run.LongestQuietMs, quietMs);
                            run.PlayerLongestQuietMs = Math.Max(run.PlayerLongestQuietMs, playerQuietMs);
                        }
                    }
                    if (endMs < (player ? run.OnsetMs : EndMs)) { gated += e; gatedN += got; }
                }
                run.HeardDb = 10 * Math.Log10(Math.Max(1e-20, heard / Math.Max(1, heardN)));
                run.PlayerDb = 10 * Math.Log10(Math.Max(1e-20, said / Math.Max(1, saidN)));
                run.GatedDbfs = 10 * Math.Log10(Math.Max(1e-20, gated / Math.Max(1, gatedN)));
            }
            return run;
        }

        /// <summary>
        /// No echo path (headphones, or the simulated scene): the microphone carries only the player. B's guard, cold when it
        /// gets the microphone (0.6 s of A's voice before the player's onset), must not hold the player back: B's server
        /// gets the words at their level (energy over the utterance within 1 dB of the player's) soon after the onset.
        /// Before the fix B held the whole utterance at the residual gate's −60 dB.
        /// </summary>
        [TestCase(false, 0.0)]
        [TestCase(true, 0.0)]
        [TestCase(false, -12.0)]
        [TestCase(true, -12.0)]
        public void The_player_speaking_to_B_over_As_reply_reaches_Bs_server(bool localVad, double playerDb)
        {
            var r = Play(player: true, localVad: localVad, playerDb: playerDb);
            TestContext.WriteLine($"onset {r.OnsetMs:0} ms; B's server: player's voice from {r.ReachedMs:0} ms ({r.ReachedMs - r.OnsetMs:0} ms after the onset), " +
                $"{r.HeardDb - r.PlayerDb:0.0} dB against the player over the utterance; raised {r.Raised} at {r.RaisedMs:0} ms ({r.RaisedMs - r.OnsetMs:0} ms)");
            Assert.That(r.HeardDb - r.PlayerDb, Is.InRange(-1.0, 1.0), "B's server hears the player's words at their level");
            Assert.That(r.ReachedMs - r.OnsetMs, Is.InRange(0, 120), "the player's voice reaches B's server within 120 ms of the labelled onset");
            TestContext.WriteLine($"longest quiet stretch in the utterance: B's server {r.LongestQuietMs:0} ms, the player's own {r.PlayerLongestQuietMs:0} ms");
            // Every word, not just most of the energy: B's guard learned the player's voice as residual a little at a time
            // and closed on the later words (the provider's VAD then heard one utterance as two: SharedMicrophoneTests).
            Assert.That(r.LongestQuietMs, Is.LessThanOrEqualTo(r.PlayerLongestQuietMs + 40), "no word of the utterance held back");
            if (!localVad) return;
            Assert.That(r.Raised, Is.EqualTo(1), "B's local VAD raises the player's speech, once");
            Assert.That(r.RaisedMs - r.OnsetMs, Is.InRange(0, 120));
        }

        /// <summary>
        /// The hand-over 100 ms before the player speaks to B: a guard that starts cold there has not yet heard the 0.5 s
        /// of A's voice that shows the microphone carries no echo, and holds the player back (CI saw B miss the whole
        /// utterance). B observing the microphone while A has it (the hub's <c>ICaptureObserver</c>) knows it at the
        /// hand-over, and the player's words reach B's server as in the test above.
        /// </summary>
        [TestCase(false)]
        [TestCase(true)]
        public void B_observing_the_microphone_before_the_handover_hears_the_player_who_speaks_right_after_it(bool localVad)
        {
            const double late = PlayerAtMs - 100;
            var cold = Play(player: true, localVad: localVad, handoverMs: late);
            var r = Play(player: true, localVad: localVad, handoverMs: late, observe: true);
            TestContext.WriteLine($"hand-over at {late:0} ms, onset {r.OnsetMs:0} ms. Cold: {cold.HeardDb - cold.PlayerDb:0.0} dB, reached {cold.ReachedMs - cold.OnsetMs:0} ms after the onset; " +
                $"observing: {r.HeardDb - r.PlayerDb:0.0} dB, reached {r.ReachedMs - r.OnsetMs:0} ms, raised {r.Raised} ({r.RaisedMs - r.OnsetMs:0} ms)");
            var quiet = Play(player: false, localVad: true, handoverMs: late, observe: true);
            Assert.That(quiet.Raised, Is.Zero, "without the player, B observing raises nothing at the hand-over");
            Assert.That(cold.NoEchoAtHandover, Is.False, "cold, B knows nothing of the microphone at the hand-over");
            Assert.That(r.NoEchoAtHandover, Is.True, "observing, B measured the missing echo path before the hand-over");
            Assert.That(r.HeardDb - r.PlayerDb, Is.InRange(-1.0, 1.0), "B's server hears the player's words at their level");
            Assert.That(r.ReachedMs - r.OnsetMs, Is.InRange(0, 120), "within 120 ms of the labelled onset");
            if (!localVad) return;
            Assert.That(r.Raised, Is.EqualTo(1));
            Assert.That(r.RaisedMs - r.OnsetMs, Is.InRange(0, 120));
        }

        /// <summary>
        /// With an echo path, B's guard still holds A's voice back, cold or after observing the microphone: rooms across issue
        /// 13's range, A's reply only, and B (energy VAD on) raises nothing and sends A's echo no louder than the residual gate leaves of it.
        /// </summary>
        [TestCase(0.2, 20.0, -20.0)]
        [TestCase(0.4, 100.0, -6.0)]
        [TestCase(0.6, 200.0, -12.0)]
        [TestCase(0.8, 300.0, 0.0)]
        public void As_echo_in_the_shared_microphone_does_not_open_Bs_guard(double rt60, double delayMs, double echoDb)
        {
            foreach (var observe in new[] { false, true })
            {
                var r = Play(player: false, echoDb: echoDb, rt60: rt60, delayMs: delayMs, localVad: true, observe: observe);
                TestContext.WriteLine($"RT60 {rt60} s, {delayMs} ms, {echoDb} dB, {(observe ? "observing" : "cold")}: raised {r.Raised}, B's output {r.GatedDbfs:0.0} dBFS");
                Assert.That(r.NoEchoAtHandover, Is.False, "the echo path is seen, never measured missing");
                Assert.That(r.Raised, Is.Zero, "B raises no onset on A's echo");
                Assert.That(r.GatedDbfs, Is.LessThan(-55), "B's server gets A's echo gated (under the −60 dBFS noise floor + 5 dB)");
            }
        }
    }
}
