using System;
using System.Runtime.InteropServices;
using Parley.Audio.Kernels;

namespace Parley.Audio
{
    /// <summary>Checked entry points of <see cref="G711Kernel"/>: PCM16 ⇄ G.711 µ-law / A-law, one byte per sample.</summary>
    public static unsafe class G711
    {
        public static int MuLawEncode(ReadOnlySpan<short> pcm, Span<byte> codes)
        {
            AudioArgs.Fits(codes.Length, pcm.Length, nameof(codes));
            fixed (short* s = &MemoryMarshal.GetReference(pcm))
            fixed (byte* d = &MemoryMarshal.GetReference(codes))
                G711Kernel.MuLawEncode(s, pcm.Length, d);
            return pcm.Length;
        }

        public static int MuLawDecode(ReadOnlySpan<byte> codes, Span<short> pcm)
        {
            AudioArgs.Fits(pcm.Length, codes.Length, nameof(pcm));
            fixed (byte* s = &MemoryMarshal.GetReference(codes))
            fixed (short* d = &MemoryMarshal.GetReference(pcm))
                G711Kernel.MuLawDecode(s, codes.Length, d);
            return codes.Length;
        }

        public static int ALawEncode(ReadOnlySpan<short> pcm, Span<byte> codes)
        {
            AudioArgs.Fits(codes.Length, pcm.Length, nameof(codes));
            fixed (short* s = &MemoryMarshal.GetReference(pcm))
            fixed (byte* d = &MemoryMarshal.GetReference(codes))
                G711Kernel.ALawEncode(s, pcm.Length, d);
            return pcm.Length;
        }

        public static int ALawDecode(ReadOnlySpan<byte> codes, Span<short> pcm)
        {
            AudioArgs.Fits(pcm.Length, codes.Length, nameof(pcm));
            fixed (byte* s = &MemoryMarshal.GetReference(codes))
            fixed (short* d = &MemoryMarshal.GetReference(pcm))
                G711Kernel.ALawDecode(s, codes.Length, d);
            return codes.Length;
        }
    }
}
