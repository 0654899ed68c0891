using System;

namespace Parley.LipsyncTrainer
{
    /// <summary>One-hidden-layer ReLU network with a softmax output, trained by weighted cross-entropy with Adam.</summary>
    sealed class Network
    {
        public readonly int Inputs, Hidden, Classes;
        public readonly float[] W1, B1, W2, B2;
        readonly float[][] _m, _v;
        int _step;

        /// <summary>Label smoothing: the target puts this much mass evenly over all classes (0 = one-hot).</summary>
        public float Smoothing;

        public Network(int inputs, int hidden, int classes, int seed)
        {
            Inputs = inputs; Hidden = hidden; Classes = classes;
            W1 = new float[hidden * inputs]; B1 = new float[hidden]; W2 = new float[classes * hidden]; B2 = new float[classes];
            var rnd = new Random(seed);
            var s1 = Math.Sqrt(2.0 / inputs);
            for (var i = 0; i < W1.Length; i++) W1[i] = (float)(Gauss(rnd) * s1);
            var s2 = Math.Sqrt(1.0 / hidden);
            for (var i = 0; i < W2.Length; i++) W2[i] = (float)(Gauss(rnd) * s2);
            _m = new[] { new float[W1.Length], new float[B1.Length], new float[W2.Length], new float[B2.Length] };
            _v = new[] { new float[W1.Length], new float[B1.Length], new float[W2.Length], new float[B2.Length] };
        }

        static double Gauss(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

        /// <summary>One epoch over <paramref name="order"/> in mini-batches; returns the mean weighted loss.</summary>
        public double Epoch(float[] x, int[] y, float[] weight, int[] order, int batch, float rate, float decay)
        {
            var g = new[] { new float[W1.Length], new float[B1.Length], new float[W2.Length], new float[B2.Length] };
            var h = new float[Hidden];
            var p = new float[Classes];
            var dh = new float[Hidden];
            double loss = 0, wsum = 0;
            for (var start = 0; start < order.Length; start += batch)
            {
                foreach (var a in g) Array.Clear(a);
                var end = Math.Min(order.Length, start + batch);
                float bw = 0;
                for (var k = start; k < end; k++)
                {
                    var n = order[k];
                    var xo = n * Inputs;
                    Forward(x, xo, h, p);
                    var w = weight[n];
                    bw += w;
                    loss -= w * Math.Log(Math.Max(p[y[n]], 1e-9f));
                    wsum += w;
                    Array.Clear(dh);
                    var off = Smoothing / Classes;
                    for (var c = 0; c < Classes; c++)
                    {
                        var d = w * (p[c] - (c == y[n] ? 1f - Smoothing + off : off));
                        g[3][c] += d;
                        var row = c * Hidden;
                        for (var j = 0; j < Hidden; j++)
                        {
                            g[2][row + j] += d * h[j];
                            dh[j] += d * W2[row + j];
                        }
                    }
                    for (var j = 0; j < Hidden; j++)
                    {
                        if (h[j] <= 0f) continue;
                        var d = dh[j];
                        g[1][j] += d;
                        var row = j * Inputs;
                        for (var i = 0; i < Inputs; i++) g[0][row + i] += d * x[xo + i];
                    }
                }
                Adam(g, 1f / bw, rate, decay);
            }
            return loss / wsum;
        }

        public void Forward(float[] x, int xo, float[] h, float[] p)
        {
            for (var j = 0; j < Hidden; j++)
            {
                var v = B1[j];
                var row = j * Inputs;
                for (var i = 0; i < Inputs; i++) v += W1[row + i] * x[xo + i];
                h[j] = v > 0f ? v : 0f;
            }
            var max = float.NegativeInfinity;
            for (var c = 0; c < Classes; c++)
            {
                var v = B2[c];
                var row = c * Hidden;
                for (var j = 0; j < Hidden; j++) v += W2[row + j] * h[j];
                p[c] = v;
                if (v > max) max = v;
            }
            float sum = 0;
            for (var c = 0; c < Classes; c++) { p[c] = MathF.Exp(p[c] - max); sum += p[c]; }
            for (var c = 0; c < Classes; c++) p[c] /= sum;
        }

        void Adam(float[][] g, float scale, float rate, float decay)
        {
            _step++;
            const float b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
            var c1 = 1 - MathF.Pow(b1, _step);
            var c2 = 1 - MathF.Pow(b2, _step);
            var p = new[] { W1, B1, W2, B2 };
            for (var t = 0; t < 4; t++)
            {
                var wd = t == 0 || t == 2 ? decay : 0f;
                for (var i = 0; i < p[t].Length; i++)
                {
                    var gi = g[t][i] * scale + wd * p[t][i];
                    _m[t][i] = b1 * _m[t][i] + (1 - b1) * gi;
                    _v[t][i] = b2 * _v[t][i] + (1 - b2) * gi * gi;
                    p[t][i] -= rate * (_m[t][i] / c1) / (MathF.Sqrt(_v[t][i] / c2) + eps);
                }
            }
        }
    }
}
