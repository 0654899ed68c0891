using System.Threading;

namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Lock-free single-producer/single-consumer ring over caller-owned memory (Burst-friendly: no allocation,
    /// no throw, no virtual calls). Sizes are checked at the API boundary (<see cref="SpscRingBuffer"/>,
    /// <see cref="PlayoutBuffer"/>); here counts are clamped to what fits.
    /// </summary>
    /// <remarks>
    /// Memory ordering. The producer copies samples into free slots and only then publishes them with a
    /// release store of <c>Written</c> (<see cref="Volatile.Write(ref int, int)"/>); the consumer loads
    /// <c>Written</c> with acquire (<see cref="Volatile.Read(ref int)"/>) before touching those slots, so it can
    /// never see a count ahead of the data it covers. Symmetrically the consumer copies samples out and then
    /// releases <c>Read</c>; the producer acquires <c>Read</c> before reusing slots, so a slot is never
    /// overwritten while it is still being read. Each counter has exactly one writer, so no read-modify-write
    /// (Interlocked) is needed; its owner may load it plainly. On x86 these are plain moves that also stop
    /// compiler reordering; on ARM they emit the barriers the weaker hardware model needs.
    /// </remarks>
    public static unsafe class SpscRingKernel
    {
        public static void Init(SpscRingState* s, int capacity)
        {
            s->Capacity = capacity;
            s->Mask = capacity - 1;
            s->Written = 0;
            s->Read = 0;
        }

        /// <summary>Samples the consumer may read now. Safe from any thread (a snapshot).</summary>
        public static int Readable(SpscRingState* s) => unchecked(Volatile.Read(ref s->Written) - Volatile.Read(ref s->Read));

        /// <summary>Free slots the producer may fill now. Safe from any thread (a snapshot).</summary>
        public static int Writable(SpscRingState* s) => s->Capacity - unchecked(Volatile.Read(ref s->Written) - Volatile.Read(ref s->Read));

        /// <summary>Producer: copies up to <paramref name="count"/> samples in; returns how many fitted.</summary>
        public static int Write(SpscRingState* s, float* data, float* src, int count)
        {
            var w = s->Written;
            var n = Fit(s->Capacity - unchecked(w - Volatile.Read(ref s->Read)), count);
            if (n == 0) return 0;
            var start = w & s->Mask;
            var first = Fit(s->Capacity - start, n);
            Copy(src, data + start, first);
            Copy(src + first, data, n - first);
            Volatile.Write(ref s->Written, unchecked(w + n));
            return n;
        }

        /// <summary>Producer: converts up to <paramref name="count"/> PCM16 samples to float in place in the ring.</summary>
        public static int WritePcm16(SpscRingState* s, float* data, short* src, int count)
        {
            var w = s->Written;
            var n = Fit(s->Capacity - unchecked(w - Volatile.Read(ref s->Read)), count);
            if (n == 0) return 0;
            var start = w & s->Mask;
            var first = Fit(s->Capacity - start, n);
            FromPcm16(src, data + start, first);
            FromPcm16(src + first, data, n - first);
            Volatile.Write(ref s->Written, unchecked(w + n));
            return n;
        }

        /// <summary>Consumer: copies up to <paramref name="count"/> samples out; returns how many were there.</summary>
        public static int Read(SpscRingState* s, float* data, float* dst, int count)
        {
            var r = s->Read;
            var n = Fit(unchecked(Volatile.Read(ref s->Written) - r), count);
            if (n == 0) return 0;
            var start = r & s->Mask;
            var first = Fit(s->Capacity - start, n);
            Copy(data + start, dst, first);
            Copy(data, dst + first, n - first);
            Volatile.Write(ref s->Read, unchecked(r + n));
            return n;
        }

        /// <summary>Consumer: discards up to <paramref name="count"/> samples; returns how many were dropped.</summary>
        public static int Skip(SpscRingState* s, int count)
        {
            var r = s->Read;
            var n = Fit(unchecked(Volatile.Read(ref s->Written) - r), count);
            if (n > 0) Volatile.Write(ref s->Read, unchecked(r + n));
            return n;
        }

        static int Fit(int room, int count)
        {
            if (count < 0) count = 0;
            return count < room ? count : (room < 0 ? 0 : room);
        }

        // Plain loops: Burst vectorises them; the JIT copies 20 ms blocks in well under a microsecond.
        static void Copy(float* src, float* dst, int count)
        {
            for (var i = 0; i < count; i++) dst[i] = src[i];
        }

        static void FromPcm16(short* src, float* dst, int count)
        {
            const float scale = 1f / 32768f;
            for (var i = 0; i < count; i++) dst[i] = src[i] * scale;
        }
    }
}
