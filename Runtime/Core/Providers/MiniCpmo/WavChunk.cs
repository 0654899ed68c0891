using System;
using System.Buffers.Binary;

namespace Parley.Providers.MiniCpmo
{
    /// <summary>
    /// The small, complete PCM16 WAV files MiniCPM-o exchanges per chunk (the demo server joins input chunks
    /// with Python's wave module and sends each generation step as its own WAV).
    /// </summary>
    public static class WavChunk
    {
        public const int HeaderBytes = 44;

        /// <summary>Writes a mono PCM16 WAV of <paramref name="pcm"/> into <paramref name="dest"/>; returns its length.</summary>
        public static int Write(ReadOnlySpan<short> pcm, int sampleRate, Span<byte> dest)
        {
            var data = pcm.Length * 2;
            if (dest.Length < HeaderBytes + data) throw new ArgumentException("Destination too small for the WAV chunk.", nameof(dest));
            WriteTag(dest, 0, "RIFF");
            BinaryPrimitives.WriteInt32LittleEndian(dest.Slice(4), 36 + data);
            WriteTag(dest, 8, "WAVE");
            WriteTag(dest, 12, "fmt ");
            BinaryPrimitives.WriteInt32LittleEndian(dest.Slice(16), 16);
            BinaryPrimitives.WriteInt16LittleEndian(dest.Slice(20), 1);
            BinaryPrimitives.WriteInt16LittleEndian(dest.Slice(22), 1);
            BinaryPrimitives.WriteInt32LittleEndian(dest.Slice(24), sampleRate);
            BinaryPrimitives.WriteInt32LittleEndian(dest.Slice(28), sampleRate * 2);
            BinaryPrimitives.WriteInt16LittleEndian(dest.Slice(32), 2);
            BinaryPrimitives.WriteInt16LittleEndian(dest.Slice(34), 16);
            WriteTag(dest, 36, "data");
            BinaryPrimitives.WriteInt32LittleEndian(dest.Slice(40), data);
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(pcm).CopyTo(dest.Slice(HeaderBytes));
            return HeaderBytes + data;
        }

        /// <summary>
        /// Finds the PCM16 data of a WAV file, walking its chunks (servers may add LIST or fact chunks).
        /// </summary>
        /// <exception cref="FormatException">Not RIFF/WAVE, not PCM16, or cut short.</exception>
        public static void Parse(ReadOnlySpan<byte> wav, out int sampleRate, out int channels, out int dataOffset, out int dataBytes)
        {
            if (wav.Length < 12 || !IsTag(wav, 0, "RIFF") || !IsTag(wav, 8, "WAVE")) throw new FormatException("Not a RIFF/WAVE file.");
            sampleRate = 0;
            channels = 0;
            var bits = 0;
            var pos = 12;
            while (pos + 8 <= wav.Length)
            {
                var size = BinaryPrimitives.ReadInt32LittleEndian(wav.Slice(pos + 4));
                if (size < 0) throw new FormatException("Negative WAV chunk size.");
                if (IsTag(wav, pos, "fmt "))
                {
                    if (size < 16 || pos + 8 + 16 > wav.Length) throw new FormatException("WAV fmt chunk cut short.");
                    var format = BinaryPrimitives.ReadInt16LittleEndian(wav.Slice(pos + 8));
                    channels = BinaryPrimitives.ReadInt16LittleEndian(wav.Slice(pos + 10));
                    sampleRate = BinaryPrimitives.ReadInt32LittleEndian(wav.Slice(pos + 12));
                    bits = BinaryPrimitives.ReadInt16LittleEndian(wav.Slice(pos + 22));
                    if (format != 1 || bits != 16) throw new FormatException("WAV is not PCM16 (format " + format + ", " + bits + " bits).");
                }
                else if (IsTag(wav, pos, "data"))
                {
                    if (sampleRate == 0) throw new FormatException("WAV data before fmt.");
                    dataOffset = pos + 8;
                    // Streaming writers put 0 or 0xFFFFFFFF in the size: take what is there (compared without
                    // adding, so a size near 2^31 cannot overflow past the end).
                    var remaining = wav.Length - dataOffset;
                    dataBytes = size == 0 || size > remaining ? remaining : size;
                    dataBytes &= ~1;
                    return;
                }
                var next = (long)pos + 8 + size + (size & 1);
                if (next > wav.Length) break;
                pos = (int)next;
            }
            throw new FormatException("WAV has no data chunk.");
        }

        static void WriteTag(Span<byte> d, int at, string tag)
        {
            for (var i = 0; i < 4; i++) d[at + i] = (byte)tag[i];
        }

        static bool IsTag(ReadOnlySpan<byte> d, int at, string tag)
        {
            for (var i = 0; i < 4; i++) if (d[at + i] != (byte)tag[i]) return false;
            return true;
        }
    }
}
