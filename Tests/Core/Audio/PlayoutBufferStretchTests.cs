using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.Audio
{
    /// <summary>
    /// Time-stretching in <see cref="PlayoutBuffer"/> (rules on the class) on real speech paced at real time: every start
    /// phase of the audio thread's blocks against the chunks, with and without jitter (<see cref="PlayoutStretchSimulation"/>).
    /// </summary>
    public class PlayoutBufferStretchTests
    {
        const int Rate = PlayoutStretchSimulation.Rate;
        const double TargetMs = PlayoutStretchSimulation.Block * 1000.0 / Rate + 20;   // one DSP buffer + 20 ms
        static readonly string[] Replies = { "npc-greeting", "npc-price", "trainer-answer" };

        static float[] Speech(string id) => TestWav.Speech(id, Rate).Samples;

        static IEnumerable<int> Phases() => Enumerable.Range(0, 32).Select(i => i * PlayoutStretchSimulation.Block / 32);

        [Test]
        public void Explore()
        {
            foreach (var id in Replies)
            {
                var reply = Speech(id);
                foreach (var stretch in new[] { false, true })
                {
                    var runs = Phases().Select(p => new PlayoutStretchSimulation { Phase = p, TimeStretch = stretch }.Run(reply)).ToList();
                    TestContext.WriteLine($"{id} stretch={stretch}: latency {runs.Min(r => r.StartLatencyMs):0.0}..{runs.Max(r => r.StartLatencyMs):0.0} ms, underruns {runs.Sum(r => r.Buffer.Underruns)} in {runs.Count(r => r.Buffer.Underruns > 0)} of {runs.Count}, expanded max {runs.Max(r => r.Buffer.Expanded)} accel max {runs.Max(r => r.Buffer.Accelerated)}, warp {runs.Min(r => r.WarpPercent(reply.Length)):0.00}..{runs.Max(r => r.WarpPercent(reply.Length)):0.00} %, played {runs.Min(r => r.Buffer.Played(r.Item))}/{reply.Length}");
                    foreach (var r in runs) TestContext.WriteLine($"   ph {r.Phase} lat {r.StartLatencyMs:0.0} u {r.Buffer.Underruns} exp {r.Buffer.Expanded} ops {r.Expansions.Count} acc {r.Buffer.Accelerated} 2nd {Db(MaxSecondDifference(r.Output)):0.0} src {Db(MaxSecondDifference(reply)):0.0}");
                }
                foreach (var jitter in new[] { 20.0, 60.0 })
                {
                    var runs = Phases().Select(p => new PlayoutStretchSimulation { Phase = p, JitterMs = jitter, Seed = p + 1 }.Run(reply)).ToList();
                    TestContext.WriteLine($"{id} jitter {jitter}: latency {runs.Min(r => r.StartLatencyMs):0.0}..{runs.Max(r => r.StartLatencyMs):0.0} ms, underruns {runs.Sum(r => r.Buffer.Underruns)} in {runs.Count(r => r.Buffer.Underruns > 0)} of {runs.Count}, expanded max {runs.Max(r => r.Buffer.Expanded)} accel max {runs.Max(r => r.Buffer.Accelerated)}, warp {runs.Min(r => r.WarpPercent(reply.Length)):0.00}..{runs.Max(r => r.WarpPercent(reply.Length)):0.00} %");
                }
            }
        }

        internal static double MaxSecondDifference(float[] x)
        {
            double max = 0;
            for (var i = 2; i < x.Length; i++) max = Math.Max(max, Math.Abs(x[i] - 2.0 * x[i - 1] + x[i - 2]));
            return max;
        }

        static double Db(double linear) => 20 * Math.Log10(Math.Max(linear, 1e-12));
    }
}
