using System;

namespace Parley.Lipsync
{
    /// <summary>
    /// The viseme classifier <see cref="LipsyncAnalyser"/> runs: which frames it looks at and the weights of its
    /// one-hidden-layer network. <see cref="Default"/> is the model shipped with the package, trained by
    /// <c>Tools~/Parley.LipsyncTrainer</c> on data from <c>Tools~/lipsync-data/generate</c> (see Documentation~/lipsync.md).
    /// </summary>
    public sealed class LipsyncModel
    {
        /// <summary>Mel bands (100–3800 Hz), cepstral coefficients and features per frame (cepstra + level).</summary>
        public const int Bands = 24;
        public const int Ceps = 13;
        public const int Features = Ceps + 1;
        public const double LowHz = 100;
        public const double HighHz = 3800;

        static LipsyncModel _default;

        /// <param name="context">Frame offsets around the output frame (negative: past); the largest is the lookahead (0..8).</param>
        /// <param name="meanInit">Starting cepstral mean of the streaming normaliser, <see cref="Ceps"/> values.</param>
        /// <param name="shift">Input standardisation, <c>context.Length × Features</c>: (x - shift) · scale.</param>
        /// <param name="w1">Hidden × inputs, row-major.</param>
        /// <param name="w2">15 × hidden, row-major.</param>
        public LipsyncModel(int[] context, int hidden, float[] meanInit, float[] shift, float[] scale,
            float[] w1, float[] b1, float[] w2, float[] b2)
        {
            if (context == null || context.Length == 0 || context.Length > 32)
                throw new ArgumentException("Context must hold 1 to 32 frame offsets.", nameof(context));
            var lookahead = 0;
            var back = 0;
            foreach (var c in context)
            {
                if (c < -32 || c > 8) throw new ArgumentException("Context offsets must be from -32 to 8 frames.", nameof(context));
                lookahead = Math.Max(lookahead, c);
                back = Math.Max(back, -c);
            }
            if (hidden < 1 || hidden > 1024) throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "Hidden units must be 1 to 1024.");
            var inputs = context.Length * Features;
            Check(meanInit, Ceps, nameof(meanInit));
            Check(shift, inputs, nameof(shift));
            Check(scale, inputs, nameof(scale));
            Check(w1, hidden * inputs, nameof(w1));
            Check(b1, hidden, nameof(b1));
            Check(w2, Visemes.Count * hidden, nameof(w2));
            Check(b2, Visemes.Count, nameof(b2));
            Context = (int[])context.Clone();
            Hidden = hidden;
            Lookahead = lookahead;
            History = lookahead + back + 2;
            MeanInit = meanInit;
            Shift = shift;
            Scale = scale;
            W1 = w1;
            B1 = b1;
            W2 = w2;
            B2 = b2;
        }

        public int[] Context { get; }
        public int Hidden { get; }
        public int Lookahead { get; }
        public int Inputs => Context.Length * Features;
        internal int History { get; }
        internal float[] MeanInit { get; }
        internal float[] Shift { get; }
        internal float[] Scale { get; }
        internal float[] W1 { get; }
        internal float[] B1 { get; }
        internal float[] W2 { get; }
        internal float[] B2 { get; }

        /// <summary>The shipped model (decoded once).</summary>
        public static LipsyncModel Default => _default ?? (_default = LipsyncModelWeights.Create());

        static void Check(float[] a, int length, string name)
        {
            if (a == null || a.Length != length)
                throw new ArgumentException("Expected " + length + " values, got " + (a == null ? "none" : a.Length.ToString()) + ".", name);
            foreach (var v in a)
                if (float.IsNaN(v) || float.IsInfinity(v)) throw new ArgumentException("Values must be finite.", name);
        }

        /// <summary>Little-endian float32 array from base64 (how the generated weights file stores them).</summary>
        internal static float[] Decode(string base64)
        {
            var bytes = Convert.FromBase64String(base64);
            var values = new float[bytes.Length / 4];
            if (BitConverter.IsLittleEndian) Buffer.BlockCopy(bytes, 0, values, 0, values.Length * 4);
            else
                for (var i = 0; i < values.Length; i++)
                {
                    Array.Reverse(bytes, i * 4, 4);
                    values[i] = BitConverter.ToSingle(bytes, i * 4);
                }
            return values;
        }
    }
}
