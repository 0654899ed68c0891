namespace Parley.Audio.Kernels
{
    /// <summary>
    /// The one rule every kernel applies to non-finite float samples, so a broken source (a NaN from a
    /// filter, an Inf from a bad gain) degrades into silence or a clipped peak instead of an exception on
    /// the audio thread: NaN → 0, ±Inf → ±1 (full scale), everything else unchanged.
    /// </summary>
    public static class Sample
    {
        /// <summary>NaN → 0, ±Inf → ±1; finite values pass through unchanged (not clipped).</summary>
        public static float Sanitize(float x)
        {
            // x - x is 0 for finite x and NaN for NaN/±Inf, so one compare separates the rare case.
            if (x - x == 0f) return x;
            if (x > 0f) return 1f;
            if (x < 0f) return -1f;
            return 0f; // NaN fails both comparisons
        }
    }
}
