using System;
using System.Buffers.Binary;

namespace Parley.Audio
{
    /// <summary>
    /// The echo path an <see cref="EchoCanceller"/> learnt (its converged filter as taps, and the alignment it held them
    /// at), so the next conversation on the same speakers and microphone starts warm: a canceller handed one
    /// (<see cref="EchoCanceller.StartFrom"/>) tries it when the far end first sounds and keeps it only if it cancels
    /// 10 dB at once, so a room from other devices costs nothing. Immutable; <see cref="ToBytes"/> and
    /// <see cref="FromBytes"/> store it (about 20 KB at 24 kHz with a 200 ms filter). It holds no audio.
    /// </summary>
    public sealed class EchoRoom
    {
        const uint Magic = 0x4D524550; // "PERM" little-endian: Parley Echo Room Memory
        const int Version = 1;
        const int HeaderBytes = 28;

        readonly float[] m_Taps;

        internal EchoRoom(int sampleRate, int blockSize, int delayBlocks, float[] taps)
        {
            SampleRate = sampleRate;
            BlockSize = blockSize;
            DelayBlocks = delayBlocks;
            m_Taps = taps;
        }

        /// <summary>The canceller's rate; a room is only tried by a canceller at the same rate.</summary>
        public int SampleRate { get; }
        /// <summary>The canceller's processing block (samples).</summary>
        public int BlockSize { get; }
        /// <summary>The alignment the filter was held at, in blocks of the reference.</summary>
        internal int DelayBlocks { get; }
        /// <summary>Filter taps after the alignment (partition × block + tap).</summary>
        internal ReadOnlySpan<float> Taps => m_Taps;
        /// <summary>Echo tail the room covers after its alignment, in ms.</summary>
        public double FilterMs => 1000.0 * m_Taps.Length / SampleRate;
        /// <summary>Delay of the room's strongest tap (the direct path, as a rule) in ms.</summary>
        public double PathDelayMs
        {
            get
            {
                var peak = 0;
                for (var i = 1; i < m_Taps.Length; i++)
                    if (Math.Abs(m_Taps[i]) > Math.Abs(m_Taps[peak])) peak = i;
                return 1000.0 * ((long)DelayBlocks * BlockSize + peak) / SampleRate;
            }
        }

        /// <summary>The room as bytes (little-endian, versioned and checksummed) for <see cref="FromBytes"/>.</summary>
        public byte[] ToBytes()
        {
            var bytes = new byte[HeaderBytes + 4 * m_Taps.Length + 4];
            var span = bytes.AsSpan();
            BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
            BinaryPrimitives.WriteInt32LittleEndian(span.Slice(4), Version);
            BinaryPrimitives.WriteInt32LittleEndian(span.Slice(8), SampleRate);
            BinaryPrimitives.WriteInt32LittleEndian(span.Slice(12), BlockSize);
            BinaryPrimitives.WriteInt32LittleEndian(span.Slice(16), DelayBlocks);
            BinaryPrimitives.WriteInt32LittleEndian(span.Slice(20), m_Taps.Length);
            BinaryPrimitives.WriteInt32LittleEndian(span.Slice(24), 0);
            for (var i = 0; i < m_Taps.Length; i++)
                BinaryPrimitives.WriteInt32LittleEndian(span.Slice(HeaderBytes + 4 * i), BitConverter.SingleToInt32Bits(m_Taps[i]));
            BinaryPrimitives.WriteUInt32LittleEndian(span.Slice(bytes.Length - 4), Checksum(span.Slice(0, bytes.Length - 4)));
            return bytes;
        }

        /// <summary>A room stored by <see cref="ToBytes"/>.</summary>
        /// <exception cref="FormatException">Not a stored room: wrong header or version, truncated, a checksum that does
        /// not match, rates or sizes out of range, or taps that are not finite.</exception>
        public static EchoRoom FromBytes(ReadOnlySpan<byte> data)
        {
            if (data.Length < HeaderBytes + 4 || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic)
                throw new FormatException("Not a stored echo room (no header).");
            var version = BinaryPrimitives.ReadInt32LittleEndian(data.Slice(4));
            if (version != Version) throw new FormatException("Echo room version " + version + " is not supported (expected " + Version + ").");
            int rate = BinaryPrimitives.ReadInt32LittleEndian(data.Slice(8)),
                block = BinaryPrimitives.ReadInt32LittleEndian(data.Slice(12)),
                delay = BinaryPrimitives.ReadInt32LittleEndian(data.Slice(16)),
                count = BinaryPrimitives.ReadInt32LittleEndian(data.Slice(20));
            if (rate < 8000 || rate > 48000 || block < 64 || block > 512 || delay < 0 || delay > 1000 || count <= 0 || count > rate)
                throw new FormatException("Stored echo room has sizes out of range.");
            if (data.Length != HeaderBytes + 4 * count + 4)
                throw new FormatException("Stored echo room is " + data.Length + " bytes, expected " + (HeaderBytes + 4 * count + 4) + ".");
            if (BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(data.Length - 4)) != Checksum(data.Slice(0, data.Length - 4)))
                throw new FormatException("Stored echo room is damaged (checksum).");
            var taps = new float[count];
            for (var i = 0; i < count; i++)
            {
                var v = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadInt32LittleEndian(data.Slice(HeaderBytes + 4 * i)));
                if (v - v != 0f) throw new FormatException("Stored echo room holds a tap that is not finite.");
                taps[i] = v;
            }
            return new EchoRoom(rate, block, delay, taps);
        }

        /// <summary>FNV-1a over the bytes: catches a truncated or damaged file, not tampering (the room is not a secret).</summary>
        static uint Checksum(ReadOnlySpan<byte> data)
        {
            var h = 2166136261u;
            for (var i = 0; i < data.Length; i++) h = (h ^ data[i]) * 16777619u;
            return h;
        }
    }
}
