using System;
using System.Collections.Generic;
using NUnit.Framework;
using Parley.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.Audio
{
    /// <summary>
    /// The streaming resampler measured on real signals. "Aliasing ≤ −90 dB" (Default) means: a tone at or above
    /// 0.55·fs_low fed to a downsampler leaves ≤ −90 dB (relative to its own level) in the output, so nothing
    /// folds into 0–0.45·fs_low above that level; an upsampler's images of any 0–0.45·fs_low content (at and above
    /// 0.55·fs_low) are ≤ −90 dB below the tone. Content between 0.5 and 0.55·fs_low may fold into 0.45–0.5·fs_low,
    /// above the passband (High stops at 0.5·fs_low, so nothing folds at all).
    /// </summary>
    public class ResamplerTests
    {
        static readonly int[] Rates = { 8000, 16000, 22050, 24000, 32000, 44100, 48000 };

        public static IEnumerable<TestCaseData> AllPairs()
        {
            foreach (var a in Rates)
                foreach (var b in Rates)
                    if (a != b) yield return new TestCaseData(a, b);
        }

        /// <summary>Pairs that lower the rate: for an upsampler the stopband (images) is measured by the passband test.</summary>
        public static IEnumerable<TestCaseData> DownsamplingPairs()
        {
            foreach (var a in Rates)
                foreach (var b in Rates)
                    if (b < a) yield return new TestCaseData(a, b);
        }

        static readonly object[] ChunkCases =
        {
            new object[] { 48000, 16000, 1 }, new object[] { 16000, 48000, 1 }, new object[] { 44100, 16000, 1 },
            new object[] { 24000, 48000, 2 }, new object[] { 22050, 48000, 1 }, new object[] { 48000, 44100, 2 },
            new object[] { 8000, 44100, 1 }, new object[] { 32000, 24000, 3 },
        };

        // Per preset: stopband level a tone may leave (dB), and the passband tolerance (dB).
        static double StopbandDb(ResamplerQuality q) => q == ResamplerQuality.Fast ? -60 : q == ResamplerQuality.Default ? -90 : -110;
        static double StopEdge(ResamplerQuality q) => q == ResamplerQuality.High ? 0.50 : 0.55;

        static float[] ResampleWhole(Resampler r, float[] input, bool flush)
        {
            var output = new float[(r.MaxOutputFor(input.Length / r.Channels) + r.MaxFlushFrames) * r.Channels];
            var n = r.Process(input, output);
            if (flush) n += r.Flush(output.AsSpan(n * r.Channels));
            Array.Resize(ref output, n * r.Channels);
            return output;
        }

        /// <summary>Output frames whose filter window lies wholly inside the input (no onset or end transient).</summary>
        static ReadOnlySpan<float> Steady(Resampler r, float[] output)
        {
            var skip = (int)Math.Ceiling((r.Taps + 2) * (double)r.OutputRate / r.InputRate);
            return output.AsSpan(skip, output.Length - 2 * skip);
        }

        static float[] Mix(float[] a, float[] b)
        {
            var m = new float[a.Length];
            for (var i = 0; i < a.Length; i++) m[i] = a[i] + b[i];
            return m;
        }

        static float[] Interleave(int channels, int frames, int seed)
        {
            var x = new float[frames * channels];
            for (var c = 0; c < channels; c++)
            {
                var ch = c == 0 ? Signals.LogSweep(30, 20000, 48000, frames, 0.4) : Signals.WhiteNoise(frames, 0.5, seed + c);
                for (var i = 0; i < frames; i++) x[i * channels + c] = ch[i];
            }
            return x;
        }

        [TestCaseSource(nameof(ChunkCases))]
        public void Output_is_identical_whatever_the_chunk_sizes(int inRate, int outRate, int channels)
        {
            var input = channels == 1 && (inRate == 48000 || inRate == 16000 || inRate == 24000 || inRate == 22050)
                ? TestWav.Speech("npc-greeting", inRate).Samples
                : Interleave(channels, inRate / 2, inRate);
            Array.Resize(ref input, Math.Min(input.Length, inRate * channels));
            var expected = ResampleWhole(new Resampler(inRate, outRate, channels), input, true);

            var random = new Random(inRate + outRate + channels);
            for (var trial = 0; trial < 3; trial++)
            {
                var r = new Resampler(inRate, outRate, channels);
                var actual = new float[expected.Length + 16];
                var written = 0;
                var pos = 0;
                var frames = input.Length / channels;
                while (pos < frames)
                {
                    // Mostly small and odd sizes, with 0, 1 and whole-block sizes mixed in.
                    var pick = random.Next(10);
                    var size = pick == 0 ? 0 : pick == 1 ? 1 : pick == 2 ? random.Next(500, 3000) : random.Next(2, 200);
                    size = Math.Min(size, frames - pos);
                    Assert.That(r.OutputFramesFor(size), Is.LessThanOrEqualTo(r.MaxOutputFor(size)));
                    var n = r.Process(input.AsSpan(pos * channels, size * channels), actual.AsSpan(written * channels));
                    written += n;
                    pos += size;
                }
                written += r.Flush(actual.AsSpan(written * channels));
                Assert.That(written * channels, Is.EqualTo(expected.Length));
                for (var i = 0; i < expected.Length; i++)
                    if (BitConverter.SingleToInt32Bits(actual[i]) != BitConverter.SingleToInt32Bits(expected[i]))
                        Assert.Fail("sample " + i + " differs: " + actual[i] + " vs " + expected[i] + " (trial " + trial + ")");
            }
        }

        [TestCaseSource(nameof(AllPairs))]
        public void Frame_counts_follow_the_exact_ratio_and_InputNeededFor_is_tight(int inRate, int outRate)
        {
            var r = new Resampler(inRate, outRate);
            var random = new Random(inRate ^ outRate);
            long consumed = 0, produced = 0;
            var buffer = new float[8192];
            for (var step = 0; step < 30; step++)
            {
                var want = random.Next(0, 1200);
                var need = r.InputNeededFor(want);
                if (want > 0 && need > 0)
                {
                    // One frame less must not be enough.
                    Assert.That(r.OutputFramesFor(need - 1), Is.LessThan(want));
                }
                var got = r.Process(new float[need], buffer);
                Assert.That(got, Is.GreaterThanOrEqualTo(want));
                consumed += need;
                produced += got;
                // After N input frames exactly ceil(N·out/in) outputs exist.
                Assert.That(produced, Is.EqualTo((consumed * outRate + inRate - 1) / inRate));
            }
        }

        [TestCaseSource(nameof(AllPairs))]
        public void Passband_tones_keep_their_level_within_0_1_dB_and_nothing_else_appears(int inRate, int outRate)
        {
            var low = Math.Min(inRate, outRate);
            foreach (var q in new[] { ResamplerQuality.Fast, ResamplerQuality.Default, ResamplerQuality.High })
            {
                var r = new Resampler(inRate, outRate, 1, q);
                // Default gets the full set; the other presets the ends and the middle (keeps the suite fast).
                var tones = q == ResamplerQuality.Default ? new[] { 0.006, 0.05, 0.15, 0.3, 0.4, 0.45 } : new[] { 0.006, 0.3, 0.45 };
                foreach (var rel in tones)
                {
                    var hz = rel * low;
                    r.Reset();
                    var output = ResampleWhole(r, Signals.Sine(hz, inRate, inRate / 8, 0.5), false);
                    var fit = Spectrum.FitTone(Steady(r, output), hz, outRate);
                    var gainDb = Spectrum.Db(fit.Amplitude / 0.5);
                    Assert.That(Math.Abs(gainDb), Is.LessThanOrEqualTo(0.1), q + " gain at " + hz + " Hz");
                    // For an upsampler the residual is the images at fs_in ± f (≥ 0.55·fs_low).
                    Assert.That(fit.ResidualDb, Is.LessThanOrEqualTo(StopbandDb(q)), q + " residual at " + hz + " Hz");
                }
            }
        }

        [TestCaseSource(nameof(DownsamplingPairs))]
        public void Stopband_tones_fed_to_a_downsampler_leave_at_most_the_preset_level(int inRate, int outRate)
        {
            var measured = 0;
            foreach (var q in new[] { ResamplerQuality.Fast, ResamplerQuality.Default, ResamplerQuality.High })
            {
                var r = new Resampler(inRate, outRate, 1, q);
                var from = StopEdge(q) * outRate;
                var to = 0.5 * inRate;
                if (from >= to) continue;  // e.g. 24000 → 22050: the input holds nothing above 0.55·fs_low
                var steps = q == ResamplerQuality.Default ? 6 : 3;
                for (var k = 0; k <= steps; k++)
                {
                    var hz = from + (to - from) * k / steps * 0.999;
                    r.Reset();
                    var output = ResampleWhole(r, Signals.Sine(hz, inRate, inRate / 8, 0.5), false);
                    var levelDb = Signals.RmsDbfs(Steady(r, output)) - Spectrum.Db(0.5 / Math.Sqrt(2));
                    Assert.That(levelDb, Is.LessThanOrEqualTo(StopbandDb(q)), q + " tone at " + hz + " Hz");
                    measured++;
                }
            }
            // High's stopband starts at 0.5·fs_out, below the input's Nyquist for every downsampling pair.
            Assert.That(measured, Is.GreaterThan(0), "no stopband tone fits this pair");
        }

        [TestCase(48000, 16000)]
        [TestCase(44100, 16000)]
        [TestCase(48000, 24000)]
        [TestCase(32000, 8000)]
        public void A_log_sweep_through_the_stopband_leaves_nothing_above_minus_90_dB(int inRate, int outRate)
        {
            var r = new Resampler(inRate, outRate);
            var sweep = Signals.LogSweep(0.55 * outRate, 0.499 * inRate, inRate, inRate, 0.5);
            var output = ResampleWhole(r, sweep, false);
            var levelDb = Signals.RmsDbfs(Steady(r, output)) - Signals.RmsDbfs(sweep);
            Assert.That(levelDb, Is.LessThanOrEqualTo(-90));
        }

        [TestCase(16000, 48000)]
        [TestCase(24000, 48000)]
        [TestCase(16000, 44100)]
        [TestCase(8000, 24000)]
        public void Upsampled_white_noise_has_its_images_90_dB_below_the_passband(int inRate, int outRate)
        {
            var r = new Resampler(inRate, outRate);
            var output = ResampleWhole(r, Signals.WhiteNoise(inRate * 2, 0.5, 7), false);
            var power = Spectrum.WelchPower(Steady(r, output), 4096);
            var pass = Spectrum.MeanPower(power, outRate, 0, 0.45 * inRate);
            var images = Spectrum.MeanPower(power, outRate, 0.55 * inRate, 0.5 * outRate);
            Assert.That(10 * Math.Log10(images / pass), Is.LessThanOrEqualTo(-90));
        }

        [TestCase(16000, 48000)]
        [TestCase(24000, 48000)]
        [TestCase(48000, 16000)]
        [TestCase(44100, 22050)]
        public void A_log_sweep_in_the_passband_matches_the_ideal_delayed_sweep(int inRate, int outRate)
        {
            var low = Math.Min(inRate, outRate);
            var r = new Resampler(inRate, outRate);
            const double seconds = 1;
            double f0 = 20, f1 = 0.42 * low;
            var input = Signals.LogSweep(f0, f1, inRate, (int)(inRate * seconds), 0.5);
            var output = ResampleWhole(r, input, false);
            // The same analytic sweep sampled at the output rate, delayed by the reported group delay.
            var delay = r.GroupDelayInputFrames / inRate;
            var k = Math.Log(f1 / f0);
            var skip = (int)Math.Ceiling((r.Taps + 2) * (double)outRate / inRate);
            double sig = 0, err = 0;
            for (var n = skip; n < output.Length - skip; n++)
            {
                var t = n / (double)outRate - delay;
                var ideal = 0.5 * Math.Sin(2 * Math.PI * f0 * seconds / k * (Math.Exp(t / seconds * k) - 1));
                sig += ideal * ideal;
                err += (output[n] - ideal) * (output[n] - ideal);
            }
            Assert.That(10 * Math.Log10(err / sig), Is.LessThanOrEqualTo(-80));
        }

        [TestCaseSource(nameof(AllPairs))]
        public void Reported_group_delay_is_the_measured_delay(int inRate, int outRate)
        {
            var low = Math.Min(inRate, outRate);
            var hz = 0.1 * low;
            var r = new Resampler(inRate, outRate);
            var output = ResampleWhole(r, Signals.Sine(hz, inRate, inRate / 4, 0.5, Math.PI / 2), false);
            var skip = (int)Math.Ceiling((r.Taps + 2) * (double)outRate / inRate);
            var fit = Spectrum.FitTone(Steady(r, output), hz, outRate);
            // Input is 0.5·cos(ωt) (sin + π/2); the output segment starts at t = skip/outRate.
            var expectedPhase = 2 * Math.PI * hz * (skip / (double)outRate - r.GroupDelayMs / 1000);
            var diff = Math.IEEERemainder(fit.Phase - expectedPhase, 2 * Math.PI);
            var errorMs = diff / (2 * Math.PI * hz) * 1000;
            Assert.That(Math.Abs(errorMs), Is.LessThan(0.001));
            Assert.That(r.LatencyFrames, Is.EqualTo((int)Math.Round(r.GroupDelayMs * outRate / 1000)));
            if (low >= 16000) Assert.That(r.GroupDelayMs, Is.LessThanOrEqualTo(2.0));
        }

        [TestCase("npc-greeting")]
        [TestCase("user-question")]
        public void Speech_survives_a_round_trip_through_16k(string id)
        {
            // 48 kHz → 16 kHz → 48 kHz must give back everything below 16 kHz's passband edge (0.45·16 kHz),
            // delayed by exactly the two reported latencies; what lay above it is gone by design.
            var original = TestWav.Speech(id, 48000).Samples;
            var down = new Resampler(48000, 16000);
            var up = new Resampler(16000, 48000);
            var mid = ResampleWhole(down, original, true);
            var back = ResampleWhole(up, mid, true);
            var delay = down.LatencyFrames * 3 + up.LatencyFrames;
            var aligned = back.AsSpan(delay, original.Length);
            var snr = Spectrum.BandSnrDb(original, aligned, 48000, 0.45 * 16000);
            TestContext.WriteLine(id + " round-trip SNR 0–7.2 kHz " + snr.ToString("F1") + " dB, full band " + Signals.SnrDb(original, aligned).ToString("F1"));
            Assert.That(snr, Is.GreaterThanOrEqualTo(90));
        }

        [TestCase("npc-greeting", 48000, 24000)]
        [TestCase("user-thanks", 22050, 16000)]
        [TestCase("trainer-step", 48000, 16000)]
        public void Speech_matches_an_independent_resampler(string id, int inRate, int outRate)
        {
            // The fixtures at each rate were made by sox from the 22.05 kHz original; its filter differs from ours only
            // near Nyquist, so below 0.4·fs the two renditions must agree closely.
            var input = TestWav.Speech(id, inRate).Samples;
            var reference = TestWav.Speech(id, outRate).Samples;
            var r = new Resampler(inRate, outRate);
            var output = ResampleWhole(r, input, true);
            var aligned = output.AsSpan(r.LatencyFrames, Math.Min(reference.Length, output.Length - r.LatencyFrames));
            var snr = Spectrum.BandSnrDb(reference, aligned, outRate, 0.4 * outRate);
            TestContext.WriteLine(id + " " + inRate + "→" + outRate + " vs sox: SNR 0–0.4·fs " + snr.ToString("F1") + " dB, full band " + Signals.SnrDb(reference, aligned).ToString("F1"));
            Assert.That(snr, Is.GreaterThanOrEqualTo(65));
        }

        [TestCase(48000, 16000, 2)]
        [TestCase(24000, 8000, 1)]
        [TestCase(22050, 48000, 1)]
        public void Convert_clip_is_the_flushed_stream_without_its_delay_whatever_came_before(int inRate, int outRate, int channels)
        {
            var mono = TestWav.Speech("user-thanks", 22050).Samples;
            var input = new float[mono.Length * channels];
            for (var i = 0; i < input.Length; i++) input[i] = mono[i / channels] * (i % channels == 0 ? 1f : -0.5f);
            var reference = new Resampler(inRate, outRate, channels);
            var whole = ResampleWhole(reference, input, true);
            var expected = whole.AsSpan(reference.LatencyFrames * channels).ToArray();

            var r = new Resampler(inRate, outRate, channels);
            r.Process(Signals.WhiteNoise(300 * channels, 0.5, 9), new float[r.MaxOutputFor(300) * channels]); // leftover history
            Assert.That(r.ConvertClip(input), Is.EqualTo(expected));
            Assert.That(r.ConvertClip(input), Is.EqualTo(expected), "a second clip starts from silence too");
            if (channels > 1) Assert.Throws<ArgumentException>(() => r.ConvertClip(new float[channels * 10 + 1]), "not whole frames");
        }

        [Test]
        public void Equal_rates_pass_samples_through_unchanged()
        {
            var input = Signals.WhiteNoise(1000, 0.9, 3);
            var r = new Resampler(24000, 24000);
            var output = ResampleWhole(r, input, true);
            Assert.That(output, Is.EqualTo(input));
            Assert.That(r.GroupDelayMs, Is.EqualTo(0));
        }

        [Test]
        public void Channels_are_resampled_independently()
        {
            var left = Signals.Sine(1000, 48000, 4800, 0.5);
            var right = Signals.WhiteNoise(4800, 0.5, 11);
            var stereo = new float[9600];
            for (var i = 0; i < 4800; i++)
            {
                stereo[2 * i] = left[i];
                stereo[2 * i + 1] = right[i];
            }
            var both = ResampleWhole(new Resampler(48000, 16000, 2), stereo, true);
            var l = ResampleWhole(new Resampler(48000, 16000), left, true);
            var r = ResampleWhole(new Resampler(48000, 16000), right, true);
            Assert.That(both.Length, Is.EqualTo(2 * l.Length));
            for (var i = 0; i < l.Length; i++)
            {
                Assert.That(both[2 * i], Is.EqualTo(l[i]));
                Assert.That(both[2 * i + 1], Is.EqualTo(r[i]));
            }
        }

        [Test]
        public void Non_finite_input_becomes_silence_and_the_stream_recovers()
        {
            var input = Signals.Sine(440, 48000, 4800, 0.5);
            var clean = ResampleWhole(new Resampler(48000, 24000), input, false);
            var dirty = (float[])input.Clone();
            dirty[1000] = float.NaN;
            dirty[1001] = float.PositiveInfinity;
            dirty[1002] = float.NegativeInfinity;
            var r = new Resampler(48000, 24000);
            var output = ResampleWhole(r, dirty, false);
            Assert.That(r.NonFiniteSamples, Is.EqualTo(3));
            foreach (var v in output) Assert.That(float.IsNaN(v) || float.IsInfinity(v), Is.False);
            // Once the three samples leave the filter window the output is the clean stream again.
            var after = (1003 + r.Taps) / 2 + 1;
            for (var i = after; i < clean.Length; i++) Assert.That(output[i], Is.EqualTo(clean[i]));
            r.Reset();
            Assert.That(r.NonFiniteSamples, Is.EqualTo(0));
        }

        [Test]
        public void Reset_starts_a_fresh_stream()
        {
            var input = Signals.WhiteNoise(3000, 0.5, 5);
            var r = new Resampler(44100, 48000);
            var first = ResampleWhole(r, input, false);
            r.Reset();
            var second = ResampleWhole(r, input, false);
            Assert.That(second, Is.EqualTo(first));
        }

        [Test]
        public void Bad_arguments_are_typed_errors_and_consume_nothing()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(4000, 48000));
            Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(48000, 400000));
            Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(48000, 16000, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(48000, 16000, 9));
            Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(48000, 16000, 1, (ResamplerQuality)7));
            Assert.Throws<NotSupportedException>(() => new Resampler(44100, 44101));

            var r = new Resampler(48000, 16000, 2);
            Assert.Throws<ArgumentException>(() => r.Process(new float[3], new float[100]));
            Assert.Throws<ArgumentOutOfRangeException>(() => r.MaxOutputFor(-1));
            Assert.Throws<ArgumentOutOfRangeException>(() => r.InputNeededFor(-1));
            var input = Signals.WhiteNoise(960, 0.5, 1);
            var tooSmall = new float[2 * r.OutputFramesFor(480) - 1];
            Assert.Throws<ArgumentException>(() => r.Process(input, tooSmall));
            // The failed call changed nothing: the stream continues as if it never happened.
            var expected = ResampleWhole(new Resampler(48000, 16000, 2), input, false);
            Assert.That(ResampleWhole(r, input, false), Is.EqualTo(expected));
            Assert.Throws<ArgumentException>(() => r.Flush(new float[1]));
        }
    }
}
