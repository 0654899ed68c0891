using System.Runtime.InteropServices;

namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Indices of a single-producer/single-consumer ring (blittable, so a Burst job can hold a pointer to it).
    /// <see cref="Written"/> and <see cref="Read"/> are free-running counters that wrap modulo 2^32; only their
    /// difference is used, which stays exact because the capacity is a power of two below 2^31. They are 32-bit
    /// so every load and store is atomic on every platform Unity targets (64-bit fields tear on 32-bit ARM).
    /// Each counter sits on its own 64-byte cache line so the two threads do not false-share.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 192)]
    public struct SpscRingState
    {
        [FieldOffset(0)] public int Capacity;
        [FieldOffset(4)] public int Mask;
        /// <summary>Samples ever written; stored only by the producer (release), loaded by the consumer (acquire).</summary>
        [FieldOffset(64)] public int Written;
        /// <summary>Samples ever consumed; stored only by the consumer (release), loaded by the producer (acquire).</summary>
        [FieldOffset(128)] public int Read;
    }
}
