using System;
using NUnit.Framework;
using Parley.Audio;
using Parley.Audio.Kernels;
using Parley.Tests.Support;

namespace Parley.Tests.Audio
{
    public class PcmConvertTests
    {
        const double Lsb = 1.0 / 32768;

        static float[] Back(short[] pcm)
        {
            var f = new float[pcm.Length];
            PcmConvert.Pcm16ToFloat(pcm, f);
            return f;
        }

        static short[] ToPcm(float[] x)
        {
            var pcm = new short[x.Length];
            PcmConvert.FloatToPcm16(x, pcm);
            return pcm;
        }

        static short[] ToPcmDithered(float[] x, uint seed)
        {
            var pcm = new short[x.Length];
            var rng = DitherState.FromSeed(seed);
            PcmConvert.FloatToPcm16(x, pcm, ref rng);
            return pcm;
        }

        [Test]
        public void Full_scale_sine_round_trip_has_the_16_bit_quantisation_snr()
        {
            // A full-scale sine quantised to N bits has SNR = 6.02·N + 1.76 dB (98.09 dB for 16 bits).
            var x = Signals.Sine(997, 48000, 96000, amplitude: 32767.0 / 32768);
            var snr = Signals.SnrDb(x, Back(ToPcm(x)));
            Assert.That(snr, Is.EqualTo(6.02 * 16 + 1.76).Within(0.5));
        }

        [Test]
        public void Speech_round_trip_error_is_at_most_half_an_lsb()
        {
            var clip = TestWav.Speech("npc-greeting", 48000);
            var back = Back(ToPcm(clip.Samples));
            var worst = 0.0;
            for (var i = 0; i < back.Length; i++) worst = Math.Max(worst, Math.Abs(back[i] - clip.Samples[i]));
            Assert.That(worst, Is.LessThanOrEqualTo(0.5 * Lsb));
            // The WAV was PCM16 to begin with, so here the round trip is exact.
            Assert.That(Signals.SnrDb(clip.Samples, back), Is.EqualTo(double.PositiveInfinity));
        }

        [Test]
        public void Every_pcm16_value_survives_float_and_back()
        {
            var all = new short[65536];
            for (var i = 0; i < all.Length; i++) all[i] = (short)(i - 32768);
            Assert.That(Signals.FirstDifference(all, ToPcm(Back(all))), Is.EqualTo(-1));
        }

        [Test]
        public void Out_of_range_and_non_finite_samples_follow_the_documented_clamp()
        {
            // Rounding is to nearest with ties to even (0.5 LSB → 0, 1.5 LSB → 2).
            var x = new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 2f, -2f, 1f, -1f, (float)(0.5 * Lsb), (float)(-1.5 * Lsb), (float)(0.49 * Lsb), (float)(0.51 * Lsb), (float)(1.5 * Lsb) };
            Assert.That(ToPcm(x), Is.EqualTo(new short[] { 0, 32767, -32768, 32767, -32768, 32767, -32768, 0, -2, 0, 1, 2 }));
            Assert.That(ToPcmDithered(new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity }, 7), Is.EqualTo(new short[] { 0, 32767, -32768 }));
        }

        [Test]
        public void Block_conversion_equals_the_scalar_kernel_on_every_half_lsb_and_non_finite_values()
        {
            // Long blocks take the SIMD path where the runtime accelerates it; it must agree with the kernel
            // bit for bit, ties and clipping included. Every half LSB over the full range plus past both ends.
            var x = new float[2 * 65538 + 7 + 40];
            var n = 0;
            for (var k = -65538; k <= 65537; k++) x[n++] = (float)(k * 0.5 * Lsb);
            var odd = new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 3f, -3f, float.Epsilon, -0f };
            while (n < x.Length) { x[n] = odd[n % odd.Length]; n++; }
            var block = ToPcm(x);
            var firstMismatch = -1;
            for (var i = 0; i < x.Length && firstMismatch < 0; i++)
                if (block[i] != Parley.Audio.Kernels.Pcm16Kernel.FromFloat(x[i])) firstMismatch = i;
            Assert.That(firstMismatch, Is.EqualTo(-1), "first differing input: " + (firstMismatch < 0 ? "" : x[firstMismatch].ToString("R")));
        }

        [Test]
        public void Dither_adds_the_expected_noise_power_and_no_more()
        {
            // Plain rounding error power is LSB²/12; TPDF of ±1 LSB adds 2·LSB²/12, i.e. +4.77 dB.
            var x = Signals.WhiteNoise(96000, 0.5, seed: 3);
            double plain = ErrorPower(x, ToPcm(x)), dithered = ErrorPower(x, ToPcmDithered(x, 11));
            Assert.That(10 * Math.Log10(plain / (Lsb * Lsb / 12)), Is.EqualTo(0).Within(0.2));
            Assert.That(10 * Math.Log10(dithered / plain), Is.EqualTo(10 * Math.Log10(3)).Within(0.3));
        }

        [Test]
        public void Dither_decorrelates_the_error_from_a_sub_lsb_signal()
        {
            // A sine of 0.4 LSB: rounding turns it into digital silence (error = -signal, correlation -1);
            // with dither the error is uncorrelated with the signal and the sine survives on average.
            var x = Signals.Sine(441, 48000, 96000, amplitude: 0.4 * Lsb);
            var plain = ToPcm(x);
            var dithered = ToPcmDithered(x, 5);
            Assert.That(Correlation(x, Error(x, plain)), Is.LessThan(-0.99));
            Assert.That(Math.Abs(Correlation(x, Error(x, dithered))), Is.LessThan(0.02));
            Assert.That(Array.TrueForAll(plain, s => s == 0), Is.True);
            // Amplitude recovered from the dithered output by projecting onto the sine.
            Assert.That(Projection(x, Back(dithered)), Is.EqualTo(1.0).Within(0.05));
        }

        [Test]
        public void Dither_is_reproducible_from_its_seed_and_differs_between_seeds()
        {
            var x = Signals.Sine(1000, 24000, 4800, amplitude: 0.25);
            Assert.That(ToPcmDithered(x, 42), Is.EqualTo(ToPcmDithered(x, 42)));
            Assert.That(ToPcmDithered(x, 42), Is.Not.EqualTo(ToPcmDithered(x, 43)));
            // default(DitherState) still dithers instead of sticking at zero.
            var rng = default(DitherState);
            Assert.That(DitherState.Next(ref rng), Is.Not.EqualTo(0u));
        }

        [TestCase(1)]
        [TestCase(2)]
        [TestCase(6)]
        public void Downmix_to_pcm16_equals_downmix_then_convert(int channels)
        {
            var frames = 4800;
            var x = new float[frames * channels];
            for (var c = 0; c < channels; c++)
                ChannelMixer.Interleave(Signals.Sine(200 + 100 * c, 48000, frames, 0.9), channels, c, x);
            var mono = new float[frames];
            ChannelMixer.Downmix(x, channels, mono);
            var fused = new short[frames];
            Assert.That(PcmConvert.DownmixToPcm16(x, channels, fused), Is.EqualTo(frames));
            Assert.That(fused, Is.EqualTo(ToPcm(mono)));
        }

        [Test]
        public void Wire_bytes_decode_to_the_same_samples()
        {
            var pcm = ToPcm(TestWav.Speech("user-thanks", 24000).Samples);
            var bytes = new byte[pcm.Length * 2];
            for (var i = 0; i < pcm.Length; i++)
            {
                bytes[2 * i] = (byte)pcm[i];
                bytes[2 * i + 1] = (byte)(pcm[i] >> 8);
            }
            var f = new float[pcm.Length];
            Assert.That(PcmConvert.Pcm16BytesToFloat(bytes, f), Is.EqualTo(pcm.Length));
            Assert.That(Signals.FirstDifference(Back(pcm), f), Is.EqualTo(-1));
        }

        [Test]
        public void Bad_sizes_are_argument_errors()
        {
            Assert.Throws<ArgumentException>(() => PcmConvert.Pcm16BytesToFloat(new byte[3], new float[4]));
            Assert.Throws<ArgumentException>(() => PcmConvert.Pcm16BytesToFloat(new byte[8], new float[3]));
            Assert.Throws<ArgumentException>(() => PcmConvert.FloatToPcm16(new float[10], new short[9]));
            Assert.Throws<ArgumentException>(() => PcmConvert.Pcm16ToFloat(new short[10], new float[9]));
            Assert.Throws<ArgumentException>(() => PcmConvert.DownmixToPcm16(new float[9], 2, new short[9]));
            Assert.Throws<ArgumentOutOfRangeException>(() => PcmConvert.DownmixToPcm16(new float[8], 0, new short[8]));
            Assert.Throws<ArgumentException>(() => PcmConvert.DownmixToPcm16(new float[8], 2, new short[3]));
        }

        static float[] Error(float[] x, short[] pcm)
        {
            var e = new float[x.Length];
            for (var i = 0; i < x.Length; i++) e[i] = (float)(pcm[i] * Lsb - x[i]);
            return e;
        }

        static double ErrorPower(float[] x, short[] pcm)
        {
            double sum = 0;
            for (var i = 0; i < x.Length; i++)
            {
                var e = pcm[i] * Lsb - x[i];
                sum += e * e;
            }
            return sum / x.Length;
        }

        static double Correlation(float[] a, float[] b)
        {
            double ma = 0, mb = 0;
            for (var i = 0; i < a.Length; i++) { ma += a[i]; mb += b[i]; }
            ma /= a.Length;
            mb /= b.Length;
            double sab = 0, saa = 0, sbb = 0;
            for (var i = 0; i < a.Length; i++)
            {
                double da = a[i] - ma, db = b[i] - mb;
                sab += da * db;
                saa += da * da;
                sbb += db * db;
            }
            return sab / Math.Sqrt(saa * sbb);
        }

        /// <summary>Least-squares gain of <paramref name="y"/> along <paramref name="x"/> (1 = the signal fully present).</summary>
        static double Projection(float[] x, float[] y)
        {
            double xy = 0, xx = 0;
            for (var i = 0; i < x.Length; i++)
            {
                xy += (double)x[i] * y[i];
                xx += (double)x[i] * x[i];
            }
            return xy / xx;
        }
    }
}
