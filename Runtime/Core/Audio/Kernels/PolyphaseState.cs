namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Blittable state of one polyphase resampling stream (rate ratio Up/Down, reduced by gcd).
    /// Output n sits at input position n·Down/Up; only the fractional part (<see cref="Phase"/>/Up) and the
    /// whole-sample lead over the next unread input frame (<see cref="Lead"/>) are kept, so counters never overflow.
    /// </summary>
    public struct PolyphaseState
    {
        public int Up;
        public int Down;
        /// <summary>Coefficients per phase: the filter span in input frames.</summary>
        public int Taps;
        public int Channels;
        /// <summary>Input frames copied into the line per pass (bounds the line buffer).</summary>
        public int BlockFrames;
        /// <summary>Floats per channel in the line: Taps − 1 frames of history plus one block.</summary>
        public int Stride;
        /// <summary>Fractional position of the next output, in 1/Up input frames.</summary>
        public int Phase;
        /// <summary>Input frames between the next unread input frame and the newest frame the next output needs.</summary>
        public int Lead;
        /// <summary>NaN/±Inf input samples replaced by 0 since the last reset.</summary>
        public int NonFinite;
    }
}
