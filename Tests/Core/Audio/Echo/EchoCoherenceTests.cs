using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.Core.Audio.Echo
{
    /// <summary>
    /// <see cref="EchoCoherence"/> on the canceller's spectra, speech fixtures through synthetic rooms (EchoScenes): the
    /// echo stays coherent with the canceller's estimate, the player's voice does not and adds incoherent power at its
    /// onset; an echo fading past the filter's reach loses its coherence without that rise; nothing allocates per block.
    /// </summary>
    public class EchoCoherenceTests
    {
        const int Rate = 24000;
        const int Frame = Rate / 100;

        sealed class Trace
        {
            public readonly List<double> Coherence = new List<double>(), RiseDb = new List<double>();
        }

        /// <summary>Streams mic and far in 10 ms frames through a canceller with the coherence attached; one entry per frame.</summary>
        static Trace Run(float[] mic, float[] far)
        {
            var aec = new EchoCanceller(Rate);
            var coherence = new EchoCoherence(10);
            aec.Coherence = coherence;
            var t = new Trace();
            var o = new float[Frame];
            for (var s = 0; s + Frame <= mic.Length; s += Frame)
            {
                aec.Process(new ReadOnlySpan<float>(mic, s, Frame), new ReadOnlySpan<float>(far, s, Frame), o);
                coherence.Frame(s, s + Frame, out var c, out var rise);
                t.Coherence.Add(c);
                t.RiseDb.Add(10 * Math.Log10(rise));
            }
            return t;
        }

        static float[] Echo(float[] far, double rt60, double delayMs, double echoDb, int seed) =>
            EchoScenes.Echo(far, EchoScenes.RoomImpulse(Rate, rt60, delayMs, seed), echoDb);

        /// <summary>The frames (10 ms) whose echo is at least 20 dB over the −60 dBFS noise: the echo dominates the microphone.</summary>
        static IEnumerable<int> EchoFrames(float[] echo, int from, int to)
        {
            for (var k = from; k < to; k++)
                if (20 * Math.Log10(EchoScenes.Rms(new ReadOnlySpan<float>(echo, k * Frame, Frame)) + 1e-12) > -40) yield return k;
        }

        static double Median(IEnumerable<double> v)
        {
            var a = v.OrderBy(x => x).ToArray();
            return a[a.Length / 2];
        }

        [TestCase(0.4, 100, -6)]
        [TestCase(0.2, 300, -12)]
        public void The_echo_is_coherent_with_the_estimate_and_the_players_voice_is_not(double rt60, double delayMs, double echoDb)
        {
            var far = EchoScenes.FarSpeech(Rate, 8);
            var echo = Echo(far, rt60, delayMs, echoDb, 7);
            var clip = TestWav.Speech("user-interrupt", Rate).Samples;
            // The player 4 s in, 6 dB under the played voice (as DuplexScenes).
            var g = (float)(0.5 * EchoScenes.Rms(far) / EchoScenes.Rms(clip));
            var near = EchoScenes.Place(clip.Select(x => x * g).ToArray(), 4 * Rate, far.Length);
            var t = Run(EchoScenes.Sum(echo, EchoScenes.Noise(far.Length, -60, 8), near), far);
            var onset = (int)((4000 + VadCorpus.SpeechIntervals("user-interrupt")[0].Start) / 10);

            // Converged (from 2 s) and before the player: a linear echo is explained by a linear estimate.
            var echoOnly = EchoFrames(echo, 200, onset - 5).Select(k => t.Coherence[k]).ToList();
            Assert.That(echoOnly.Count, Is.GreaterThan(50));
            Assert.That(Median(echoOnly), Is.GreaterThan(0.8), "median coherent share, echo alone");
            // The player's first 50–150 ms, as loud as the echo or louder and independent of what was played: at most about
            // half of the microphone can be coherent with the estimate.
            var player = Enumerable.Range(onset + 5, 10).Select(k => t.Coherence[k]).ToList();
            Assert.That(Median(player), Is.LessThan(0.5), "median coherent share, the player's onset");
            // And the player adds power the estimate does not explain: well over the 10 dB a fading echo was seen to reach.
            Assert.That(Enumerable.Range(onset, 10).Max(k => t.RiseDb[k]), Is.GreaterThan(12), "incoherent rise in the first 100 ms, dB");
        }

        [Test]
        public void Echo_alone_never_rises_like_the_player()
        {
            // Rooms whose echo outlasts the canceller's 200 ms filter (RT60 0.8 s): the echo fading at a word's end loses
            // its coherence with the estimate. Its incoherent power does not rise as the player's does.
            var far = EchoScenes.FarSpeech(Rate, 8);
            foreach (var (delay, db, seed) in new[] { (200.0, -20.0, 1156), (300.0, -6.0, 1160), (100.0, 0.0, 1155) })
            {
                var echo = Echo(far, 0.8, delay, db, seed);
                var t = Run(EchoScenes.Sum(echo, EchoScenes.Noise(far.Length, -60, seed + 1)), far);
                var worst = Enumerable.Range(200, t.RiseDb.Count - 200).Where(k => t.Coherence[k] < 0.3).Select(k => t.RiseDb[k]).DefaultIfEmpty(-99).Max();
                Assert.That(worst, Is.LessThan(12), "incoherent rise on incoherent frames, dB (" + delay + " ms, " + db + " dB)");
            }
        }

        [Test]
        public void Allocates_nothing_per_block()
        {
            var far = EchoScenes.FarSpeech(Rate, 3);
            var mic = EchoScenes.Sum(Echo(far, 0.4, 100, -6, 3), EchoScenes.Noise(far.Length, -60, 4));
            var aec = new EchoCanceller(Rate);
            var coherence = new EchoCoherence(10);
            aec.Coherence = coherence;
            var o = new float[Frame];
            var least = long.MaxValue;
            var frames = 0;
            for (var pass = 0; pass < 3; pass++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                frames = 0;
                for (var s = 0; s + Frame <= mic.Length; s += Frame, frames++)
                {
                    aec.Process(new ReadOnlySpan<float>(mic, s, Frame), new ReadOnlySpan<float>(far, s, Frame), o);
                    coherence.Frame(s, s + Frame, out _, out _);
                }
                least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            }
            Assert.That(frames, Is.GreaterThan(200));
            Assert.That(least, Is.EqualTo(0), "bytes allocated over " + frames + " frames");
        }
    }
}
