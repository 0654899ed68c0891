using System;
using System.Linq;
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
                // The next reply starts from rest, not from the flushed one's history (normaliser, frame history,
                // smoothing, pause gate): 600 ms of other speech (many windows) give exactly what a fresh analyser gives.
                const int from = 36000, length = 14400;
                Feed(a, Slice(clip.Samples, from, length), 24000, 2.0, 256);
                using (var fresh = new LipsyncAnalyser(24000))
                {
                    Feed(fresh, Slice(clip.Samples, from, length), 24000, 2.0, 256);
                    var expected = new float[Visemes.Count];
                    var compared = 0;
                    var moving = 0;
                    for (var ms = 2000.0; ms < 2600; ms += 5)
                    {
                        var jaw = a.Read(ms / 1000, weights);
                        var freshJaw = fresh.Read(ms / 1000, expected);
                        Assert.That(jaw, Is.EqualTo(freshJaw), ms + " ms");
                        Assert.That(weights, Is.EqualTo(expected), ms + " ms");
                        compared++;
                        if (jaw > 0.1f) moving++;
                    }
                    Assert.That(moving, Is.GreaterThan(10), "the second reply moves the mouth");
                    Assert.That(compared, Is.EqualTo(120));
                }
            }
        }

        /// <summary>
        /// A cut at a time still to be heard (audio written ahead of its play time, then interrupted): the frames before
        /// the cut read as they would without it until it is heard, rest from then on (not the audio written past it),
        /// and what is written next starts afresh.
        /// </summary>
        [Test]
        public void CutKeepsTheFramesBeforeItUntilItIsHeardThenRests()
        {
            var clip = TestWav.Speech("npc-quest", 24000);
            using (var a = new LipsyncAnalyser(24000))
            using (var twin = new LipsyncAnalyser(24000))
            {
                Feed(a, clip.Samples, 24000, 0, 256, 24000);
                Feed(twin, clip.Samples, 24000, 0, 256, 24000);
                a.Cut(0.7);
                var weights = new float[Visemes.Count];
                var expected = new float[Visemes.Count];
                var moving = 0;
                for (var ms = 500; ms < 700; ms += 5)
                {
                    var jaw = a.Read(ms / 1000.0, weights);
                    Assert.That(jaw, Is.EqualTo(twin.Read(ms / 1000.0, expected)), ms + " ms, before the cut is heard");
                    Assert.That(weights, Is.EqualTo(expected), ms + " ms");
                    if (jaw > 0.1f) moving++;
                }
                Assert.That(moving, Is.GreaterThan(10), "the mouth moves until the cut is heard");
                var openPastTheCut = 0;
                for (var ms = 700; ms < 950; ms += 5)
                {
                    Assert.That(a.Read(ms / 1000.0, weights), Is.EqualTo(0f), ms + " ms, after the cut");
                    Assert.That(weights[(int)Viseme.Sil], Is.EqualTo(1f));
                    if (twin.Read(ms / 1000.0, expected) > 0.1f) openPastTheCut++;
                }
                Assert.That(openPastTheCut, Is.GreaterThan(5), "the audio written past the cut would have opened the mouth");

                // The stream after the cut starts from rest: it reads as a fresh analyser fed only that stream.
                const int from = 36000, length = 14400;
                Feed(a, Slice(clip.Samples, from, length), 24000, 0.7, 256);
                using (var fresh = new LipsyncAnalyser(24000))
                {
                    Feed(fresh, Slice(clip.Samples, from, length), 24000, 0.7, 256);
                    for (var ms = 700.0; ms < 1300; ms += 5)
                    {
                        Assert.That(a.Read(ms / 1000, weights), Is.EqualTo(fresh.Read(ms / 1000, expected)), ms + " ms, after the cut");
                        Assert.That(weights, Is.EqualTo(expected), ms + " ms");
                    }
                }
            }
        }

        static float[] Slice(float[] samples, int from, int length)
        {
            var s = new float[length];
            Array.Copy(samples, from, s, 0, length);
            return s;
        }

        // A sustained vowel from the fixtures (user-interrupt's /ɑː/, aa, 600-822 ms by its espeak-ng phoneme events,
        // 20 ms trimmed at each end) between 500 ms silences: a step up then a step down of the mouth opening.
        static float[] VowelStep(int rate)
        {
            var clip = TestWav.Speech("user-interrupt", rate);
            var from = 620 * rate / 1000;
            var vowel = Slice(clip.Samples, from, 822 * rate / 1000 - 20 * rate / 1000 - from);
            var step = new float[rate + vowel.Length];
            Array.Copy(vowel, 0, step, rate / 2, vowel.Length);
            return step;
        }

        // Time (ms) at which values first cross level after frame start, linearly interpolated between frames.
        static double Crossing(VisemeTrack t, Func<int, double> value, double level, bool rising, int start)
        {
            for (var f = start + 1; f < t.Frames; f++)
            {
                double a = value(f - 1), b = value(f);
                if (rising ? a < level && b >= level : a > level && b <= level)
                    return t.TimesMs[f - 1] + (t.TimesMs[f] - t.TimesMs[f - 1]) * (level - a) / (b - a);
            }
            return double.NaN;
        }

        /// <summary>
        /// One-pole smoothing from first principles: after a step of its input, a weight covers 1 − 1/e of the step in
        /// one time constant. The unsmoothed analyser (attack = release = 0) gives the input the smoothing sees: the
        /// jaw target jumps from 0 to its first open value when the vowel starts, and back to 0 when it ends (the
        /// level gate shuts it). The smoothed jaw must cover 1 − 1/e of the rise, and fall to 1/e of where it was, one
        /// time constant after the last frame before each step, within one hop (weights are updated once per hop).
        /// </summary>
        [TestCase(LipsyncAnalyser.DefaultAttackMs, LipsyncAnalyser.DefaultReleaseMs, 10.0, 20.0)]
        [TestCase(40.0, 80.0, 40.0, 80.0)]
        public void JawRisesAndFallsWithTheAttackAndReleaseTimeConstants(double attackMs, double releaseMs, double expectAttackMs, double expectReleaseMs)
        {
            const int rate = 48000;
            var step = VowelStep(rate);
            var raw = VisemeTrack.Analyse(step, rate, null, 0, 0);
            var smooth = VisemeTrack.Analyse(step, rate, null, attackMs, releaseMs);
            var onset = Enumerable.Range(0, raw.Frames).First(f => raw.JawOpen(f) > 0);
            var end = Enumerable.Range(onset, raw.Frames - onset).First(f => raw.JawOpen(f) == 0);
            Assert.That(raw.JawOpen(onset), Is.GreaterThan(0.5), "the vowel opens the jaw in one frame");
            Assert.That(end - onset, Is.GreaterThan(12), "and keeps it open through the vowel");
            Assert.That(Enumerable.Range(end, raw.Frames - end).All(f => raw.JawOpen(f) == 0), "shut after it");
            Assert.That(smooth.JawOpen(onset - 1), Is.EqualTo(0f), "rest before the step");

            var height = raw.JawOpen(onset);
            var rise = Crossing(smooth, f => smooth.JawOpen(f), (1 - 1 / Math.E) * height, true, onset - 1) - smooth.TimesMs[onset - 1];
            var from = smooth.JawOpen(end - 1);
            var fall = Crossing(smooth, f => smooth.JawOpen(f), from / Math.E, false, end - 1) - smooth.TimesMs[end - 1];
            TestContext.WriteLine($"attack {attackMs} ms / release {releaseMs} ms: 1 - 1/e of the rise (0 to {height:F3}) in {rise:F1} ms, " +
                                  $"1/e of the fall (from {from:F3} to 0) in {fall:F1} ms");
            Assert.That(rise, Is.InRange(expectAttackMs - LipsyncAnalyser.HopMs, expectAttackMs + LipsyncAnalyser.HopMs), "rise");
            Assert.That(fall, Is.InRange(expectReleaseMs - LipsyncAnalyser.HopMs, expectReleaseMs + LipsyncAnalyser.HopMs), "fall");
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
