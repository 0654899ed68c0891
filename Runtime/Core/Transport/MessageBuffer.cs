using System;

namespace Parley.Transport
{
    /// <summary>
    /// A reusable, growable byte buffer that receives whole messages. It grows geometrically up to its limit
    /// and is then reused, so steady-state receiving allocates nothing.
    /// </summary>
    public sealed class MessageBuffer
    {
        byte[] _data;
        public int Count { get; private set; }
        public readonly int Limit;

        public MessageBuffer(int initialCapacity = 64 * 1024, int limit = 16 * 1024 * 1024)
        {
            if (initialCapacity <= 0 || limit < initialCapacity) throw new ArgumentOutOfRangeException(nameof(initialCapacity));
            _data = new byte[initialCapacity];
            Limit = limit;
        }

        public ArraySegment<byte> Written => new ArraySegment<byte>(_data, 0, Count);
        public ReadOnlySpan<byte> Span => new ReadOnlySpan<byte>(_data, 0, Count);
        public ReadOnlyMemory<byte> Memory => new ReadOnlyMemory<byte>(_data, 0, Count);

        public void Reset() => Count = 0;

        /// <summary>Space to write at least <paramref name="sizeHint"/> more bytes; false when that would pass the limit.</summary>
        public bool TryGetFreeSpace(int sizeHint, out ArraySegment<byte> free)
        {
            if (sizeHint < 1) sizeHint = 1;
            var needed = (long)Count + sizeHint;
            if (needed > Limit) { free = default; return false; }
            if (needed > _data.Length)
            {
                var grown = Math.Min(Limit, Math.Max(needed, (long)_data.Length * 2));
                Array.Resize(ref _data, (int)grown);
            }
            free = new ArraySegment<byte>(_data, Count, _data.Length - Count);
            return true;
        }

        public void Advance(int count)
        {
            if (count < 0 || Count + count > _data.Length) throw new ArgumentOutOfRangeException(nameof(count));
            Count += count;
        }

        public void Write(ReadOnlySpan<byte> bytes)
        {
            if (!TryGetFreeSpace(bytes.Length, out var free))
                throw new TransportException(TransportErrorKind.MessageTooLarge, "Message exceeds " + Limit + " bytes.");
            bytes.CopyTo(free.AsSpan());
            Count += bytes.Length;
        }
    }
}
