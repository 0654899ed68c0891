using System;
using Parley.Audio.Kernels;

namespace Parley.Audio
{
    /// <summary>Checked entry points of <see cref="G711Kernel"/>: PCM16 ⇄ G.711 µ-law / A-law, one byte per sample.</summary>
    public static unsafe class G711
    {
        public static int MuLawEncode(ReadOnlySpan<short> pcm, Span<byte> codes)
        {
            AudioArgs.Fits(codes.Length, pcm.Length, nameof(codes));
            fixed (short* s = pcm)
            fixed (byte* d = codes)
                G711Kernel.MuLawEncode(s, pcm.Length, d);
            return pcm.Length;
        }

        public static int MuLawDecode(ReadOnlySpan<byte> codes, Span<short> pcm)
        {
            AudioArgs.Fits(pcm.Length, codes.Length, nameof(pcm));
            fixed (byte* s = codes)
            fixed (short* d = pcm)
                G711Kernel.MuLawDecode(s, codes.Length, d);
            return codes.Length;
        }

        public static int ALawEncode(ReadOnlySpan<short> pcm, Span<byte> codes)
        {
            AudioArgs.Fits(codes.Length, pcm.Length, nameof(codes));
            fixed (short* s = pcm)
            fixed (byte* d = codes)
                G711Kernel.ALawEncode(s, pcm.Length, d);
            return pcm.Length;
        }

        public static int ALawDecode(ReadOnlySpan<byte> codes, Span<short> pcm)
        {
            AudioArgs.Fits(pcm.Length, codes.Length, nameof(pcm));
            fixed (byte* s = codes)
            fixed (short* d = pcm)
                G711Kernel.ALawDecode(s, codes.Length, d);
            return codes.Length;
        }
    }
}
