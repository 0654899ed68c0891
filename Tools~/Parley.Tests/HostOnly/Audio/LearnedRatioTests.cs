using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Session.Audio;

namespace Parley.Tests.HostOnly.Audio
{
    /// <summary>
    /// The echo guard's learned residual picks a rank of the held ratios without sorting them (an allocation under
    /// Mono): every percentile equals the same rank of a sorted copy (LINQ), with repeats, while the hold fills and
    /// after it wraps.
    /// </summary>
    public class LearnedRatioTests
    {
        [TestCase(1)]
        [TestCase(7)]
        [TestCase(200)]
        public void Every_percentile_is_the_rank_of_the_sorted_hold(int frames)
        {
            var rng = new Random(frames);
            var history = new List<double>();
            for (var n = 0; n < 3 * frames + 5; n++)
            {
                // Repeats and a spread of magnitudes, as residual ratios have.
                history.Add(rng.Next(4) == 0 ? 1.0 : Math.Pow(10, rng.NextDouble() * 6 - 4));
                var sorted = history.Skip(Math.Max(0, history.Count - frames)).OrderBy(v => v).ToArray();
                foreach (var p in new[] { 1.0, 10, 50, 90, 95, 98, 99, 100 })
                {
                    // A fresh hold per query: the value is cached until the next Add (each guard asks one percentile).
                    var learned = new LearnedRatio(frames);
                    foreach (var v in history) learned.Add(v);   // wraps once more than `frames` were added
                    var k = Math.Max(0, Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1));
                    Assert.That(learned.Percentile(p), Is.EqualTo(sorted[k]), $"percentile {p} of {sorted.Length} held");
                }
            }
        }

        [Test]
        public void An_empty_hold_answers_the_cold_value()
        {
            Assert.That(new LearnedRatio(10).Percentile(100), Is.EqualTo(100.0));
        }
    }
}
