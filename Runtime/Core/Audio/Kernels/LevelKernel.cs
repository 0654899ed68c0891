namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Signal level of a float buffer (meters, VAD gates, tests). dBFS is relative to a full-scale square
    /// wave (|x| = 1), so a full-scale sine reads -3.01 dB RMS and 0 dB peak. Silence and empty buffers
    /// read <see cref="float.NegativeInfinity"/>. NaN counts as 0, ±Inf as full scale.
    /// </summary>
    public static unsafe class LevelKernel
    {
        public static float Peak(float* src, int count)
        {
            var peak = 0f;
            for (var i = 0; i < count; i++)
            {
                var a = Sample.Sanitize(src[i]);
                if (a < 0f) a = -a;
                if (a > peak) peak = a;
            }
            return peak;
        }

        /// <summary>Root mean square, accumulated in double so long buffers do not lose the quiet tail.</summary>
        public static float Rms(float* src, int count)
        {
            if (count <= 0) return 0f;
            double sum = 0;
            for (var i = 0; i < count; i++)
            {
                double v = Sample.Sanitize(src[i]);
                sum += v * v;
            }
            return (float)System.Math.Sqrt(sum / count);
        }

        /// <summary>20·log10(|linear|); -∞ for 0.</summary>
        public static float ToDbfs(float linear)
        {
            if (linear < 0f) linear = -linear;
            if (!(linear > 0f)) return float.NegativeInfinity;
            return 20f * (float)System.Math.Log10(linear);
        }

        public static float PeakDbfs(float* src, int count) => ToDbfs(Peak(src, count));

        public static float RmsDbfs(float* src, int count) => ToDbfs(Rms(src, count));
    }
}
