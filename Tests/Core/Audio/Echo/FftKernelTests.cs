using System;
using NUnit.Framework;
using Parley.Audio.Kernels;
using Parley.Tests.Support;

namespace Parley.Tests.Core.Audio.Echo
{
    /// <summary>The echo canceller's real FFT against a direct DFT in double precision, and its round trip.</summary>
    public unsafe class FftKernelTests
    {
        [TestCase(4)]
        [TestCase(16)]
        [TestCase(256)]
        [TestCase(512)]
        public void Forward_matches_a_direct_DFT_and_Inverse_restores_the_signal(int n)
        {
            var x = Signals.WhiteNoise(n, 1.0, n);
            var table = new float[FftKernel.TableLength(n)];
            var re = new float[n / 2 + 1];
            var im = new float[n / 2 + 1];
            var work = new float[n];
            var back = new float[n];
            fixed (float* t = table)
            fixed (float* px = x)
            fixed (float* pr = re)
            fixed (float* pi = im)
            fixed (float* w = work)
            fixed (float* b = back)
            {
                FftKernel.Init(t, n);
                FftKernel.Forward(t, n, px, pr, pi, w);
                FftKernel.Inverse(t, n, pr, pi, b);
            }
            double worst = 0;
            for (var k = 0; k <= n / 2; k++)
            {
                double sr = 0, si = 0;
                for (var i = 0; i < n; i++)
                {
                    sr += x[i] * Math.Cos(2 * Math.PI * k * i / n);
                    si -= x[i] * Math.Sin(2 * Math.PI * k * i / n);
                }
                worst = Math.Max(worst, Math.Max(Math.Abs(sr - re[k]), Math.Abs(si - im[k])));
            }
            // float rounding grows like log2(n)·√n·ε; the scale of a bin is √n.
            Assert.That(worst, Is.LessThan(1e-5 * n));
            Assert.That(Signals.SnrDb(x, back), Is.GreaterThan(120));
        }
    }
}
