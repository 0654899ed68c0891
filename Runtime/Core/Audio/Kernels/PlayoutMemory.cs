namespace Parley.Audio.Kernels
{
    /// <summary>Pointers to every buffer a <see cref="PlayoutKernel"/> call touches (valid for that call only).</summary>
    public unsafe struct PlayoutMemory
    {
        public PlayoutState* State;
        public SpscRingState* Ring;
        public float* Samples;
        /// <summary>Ring of item boundaries: item handle and the ring <c>Written</c> count where its run starts.</summary>
        public SpscRingState* Segments;
        public int* SegmentItem;
        public int* SegmentStart;
        /// <summary>Samples rendered per item, indexed by <c>handle &amp; ItemMask</c>.</summary>
        public long* Played;
        /// <summary>Raised-cosine gain, <c>FadeLength + 1</c> entries from 0 to 1.</summary>
        public float* FadeGain;
        /// <summary>Time-stretch staging, <c>StretchCapacity</c> samples (unused when that is 0).</summary>
        public float* Stretch;
    }
}
