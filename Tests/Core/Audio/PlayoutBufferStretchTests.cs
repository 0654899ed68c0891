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

        static List<PlayoutStretchSimulation> AllPhases(float[] reply, bool stretch = true, double jitterMs = 0) =>
            Phases().Select(p => new PlayoutStretchSimulation { Phase = p, TimeStretch = stretch, JitterMs = jitterMs, Seed = p + 1 }.Run(reply)).ToList();

        static string Summary(List<PlayoutStretchSimulation> runs, int length) =>
            $"start {runs.Min(r => r.StartLatencyMs):0.0}..{runs.Max(r => r.StartLatencyMs):0.0} ms after the first chunk, underruns {runs.Sum(r => r.Buffer.Underruns)} in {runs.Count(r => r.Buffer.Underruns > 0)} of {runs.Count} phases, " +
            $"expanded ≤ {runs.Max(r => r.Buffer.Expanded) * 1000.0 / Rate:0.0} ms ({runs.Max(r => r.Expansions.Count)} blocks), accelerated ≤ {runs.Max(r => r.Buffer.Accelerated) * 1000.0 / Rate:0.0} ms, duration change {runs.Min(r => r.WarpPercent(length)):0.00}..{runs.Max(r => r.WarpPercent(length)):0.00} %";

        [TestCaseSource(nameof(Replies))]
        public void Paced_speech_plays_within_one_dsp_buffer_and_20_ms_at_every_phase_without_an_underrun(string id)
        {
            var reply = Speech(id);
            var plain = AllPhases(reply, stretch: false);
            var runs = AllPhases(reply);
            TestContext.WriteLine($"{id}, {reply.Length * 1000.0 / Rate:0} ms, 32 phases. Without stretch: {Summary(plain, reply.Length)}");
            TestContext.WriteLine($"with stretch: {Summary(runs, reply.Length)}");
            Assert.That(plain.Sum(r => r.Buffer.Underruns), Is.GreaterThan(0), "the trade the stretch removes: some phases underrun without it");
            foreach (var r in runs)
            {
                Assert.That(r.StartLatencyMs, Is.LessThanOrEqualTo(TargetMs), "phase " + r.Phase);
                Assert.That(r.Buffer.Underruns, Is.EqualTo(0), "phase " + r.Phase);
                Assert.That(r.Buffer.Played(r.Item), Is.EqualTo(reply.Length), "the whole reply, to its end");
                Assert.That(r.Buffer.JitterMs, Is.EqualTo(0), "a paced sender is late by less than the clock's grain (a block)");
                Assert.That(Math.Abs(r.WarpPercent(reply.Length)), Is.LessThanOrEqualTo(1), "duration change (%)");
            }
            Assert.That(runs.Max(r => r.Buffer.Expanded), Is.GreaterThan(0), "the phases that ran short were stretched");
        }

        /// <summary>
        /// Each chunk late by up to 20 ms: still no underrun, the start waits for the second chunk (block + reserve), and
        /// what is expanded is given back once a cushion arrives. At 60 ms a 30 ms buffer cannot be stretched across every
        /// gap (2× at most) in a fresh buffer: the jitter estimate learns within the reply (it starts later and expands
        /// before the buffer is empty), but some underruns remain; the estimate never exceeds the jitter itself.
        /// </summary>
        [TestCaseSource(nameof(Replies))]
        public void Jittery_paced_speech_is_stretched_across_the_gaps(string id)
        {
            var reply = Speech(id);
            var runs = AllPhases(reply, jitterMs: 20);
            var wide = AllPhases(reply, jitterMs: 60);
            var wideOff = AllPhases(reply, stretch: false, jitterMs: 60);
            TestContext.WriteLine($"{id}, jitter 0–20 ms: {Summary(runs, reply.Length)}");
            TestContext.WriteLine($"jitter 0–60 ms: {Summary(wide, reply.Length)}");
            TestContext.WriteLine($"jitter 0–60 ms without stretch: {Summary(wideOff, reply.Length)}");
            foreach (var r in runs)
            {
                Assert.That(r.Buffer.Underruns, Is.EqualTo(0), "phase " + r.Phase);
                Assert.That(r.Buffer.Played(r.Item), Is.EqualTo(reply.Length));
                Assert.That(Math.Abs(r.WarpPercent(reply.Length)), Is.LessThanOrEqualTo(2), "duration change (%)");
            }
            Assert.That(wide.Sum(r => r.Buffer.Underruns), Is.LessThan(wideOff.Sum(r => r.Buffer.Underruns)), "fewer hard silences than without");
            Assert.That(runs.Concat(wide).Select(r => r.Buffer.JitterMs), Is.All.LessThanOrEqualTo(60), "lateness beyond the clock's grain of a block is at most the jitter");
            Assert.That(wide.Select(r => r.Buffer.JitterMs), Is.All.GreaterThan(0), "and it is seen");
            foreach (var r in wide)
            {
                Assert.That(r.Buffer.Played(r.Item), Is.EqualTo(reply.Length));
                Assert.That(Math.Abs(r.WarpPercent(reply.Length)), Is.LessThanOrEqualTo(5), "duration change (%)");
            }
        }

        /// <summary>
        /// Quality on speech. A join that steps shows as a spike of the second difference (a step of s adds about s); the
        /// stretched replies must add none above the speech's own largest (−40 dBFS allowance), and each inserted period
        /// keeps the local pitch: the autocorrelation pitch of 40 ms of output around the insertion against the same
        /// 40 ms of source, in voiced windows.
        /// </summary>
        [TestCaseSource(nameof(Replies))]
        public void Expanded_speech_has_no_step_and_keeps_its_pitch(string id)
        {
            var reply = Speech(id);
            var runs = AllPhases(reply).Concat(AllPhases(reply, jitterMs: 20)).ToList();
            var deviations = new List<double>();
            var excess = new List<double>();
            var block = PlayoutStretchSimulation.Block;
            foreach (var r in runs)
                foreach (var (output, source) in r.Expansions)
                {
                    // The inserted period plays in this block or the next; against the same stretch of source (and 64 samples either side).
                    var stretched = MaxSecondDifference(r.Output, output, output + 2 * block);
                    var local = MaxSecondDifference(reply, (int)source - 64, (int)source + 2 * block + 64);
                    excess.Add(stretched - local);
                    var window = 960;
                    var src = Pitch(reply, (int)source, window);
                    var outPitch = Pitch(r.Output, output, window);
                    if (src > 0 && outPitch > 0) deviations.Add(Math.Abs(outPitch / src - 1) * 100);
                }
            deviations.Sort();
            TestContext.WriteLine($"{id}: {runs.Sum(r => r.Expansions.Count)} stretched blocks in {runs.Count} runs, {deviations.Count} voiced; pitch deviation median {Percentile(deviations, 0.5):0.0} %, 90th {Percentile(deviations, 0.9):0.0} %, max {Percentile(deviations, 1):0.0} %");
            excess.Sort();
            TestContext.WriteLine($"second difference of the stretched blocks beyond the same source's largest: max {excess.Last():+0.00000;-0.00000} ({Db(Math.Max(0, excess.Last())):0.0} dBFS), median {Percentile(excess, 0.5):+0.00000;-0.00000}");
            Assert.That(excess.Last(), Is.LessThanOrEqualTo(0.01), "no step above −40 dBFS beyond the speech's own");
            Assert.That(deviations.Count, Is.GreaterThan(5), "voiced insertions measured");
            Assert.That(Percentile(deviations, 0.9), Is.LessThanOrEqualTo(3), "pitch within 3 % (90 % of insertions)");
        }

        /// <summary>A tone expanded and compressed by the kernel: the lag found is the period, and the result is the tone continued (no step at all).</summary>
        [TestCase(150.0)]
        [TestCase(240.0)]
        public unsafe void A_periodic_signal_gains_and_loses_exactly_one_period(double hz)
        {
            var period = (int)Math.Round(Rate / hz);
            var tone = Signals.Sine(Rate / (double)period, Rate, 4 * period + 100, amplitude: 0.5);
            var x = new float[tone.Length + period];
            Array.Copy(tone, x, tone.Length);
            float score;
            int lag;
            fixed (float* p = x)
            {
                lag = Parley.Audio.Kernels.StretchKernel.BestLag(p, tone.Length, 60, 360, true, &score);
                Parley.Audio.Kernels.StretchKernel.InsertPeriod(p, tone.Length, lag);
            }
            var longer = Signals.Sine(Rate / (double)period, Rate, tone.Length + period, amplitude: 0.5);
            var error = x.Zip(longer, (a, b) => Math.Abs(a - b)).Max();
            TestContext.WriteLine($"{hz} Hz: lag {lag} (period {period}, score {score:0.0000}), largest error against the tone continued {Db(error):0.0} dBFS");
            Assert.That(lag % period, Is.EqualTo(0), "a whole number of periods");
            Assert.That(score, Is.GreaterThan(0.999f));
            Assert.That(error, Is.LessThan(1e-4), "expanded = the tone one period longer");

            var shorter = new float[period];
            fixed (float* p = tone)
            fixed (float* d = shorter)
                Parley.Audio.Kernels.StretchKernel.RemovePeriod(p, period, d);
            var compressError = shorter.Select((v, i) => Math.Abs(v - tone[i])).Max();
            Assert.That(compressError, Is.LessThan(1e-4), "compressed = the tone one period shorter");
        }

        /// <summary>
        /// The played cursor stays in source time: while periods are inserted it runs behind the output by at most what
        /// was inserted, and an interruption in the middle of stretched audio reports source samples (played + discarded
        /// = written).
        /// </summary>
        [Test]
        public void Played_cursor_maps_stretched_output_back_to_source_time_and_a_flush_mid_stretch_truncates_in_source_samples()
        {
            var reply = Speech("npc-price");
            foreach (var r in AllPhases(reply))
            {
                long previous = 0;
                foreach (var (output, source) in r.Cursor)
                {
                    Assert.That(source, Is.GreaterThanOrEqualTo(previous));
                    Assert.That(source, Is.LessThanOrEqualTo(output), "never ahead of what was heard");
                    Assert.That(output - source, Is.LessThanOrEqualTo(r.Buffer.Expanded + 1), "behind by at most what was inserted");
                    previous = source;
                }
            }

            // Start on one block + reserve, then starve: the next block is stretched out of what is buffered.
            var b = new PlayoutBuffer(Rate, 1 << 16, prerollMs: 20, maxPrerollMs: 200, timeStretch: true);
            var block = new float[PlayoutStretchSimulation.Block];
            b.Read(block);
            var item = b.BeginItem();
            var written = 0;
            var offset = Rate / 2;   // voiced speech half a second in
            void Send(int n) { b.Write(item, new ReadOnlySpan<float>(reply, offset + written, n)); written += n; }
            Send(block.Length + b.FadeSamples);
            Assert.That(b.Read(block), Is.EqualTo(block.Length));
            Send(block.Length / 2 + 100);
            Assert.That(b.Read(block), Is.EqualTo(block.Length), "stretched, not run dry");
            Assert.That(b.Underruns, Is.EqualTo(0));
            Assert.That(b.Expanded, Is.GreaterThan(0));
            var heardOutput = 2 * block.Length;
            var played = b.Played(item);
            TestContext.WriteLine($"heard {heardOutput} output samples = {played} source samples ({b.Expanded} inserted), {b.BufferedSamples} source samples still buffered");
            Assert.That(played, Is.LessThan(heardOutput));
            Assert.That(played, Is.GreaterThanOrEqualTo(heardOutput - b.Expanded));
            Assert.That(played + b.BufferedSamples, Is.EqualTo(written), "buffered counts the staged source");

            b.Flush();
            Array.Fill(block, 1f);
            b.Read(block);
            var tail = Array.FindLastIndex(block, v => v != 0) + 1;
            Assert.That(tail, Is.LessThanOrEqualTo(b.FadeSamples), "faded out within the fade");
            Assert.That(b.Played(item) + b.Discarded, Is.EqualTo(written), "played + discarded = written, in source samples");
            Assert.That(b.Played(item) - played, Is.LessThanOrEqualTo(b.FadeSamples));
            Assert.That(b.BufferedSamples, Is.EqualTo(0));
            Assert.That(b.IsPlaying, Is.False);
        }

        /// <summary>Audio thread: reading allocates nothing while stretching (expansion and acceleration, 60 ms jitter).</summary>
        [Test]
        public void Stretching_allocates_nothing()
        {
            var reply = Speech("npc-greeting");
            // A phase whose run both expands and accelerates.
            var phase = Phases().First(p =>
            {
                var b = new PlayoutStretchSimulation { Phase = p, JitterMs = 60, Seed = p + 1 }.Run(reply).Buffer;
                return b.Expanded > 0 && b.Accelerated > 0;
            });
            long least = long.MaxValue;
            PlayoutStretchSimulation run = null;
            for (var pass = 0; pass < 3; pass++)   // the first pass compiles
            {
                run = new PlayoutStretchSimulation { Phase = phase, JitterMs = 60, Seed = phase + 1 }.Run(reply);
                least = Math.Min(least, run.ReadAllocatedBytes);
            }
            TestContext.WriteLine($"expanded {run.Buffer.Expanded}, accelerated {run.Buffer.Accelerated}, underruns {run.Buffer.Underruns}; allocated by Read: {least} B");
            Assert.That(run.Buffer.Expanded, Is.GreaterThan(0));
            Assert.That(run.Buffer.Accelerated, Is.GreaterThan(0));
            Assert.That(least, Is.EqualTo(0));
        }

        static double Percentile(List<double> sorted, double q) =>
            sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Floor(q * (sorted.Count - 1) + 0.5))];

        /// <summary>Autocorrelation pitch (Hz) of x[from, from + length) in 70–400 Hz; 0 when unvoiced (peak below 0.7, or quiet).</summary>
        static double Pitch(float[] x, int from, int length)
        {
            if (from < 0 || from + length + Rate / 70 > x.Length) return 0;
            double energy = 0;
            for (var i = 0; i < length; i++) energy += x[from + i] * (double)x[from + i];
            if (energy / length < 1e-5) return 0;   // below −50 dBFS
            double best = 0;
            var bestLag = 0;
            for (var lag = Rate / 400; lag <= Rate / 70; lag++)
            {
                double ab = 0, bb = 0;
                for (var i = 0; i < length; i++)
                {
                    ab += x[from + i] * (double)x[from + i + lag];
                    bb += x[from + i + lag] * (double)x[from + i + lag];
                }
                var c = ab / Math.Sqrt(energy * bb + 1e-20);
                if (c > best) { best = c; bestLag = lag; }
            }
            return best >= 0.7 ? Rate / (double)bestLag : 0;
        }

        internal static double MaxSecondDifference(float[] x, int from = 0, int to = int.MaxValue)
        {
            double max = 0;
            for (var i = Math.Max(2, from); i < Math.Min(x.Length, to); i++) max = Math.Max(max, Math.Abs(x[i] - 2.0 * x[i - 1] + x[i - 2]));
            return max;
        }

        static double Db(double linear) => 20 * Math.Log10(Math.Max(linear, 1e-12));
    }
}
