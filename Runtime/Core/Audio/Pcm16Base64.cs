using System;
using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using Parley.Audio.Kernels;

namespace Parley.Audio
{
    /// <summary>
    /// PCM16 little-endian ⇄ base64, straight between caller-owned buffers (no string, no intermediate array).
    /// Checks sizes and reports bad input with typed exceptions; encodes with the framework's (vectorised on
    /// CoreCLR) encoder and decodes by <see cref="Base64Kernel"/>'s rules (see DecodeCore). Burst jobs call the kernel.
    /// </summary>
    public static unsafe class Pcm16Base64
    {
        static Pcm16Base64()
        {
            // PCM16 on the wire is little-endian; reinterpreting short as bytes is only correct on LE hosts
            // (every platform Unity ships to).
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Parley requires a little-endian platform.");
        }

        /// <summary>ASCII bytes needed to encode <paramref name="samples"/> PCM16 samples.</summary>
        public static int EncodedLength(int samples) => Base64Kernel.EncodedLength(samples * 2);

        /// <summary>Encodes samples as base64 ASCII into <paramref name="utf8"/>; returns bytes written.</summary>
        public static int Encode(ReadOnlySpan<short> pcm, Span<byte> utf8) => EncodeBytes(MemoryMarshal.AsBytes(pcm), utf8);

        /// <summary>Encodes raw bytes (G.711 or PCM16 already as bytes) as base64 ASCII; returns bytes written.</summary>
        public static int EncodeBytes(ReadOnlySpan<byte> bytes, Span<byte> utf8)
        {
            var needed = Base64Kernel.EncodedLength(bytes.Length);
            if (utf8.Length < needed)
                throw new ArgumentException("Destination holds " + utf8.Length + " bytes; " + needed + " needed.", nameof(utf8));
            // The framework's encoder is vectorised on CoreCLR and produces the same bytes as Base64Kernel.Encode
            // (which stays for Burst jobs, where the framework cannot be called).
            Base64.EncodeToUtf8(bytes, utf8, out _, out var written);
            return written;
        }

        /// <summary>Samples that decoding <paramref name="base64Length"/> characters can produce at most.</summary>
        public static int MaxDecodedSamples(int base64Length) => Base64Kernel.MaxDecodedLength(base64Length) / 2;

        /// <summary>
        /// Decodes base64 ASCII into PCM16 samples; returns the sample count.
        /// </summary>
        /// <exception cref="FormatException">Not valid base64, or an odd number of bytes (not whole PCM16 samples).</exception>
        public static int Decode(ReadOnlySpan<byte> utf8, Span<short> pcm)
        {
            var max = DecodedLength(utf8);
            if (pcm.Length * 2 < max)
                throw new ArgumentException("Destination holds " + pcm.Length + " samples; up to " + ((max + 1) / 2) + " needed.", nameof(pcm));
            var written = DecodeCore(utf8, MemoryMarshal.AsBytes(pcm), max);
            if (written < 0) throw new FormatException("Audio payload is not valid base64.");
            if ((written & 1) != 0) throw new FormatException("Audio payload has an odd byte count (" + written + "); PCM16 needs whole samples.");
            return written / 2;
        }

        /// <summary>Decodes base64 ASCII into raw bytes; returns the byte count.</summary>
        /// <exception cref="FormatException">Not valid base64.</exception>
        public static int DecodeBytes(ReadOnlySpan<byte> utf8, Span<byte> bytes)
        {
            var max = DecodedLength(utf8);
            if (bytes.Length < max)
                throw new ArgumentException("Destination holds " + bytes.Length + " bytes; up to " + max + " needed.", nameof(bytes));
            var written = DecodeCore(utf8, bytes, max);
            if (written < 0) throw new FormatException("Payload is not valid base64.");
            return written;
        }

        /// <summary>
        /// Bytes written, or -1 for invalid base64, with <see cref="Base64Kernel.Decode"/>'s rules on every runtime.
        /// The framework's decoder (vectorised on CoreCLR, ~30× the scalar kernel on a 4 KB delta) answers first;
        /// it skips whitespace on .NET 8+ (then it writes fewer than <paramref name="expected"/> bytes) and rejects
        /// non-zero padding bits, so those cases go to the kernel, which decides.
        /// </summary>
        static int DecodeCore(ReadOnlySpan<byte> utf8, Span<byte> destination, int expected)
        {
            if ((utf8.Length & 3) == 0
                && Base64.DecodeFromUtf8(utf8, destination, out _, out var written) == OperationStatus.Done
                && written == expected)
                return written;
            fixed (byte* s = &MemoryMarshal.GetReference(utf8))
            fixed (byte* d = &MemoryMarshal.GetReference(destination))
                return Base64Kernel.Decode(s, utf8.Length, d);
        }

        /// <summary>Bytes that <paramref name="utf8"/> decodes to if it is valid (padding taken off).</summary>
        public static int DecodedLength(ReadOnlySpan<byte> utf8)
        {
            var n = Base64Kernel.MaxDecodedLength(utf8.Length);
            if (utf8.Length >= 4 && (utf8.Length & 3) == 0)
            {
                if (utf8[utf8.Length - 1] == (byte)'=') n--;
                if (utf8[utf8.Length - 2] == (byte)'=') n--;
            }
            return n;
        }

        /// <summary>The samples as bytes (little-endian), without copying.</summary>
        public static ReadOnlySpan<byte> AsBytes(ReadOnlySpan<short> pcm) => MemoryMarshal.AsBytes(pcm);
    }
}
