namespace Parley.Audio
{
    /// <summary>
    /// Filter presets of <see cref="Resampler"/>. Edges are fractions of the lower of the two rates (fs_low);
    /// group delay is in milliseconds when fs_low is 16 kHz (it scales with 16000 / fs_low).
    /// </summary>
    public enum ResamplerQuality
    {
        /// <summary>Pass to 0.45·fs_low, stop from 0.55·fs_low at ≥ 60 dB; ~36 taps of fs_low; ≈ 1.1 ms at 16 kHz.</summary>
        Fast = 0,

        /// <summary>
        /// Pass to 0.45·fs_low, stop from 0.55·fs_low at ≥ 90 dB; ~62 taps of fs_low; ≈ 1.9 ms at 16 kHz, 3.9 ms at
        /// 8 kHz (no linear-phase filter with these edges is under 2 ms at 8 kHz: Documentation~/audio-core.md).
        /// </summary>
        Default = 1,

        /// <summary>Pass to 0.45·fs_low, stop from 0.50·fs_low (nothing folds back) at ≥ 110 dB; ≈ 4.5 ms at 16 kHz.</summary>
        High = 2,
    }
}
