namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Pitch-synchronous time-stretch over raw memory (Burst-friendly), as WebRTC's NetEq expands and accelerates:
    /// find the lag T (one pitch period, or a multiple) at which two adjacent T-sample windows match best by
    /// normalised cross-correlation, then insert or remove one period with a linear crossfade between the two.
    /// A period that repeats keeps the pitch; the crossfade keeps the waveform continuous at both joins.
    /// </summary>
    public static unsafe class StretchKernel
    {
        /// <summary>
        /// Best lag in [<paramref name="minLag"/>, <paramref name="maxLag"/>] for the adjacent windows
        /// x[o − T, o) and x[o, o + T), where o = T from the start (<paramref name="atEnd"/> false: the first 2T samples)
        /// or o = length − T (<paramref name="atEnd"/> true: the last 2T). Returns 0 when even <paramref name="minLag"/>
        /// does not fit; <paramref name="score"/> gets the normalised correlation (−1..1, 0 for silence).
        /// Coarse search on every second lag and sample, then the neighbours of the best at full resolution.
        /// </summary>
        public static int BestLag(float* x, int length, int minLag, int maxLag, bool atEnd, float* score)
        {
            if (maxLag > length / 2) maxLag = length / 2;
            *score = 0f;
            if (minLag < 1 || maxLag < minLag) return 0;
            var best = minLag;
            var bestScore = -2.0;
            for (var lag = minLag; lag <= maxLag; lag += 2)
            {
                var c = Correlation(x, length, lag, atEnd, 2);
                if (c > bestScore) { bestScore = c; best = lag; }
            }
            var coarse = best;
            bestScore = -2.0;
            for (var lag = coarse - 1; lag <= coarse + 1; lag++)
            {
                if (lag < minLag || lag > maxLag) continue;
                var c = Correlation(x, length, lag, atEnd, 1);
                if (c > bestScore) { bestScore = c; best = lag; }
            }
            *score = (float)bestScore;
            return best;
        }

        static double Correlation(float* x, int length, int lag, bool atEnd, int step)
        {
            var a = atEnd ? x + length - 2 * lag : x;
            var b = a + lag;
            double ab = 0, aa = 0, bb = 0;
            for (var i = 0; i < lag; i += step)
            {
                double u = a[i], v = b[i];
                ab += u * v;
                aa += u * u;
                bb += v * v;
            }
            // Silence (below ~-100 dBFS per sample) correlates as 0: any lag will do there.
            var energy = aa * bb;
            return energy > 1e-20 * lag * lag ? ab / System.Math.Sqrt(energy) : 0.0;
        }

        /// <summary>
        /// Expands x[0, length) by <paramref name="lag"/> samples in place (x has room for length + lag): the last two
        /// periods a|b become a | (b crossfading into a) | b. The first and last samples stay where they were, so the
        /// stretched block still joins what came before and what follows.
        /// </summary>
        public static void InsertPeriod(float* x, int length, int lag)
        {
            var a = x + length - 2 * lag;
            var b = a + lag;
            for (var i = lag - 1; i >= 0; i--) b[lag + i] = b[i];
            var d = 1f / (lag + 1);
            for (var i = 0; i < lag; i++)
            {
                var w = (i + 1) * d;
                b[i] = b[i] * (1f - w) + a[i] * w;
            }
        }

        /// <summary>
        /// Compresses the 2·<paramref name="lag"/> samples at <paramref name="src"/> into <paramref name="lag"/> samples
        /// at <paramref name="dst"/>: the first period crossfading into the second, so the result starts as src[0] and
        /// ends as src[2·lag − 1] and joins both neighbours.
        /// </summary>
        public static void RemovePeriod(float* src, int lag, float* dst)
        {
            var d = 1f / (lag + 1);
            for (var i = 0; i < lag; i++)
            {
                var w = (i + 1) * d;
                dst[i] = src[i] * (1f - w) + src[lag + i] * w;
            }
        }
    }
}
