using System;
using System.Runtime.InteropServices;
using Parley.Audio.Kernels;

namespace Parley.Audio
{
    /// <summary>
    /// Lock-free single-producer/single-consumer ring of float samples. One thread writes, one other thread
    /// reads; neither ever blocks, locks or allocates after construction. Counts are snapshots safe from any
    /// thread. The copy and index logic (and the memory-ordering argument) live in <see cref="SpscRingKernel"/>.
    /// </summary>
    public sealed unsafe class SpscRingBuffer
    {
        /// <summary>Largest capacity: keeps the free-running 32-bit counters' difference exact.</summary>
        public const int MaxCapacity = 1 << 30;

        readonly float[] _data;
        SpscRingState _state;

        /// <param name="capacity">Slots, a power of two from 2 to <see cref="MaxCapacity"/>.</param>
        public SpscRingBuffer(int capacity)
        {
            ValidateCapacity(capacity, nameof(capacity));
            _data = new float[capacity];
            fixed (SpscRingState* s = &_state) SpscRingKernel.Init(s, capacity);
        }

        internal static void ValidateCapacity(int capacity, string name)
        {
            if (capacity < 2 || capacity > MaxCapacity)
                throw new ArgumentOutOfRangeException(name, capacity, "Capacity must be between 2 and " + MaxCapacity + ".");
            if ((capacity & (capacity - 1)) != 0)
                throw new ArgumentException("Capacity must be a power of two; " + capacity + " is not.", name);
        }

        public int Capacity => _data.Length;

        /// <summary>Samples ready to read (exact on the consumer thread, a snapshot elsewhere).</summary>
        public int ReadableCount { get { fixed (SpscRingState* s = &_state) return SpscRingKernel.Readable(s); } }

        /// <summary>Free slots (exact on the producer thread, a snapshot elsewhere).</summary>
        public int WritableCount { get { fixed (SpscRingState* s = &_state) return SpscRingKernel.Writable(s); } }

        /// <summary>Producer: writes as many samples as fit (wrap-around handled); returns how many.</summary>
        /// <exception cref="ArgumentException">More samples than the ring can ever hold (a sizing bug).</exception>
        public int Write(ReadOnlySpan<float> samples)
        {
            if (samples.Length > Capacity)
                throw new ArgumentException("Writing " + samples.Length + " samples into a ring of " + Capacity + " can never complete.", nameof(samples));
            fixed (SpscRingState* s = &_state)
            fixed (float* d = _data)
            fixed (float* src = &MemoryMarshal.GetReference(samples))
                return SpscRingKernel.Write(s, d, src, samples.Length);
        }

        /// <inheritdoc cref="Write(ReadOnlySpan{float})"/>
        public int Write(float[] samples, int offset, int count) => Write(Slice(samples, offset, count));

        /// <summary>Consumer: reads up to <paramref name="destination"/>.Length samples; returns how many were read.</summary>
        /// <exception cref="ArgumentException">A request larger than the ring can ever hold (a sizing bug).</exception>
        public int Read(Span<float> destination)
        {
            if (destination.Length > Capacity)
                throw new ArgumentException("Reading " + destination.Length + " samples from a ring of " + Capacity + " can never complete.", nameof(destination));
            fixed (SpscRingState* s = &_state)
            fixed (float* d = _data)
            fixed (float* dst = &MemoryMarshal.GetReference(destination))
                return SpscRingKernel.Read(s, d, dst, destination.Length);
        }

        /// <inheritdoc cref="Read(Span{float})"/>
        public int Read(float[] destination, int offset, int count) => Read(Slice(destination, offset, count));

        /// <summary>Checks an (array, offset, count) triple and returns it as a span.</summary>
        internal static Span<T> Slice<T>(T[] array, int offset, int count)
        {
            if (array == null) throw new ArgumentNullException(nameof(array));
            if (offset < 0 || offset > array.Length)
                throw new ArgumentOutOfRangeException(nameof(offset), offset, "Offset must be within the array (length " + array.Length + ").");
            if (count < 0 || count > array.Length - offset)
                throw new ArgumentOutOfRangeException(nameof(count), count, "Count must fit in the array after the offset (" + (array.Length - offset) + " left).");
            return new Span<T>(array, offset, count);
        }
    }
}
