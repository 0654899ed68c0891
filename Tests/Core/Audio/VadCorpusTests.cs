using System;
using System.Globalization;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.Audio
{
    /// <summary>The C# VAD corpus is the one the reference Silero run scored (checksums written by corpus.js).</summary>
    public class VadCorpusTests
    {
        [Test]
        public void Every_condition_matches_the_reference_corpus_checksums()
        {
            var corpus = VadCorpus.Build();
            var rows = File.ReadAllLines(PackagePaths.Fixture("vad", "reference", "corpus-check.csv")).Skip(1).Where(l => l.Length > 0)
                .Select(l => l.Split(',')).ToList();
            Assert.That(rows.Select(r => r[0]), Is.EquivalentTo(VadCorpus.Conditions.Select(c => c.Name)));
            foreach (var r in rows)
            {
                var mix = corpus.Mixes[r[0]];
                double sum = 0, squares = 0;
                foreach (var x in mix) { sum += x; squares += (double)x * x; }
                Assert.That(mix.Length, Is.EqualTo(int.Parse(r[1], CultureInfo.InvariantCulture)), r[0]);
                Assert.That(sum, Is.EqualTo(double.Parse(r[2], CultureInfo.InvariantCulture)).Within(1e-6), r[0]);
                Assert.That(squares, Is.EqualTo(double.Parse(r[3], CultureInfo.InvariantCulture)).Within(1e-6), r[0]);
            }
        }

        [TestCase("npc-greeting")] [TestCase("npc-price")] [TestCase("npc-quest")] [TestCase("user-question")]
        [TestCase("user-thanks")] [TestCase("user-interrupt")] [TestCase("trainer-step")] [TestCase("trainer-answer")]
        public void The_labelled_onset_is_where_the_clip_starts_to_sound(string id)
        {
            // The onset the delays are measured from is the synthesizer's first sounding phoneme. Checked on the clean
            // clip: silence (below -50 dB re the speech's level) up to 2 ms before it, sound within 8 ms after it. So the
            // onset is neither early (counting leading silence as delay) nor late.
            var s = TestWav.Speech(id, VadCorpus.Rate).Samples;
            var intervals = VadCorpus.SpeechIntervals(id);
            double ps = 0;
            var n = 0;
            foreach (var (a, b) in intervals)
                for (var i = a * 16; i < Math.Min(b * 16, s.Length); i++) { ps += s[i] * (double)s[i]; n++; }
            double Db(int fromMs, int toMs)
            {
                double e = 0;
                for (var i = fromMs * 16; i < toMs * 16; i++) e += s[i] * (double)s[i];
                return 10 * Math.Log10(e / ((toMs - fromMs) * 16) / (ps / n) + 1e-12);
            }
            var onset = intervals[0].Start;
            if (onset >= 8) Assert.That(Db(onset - 8, onset - 2), Is.LessThan(-50.0), id + ": sound before the labelled onset");
            Assert.That(Db(onset, onset + 8), Is.GreaterThan(-30.0), id + ": silence after the labelled onset");
        }

        [Test]
        public void Labels_cover_the_utterances_and_leave_the_gaps()
        {
            var corpus = VadCorpus.Build();
            var labels = corpus.FrameLabels(512);
            var speechFraction = labels.Count(x => x) / (double)labels.Length;
            // Eight utterances of 2-4 s in 8.8 s of gaps and 2 s of lead and tail.
            Assert.That(speechFraction, Is.InRange(0.45, 0.75));
            Assert.That(corpus.Onsets.Count, Is.EqualTo(8));
            Assert.That(labels.Take(1000 / 32).Any(x => x), Is.False, "the 1 s lead is silence");
        }
    }
}
