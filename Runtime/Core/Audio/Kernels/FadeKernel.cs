namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Linear gain ramps over interleaved float buffers, in place: fade-outs on interruption and fade-ins
    /// after a gap, so cut audio does not click. A ramp may span many callbacks: frame n of the ramp
    /// (n = <c>position</c> + i) gets gain <c>from + (to − from)·n / length</c>, and frames at or past
    /// <c>length</c> get <c>to</c>. The ramp is half-open, so the next buffer continues exactly where this one ended.
    /// Samples are sanitized on the way (NaN → 0, ±Inf → ±1).
    /// </summary>
    public static unsafe class FadeKernel
    {
        public static void Linear(float* samples, int frames, int channels, float from, float to, int position, int length)
        {
            var step = length > 0 ? (to - from) / length : 0f;
            var s = samples;
            for (var i = 0; i < frames; i++)
            {
                var n = position + i;
                var gain = n >= length ? to : from + step * n;
                for (var c = 0; c < channels; c++) s[c] = Sample.Sanitize(s[c]) * gain;
                s += channels;
            }
        }
    }
}
