using System;
using NUnit.Framework;
using Parley.Audio.Kernels;

namespace Parley.Tests.Core.Audio.Echo
{
    /// <summary>
    /// The suppressor's low-delay gain filter on its own: per-bin gains set by the test, signals with known answers
    /// (a scaled copy, tones in the pass and stop bands, a gain switching every block).
    /// </summary>
    public unsafe class EchoGainFilterKernelTests
    {
        const int Rate = 16000;
        const int Block = 128;

        /// <summary>Runs <paramref name="input"/> through the filter block by block, gains from <paramref name="gainOfBin"/>(block, bin).</summary>
        static float[] Filter(float[] input, Func<int, int, float> gainOfBin, out int delay)
        {
            var s = default(EchoState);
            EchoKernel.Init(ref s, Rate, Block, 1, 1);
            delay = s.GainDelay;
            var f = new float[s.FloatCount];
            var iw = new int[s.IntCount];
            var output = new float[input.Length];
            fixed (float* fp = f)
            fixed (int* ip = iw)
            fixed (float* inp = input)
            fixed (float* op = output)
            {
                EchoKernel.Reset(ref s, fp, ip);
                for (var at = 0; at + Block <= input.Length; at += Block)
                {
                    for (var i = 0; i < s.Bins; i++) fp[s.Gain + i] = gainOfBin(at / Block, i);
                    EchoGainFilterKernel.Apply(ref s, fp, inp + at, op + at);
                }
            }
            return output;
        }

        /// <summary>SNR (dB) of <paramref name="output"/> against <paramref name="expected"/> delayed by <paramref name="lag"/>, from <paramref name="from"/>.</summary>
        static double SnrDb(float[] expected, float[] output, int lag, int from)
        {
            double e = 0, p = 0;
            for (var i = from; i + lag < output.Length; i++)
            {
                var d = output[i + lag] - expected[i];
                e += d * d;
                p += expected[i] * expected[i];
            }
            return 10 * Math.Log10(p / Math.Max(e, 1e-30));
        }

        static float[] Noise(int n, int seed)
        {
            var rnd = new Random(seed);
            var x = new float[n];
            for (var i = 0; i < x.Length; i++) x[i] = (float)(rnd.NextDouble() * 2 - 1) * 0.1f;
            return x;
        }

        static float[] Tone(int n, double hz)
        {
            var x = new float[n];
            for (var i = 0; i < n; i++) x[i] = (float)(0.1 * Math.Sin(2 * Math.PI * hz * i / Rate));
            return x;
        }

        [Test]
        public void A_flat_gain_scales_the_signal_and_delays_it_by_three_milliseconds()
        {
            var x = Noise(Rate, 3);
            var y = Filter(x, (b, i) => 0.5f, out var delay);
            Assert.That(delay, Is.EqualTo(48), "3 ms at 16 kHz");
            var half = new float[x.Length];
            for (var i = 0; i < x.Length; i++) half[i] = 0.5f * x[i];
            var snr = SnrDb(half, y, delay, Block);   // the first block fades in from a new stream's pass-all filter
            TestContext.WriteLine($"flat 0.5: {snr:0.0} dB against half the input {delay} samples late");
            Assert.That(snr, Is.GreaterThan(80), "a flat gain is a pure scale and delay");
        }

        [Test]
        public void Tones_in_the_passed_band_keep_their_waveform_and_the_stopped_band_is_removed()
        {
            // Gains 1 below 2 kHz (bin 32 of 62.5 Hz), 0.01 above: 1 kHz passes, 3 kHz is stopped.
            Func<int, int, float> lowPass = (b, i) => i < 32 ? 1f : 0.01f;
            var pass = Tone(Rate, 1000);
            var y = Filter(pass, lowPass, out var delay);
            var snr = SnrDb(pass, y, delay, 2 * Block);
            var stop = Tone(Rate, 3000);
            var z = Filter(stop, lowPass, out _);
            double zz = 0, ss = 0;
            for (var i = 2 * Block; i < stop.Length; i++) { zz += z[i] * z[i]; ss += stop[i] * stop[i]; }
            var attenuation = 10 * Math.Log10(zz / ss);
            TestContext.WriteLine($"1 kHz passed at {snr:0.0} dB SNR ({delay} samples late); 3 kHz at {attenuation:0.0} dB");
            Assert.That(snr, Is.GreaterThan(30), "1 kHz: waveform kept");
            Assert.That(attenuation, Is.LessThan(-30), "3 kHz: removed");
        }

        [Test]
        public void A_gain_switching_every_block_does_not_click()
        {
            // 0 dB and −20 dB on alternate blocks over a 500 Hz tone: the output's envelope may move, but no step between
            // neighbouring samples may exceed the tone's own largest step (a click would).
            var x = Tone(Rate, 500);
            var y = Filter(x, (b, i) => b % 2 == 0 ? 1f : 0.1f, out _);
            double inStep = 0, outStep = 0;
            for (var i = 2 * Block; i < x.Length; i++)
            {
                inStep = Math.Max(inStep, Math.Abs(x[i] - x[i - 1]));
                outStep = Math.Max(outStep, Math.Abs(y[i] - y[i - 1]));
            }
            TestContext.WriteLine($"largest step: input {inStep:0.0000}, output {outStep:0.0000}");
            Assert.That(outStep, Is.LessThanOrEqualTo(inStep * 1.05));
        }
    }
}
