using System;

namespace Parley.Tests.Support
{
    /// <summary>Test signals and the measurements tests assert on (dBFS, SNR).</summary>
    public static class Signals
    {
        public static float[] Sine(double hz, int rate, int frames, double amplitude = 0.5, double phase = 0)
        {
            var s = new float[frames];
            for (var i = 0; i < frames; i++) s[i] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / rate + phase));
            return s;
        }

        /// <summary>Exponential (log) sweep from <paramref name="f0"/> to <paramref name="f1"/> Hz.</summary>
        public static float[] LogSweep(double f0, double f1, int rate, int frames, double amplitude = 0.5)
        {
            var s = new float[frames];
            var t = frames / (double)rate;
            var k = Math.Log(f1 / f0);
            for (var i = 0; i < frames; i++)
            {
                var x = i / (double)rate;
                s[i] = (float)(amplitude * Math.Sin(2 * Math.PI * f0 * t / k * (Math.Exp(x / t * k) - 1)));
            }
            return s;
        }

        /// <summary>Uniform white noise at the given peak amplitude, reproducible by seed.</summary>
        public static float[] WhiteNoise(int frames, double amplitude, int seed)
        {
            var r = new Random(seed);
            var s = new float[frames];
            for (var i = 0; i < frames; i++) s[i] = (float)((r.NextDouble() * 2 - 1) * amplitude);
            return s;
        }

        /// <summary>Index of the first element from <paramref name="from"/> where the arrays differ (a length difference
        /// counts), -1 if identical. Fast where NUnit's collection equality is slow on second-long buffers.</summary>
        public static int FirstDifference<T>(T[] expected, T[] actual, int from = 0) where T : IEquatable<T>
        {
            var n = Math.Min(expected.Length, actual.Length);
            for (var i = from; i < n; i++)
                if (!expected[i].Equals(actual[i])) return i;
            return expected.Length == actual.Length ? -1 : n;
        }

        public static double RmsDbfs(ReadOnlySpan<float> x)
        {
            double sum = 0;
            foreach (var v in x) sum += (double)v * v;
            var rms = Math.Sqrt(sum / Math.Max(1, x.Length));
            return rms <= 0 ? double.NegativeInfinity : 20 * Math.Log10(rms);
        }

        /// <summary>Signal-to-noise ratio of <paramref name="actual"/> against <paramref name="reference"/>, in dB.</summary>
        public static double SnrDb(ReadOnlySpan<float> reference, ReadOnlySpan<float> actual)
        {
            double sig = 0, err = 0;
            var n = Math.Min(reference.Length, actual.Length);
            for (var i = 0; i < n; i++)
            {
                sig += (double)reference[i] * reference[i];
                var e = (double)actual[i] - reference[i];
                err += e * e;
            }
            return err == 0 ? double.PositiveInfinity : 10 * Math.Log10(sig / err);
        }
    }
}
