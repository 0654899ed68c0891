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
