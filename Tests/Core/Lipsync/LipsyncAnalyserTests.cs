using System;
using NUnit.Framework;
using Parley.Lipsync;
using Parley.Tests.Support;

namespace Parley.Tests.Lipsync
{
    public class LipsyncAnalyserTests
    {
        // First phone after the leading pause, from the clip's espeak-ng phoneme events.
        static double OnsetMs(LipsyncFixtures.Labelled l)
        {
            for (var i = 0; i < l.StartMs.Length; i++)
                if (l.Viseme[i] != (int)Viseme.Sil) return l.StartMs[i];
            throw new InvalidOperationException("no speech in " + l.Id);
        }

        static void Feed(LipsyncAnalyser a, float[] samples, int rate, double playStart, int chunk, int upTo = int.MaxValue)
        {
            for (var at = 0; at < Math.Min(samples.Length, upTo); at += chunk)
                a.Write(new ReadOnlySpan<float>(samples, at, Math.Min(chunk, samples.Length - at)), playStart + (double)at / rate);
        }

        [TestCase(8000)]
        [TestCase(16000)]
        [TestCase(22050)]
        [TestCase(24000)]
        [TestCase(44100)]
        [TestCase(48000)]
        public void HopIsTenMillisecondsAtEveryRate(int rate)
        {
            using (var a = new LipsyncAnalyser(rate))
                Assert.That(a.HopSamples * 1000.0 / rate, Is.EqualTo(10).Within(0.05));
        }

        [Test]
        public void WritingAllocatesNothing()
        {
            var clip = TestWav.Speech("npc-quest", 48000);
            using (var a = new LipsyncAnalyser(48000))
            {
                var weights = new float[Visemes.Count];
                for (var at = 0; at < 48000; at += 480) // warm-up: JIT, first frames
                {
                    a.Write(new ReadOnlySpan<float>(clip.Samples, at, 480), at / 48000.0);
                    a.Read(at / 48000.0, weights);
                }
                // The runtime may allocate once while it recompiles hot methods (tiered JIT); an allocation per hop
                // would show in every pass, so the quietest of five passes must be 0 bytes.
                var least = long.MaxValue;
                var hops = 0;
                for (var pass = 0; pass < 5; pass++)
                {
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    hops = 0;
                    for (var at = 48000; at + 480 <= clip.Samples.Length; at += 480, hops++)
                    {
                        a.Write(new ReadOnlySpan<float>(clip.Samples, at, 480), at / 48000.0);
                        a.Read(at / 48000.0, weights);
                    }
                    least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
                }
                Assert.That(hops, Is.GreaterThan(100));
                Assert.That(least, Is.EqualTo(0), "bytes allocated over " + hops + " hops");
            }
        }

        [Test]
        public void LipsOpenWhenTheSpeechIsHeardNotWhenItIsRendered()
        {
            // Rendered 200 ms ahead of play time, in 1024-sample audio callbacks at 48 kHz.
            var l = LipsyncFixtures.Synthetic("npc-greeting", 48000);
            var onset = OnsetMs(l);
            const double playStart = 3.0;
            using (var a = new LipsyncAnalyser(48000))
            {
                var weights = new float[Visemes.Count];
                var firstOpen = double.NaN;
                var written = 0;
                for (var ms = 0.0; ms < onset + 300; ms += 5)
                {
                    while (written < l.Clip.Samples.Length && written < (ms + 200) * 48)
                    {
                        var n = Math.Min(1024, l.Clip.Samples.Length - written);
                        a.Write(new ReadOnlySpan<float>(l.Clip.Samples, written, n), playStart + written / 48000.0);
                        written += n;
                    }
                    var jaw = a.Read(playStart + ms / 1000, weights);
                    if (weights[(int)Viseme.Sil] + weights[(int)Viseme.PP] < 0.5f && jaw > 0.05f)
                    {
                        firstOpen = ms;
                        break;
                    }
                }
                // Attack smoothing and a 10 ms hop allow some lag; never ahead of the sound by more than a hop.
                Assert.That(firstOpen - onset, Is.InRange(-20.0, 60.0), "onset " + onset + " ms, lips open at " + firstOpen + " ms");
            }
        }

        [Test]
        public void FlushSnapsToRestAtOnce()
        {
            var clip = TestWav.Speech("npc-quest", 24000);
            using (var a = new LipsyncAnalyser(24000))
            {
                Feed(a, clip.Samples, 24000, 0, 256, 24000);
                var weights = new float[Visemes.Count];
                var speaking = 0;
                for (var ms = 500; ms < 900; ms += 10)
                    if (a.Read(ms / 1000.0, weights) > 0.1f) speaking++;
                Assert.That(speaking, Is.GreaterThan(10), "the mouth moves before the flush");

                a.Flush();
                for (var ms = 500; ms < 1000; ms += 10)
                {
                    var jaw = a.Read(ms / 1000.0, weights);
                    Assert.That(jaw, Is.EqualTo(0f));
                    Assert.That(weights[(int)Viseme.Sil], Is.EqualTo(1f));
                }
                // The next reply starts from rest, not from the flushed one's history.
                a.Write(new float[240], 2.0);
                Assert.That(a.Read(2.0 + 0.01, weights), Is.EqualTo(0f));
            }
        }

        [Test]
        public void RestsWhenTheAudioStops()
        {
            var clip = TestWav.Speech("npc-quest", 16000);
            using (var a = new LipsyncAnalyser(16000))
            {
                Feed(a, clip.Samples, 16000, 0, 160, 16000);
                var weights = new float[Visemes.Count];
                Assert.That(a.Read(0.6, weights), Is.GreaterThan(0f));
                Assert.That(a.Read(1.0 + LipsyncAnalyser.StaleMs / 1000 + 0.05, weights), Is.EqualTo(0f));
                Assert.That(weights[(int)Viseme.Sil], Is.EqualTo(1f));
            }
        }

        [Test]
        public void BrokenSamplesDoNotBreakTheOutput()
        {
            var samples = new float[4800];
            for (var i = 0; i < samples.Length; i++) samples[i] = i % 7 == 0 ? float.NaN : i % 11 == 0 ? float.PositiveInfinity : 0.1f * (float)Math.Sin(i * 0.05);
            using (var a = new LipsyncAnalyser(48000))
            {
                a.Write(samples, 0);
                var weights = new float[Visemes.Count];
                var jaw = a.Read(0.05, weights);
                Assert.That(float.IsNaN(jaw), Is.False);
                Assert.That(jaw, Is.InRange(0f, 1f));
                foreach (var w in weights) Assert.That(w, Is.InRange(0f, 1f));
            }
        }

        [Test]
        public void ReadIntoTooSmallASpanIsATypedError()
        {
            using (var a = new LipsyncAnalyser(16000))
                Assert.Throws<ArgumentException>(() => a.Read(0, new float[14]));
        }

        [Test]
        public void SampleRateOutsideTheSupportedRangeIsATypedError()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new LipsyncAnalyser(4000));
        }
    }
}
