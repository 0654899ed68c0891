namespace Parley.Audio.Kernels
{
    /// <summary>
    /// RFC 4648 base64 between caller-owned unmanaged buffers (Burst-friendly: no allocation, no throw, no
    /// virtual calls). Providers send PCM16 as base64 inside JSON, so this runs for every audio chunk.
    /// Validation happens at the API boundary (<see cref="Pcm16Base64"/>); kernels report bad input with -1.
    /// </summary>
    public static unsafe class Base64Kernel
    {
        // Encoding alphabet and its inverse (-1: not a base64 digit). Constant initializers only: Burst bakes
        // static readonly primitive arrays into constant data but cannot run code in a static constructor
        // (the IL scan in Tools~/Parley.Tests/HostOnly enforces this). Indexed through the field directly,
        // never through a local or a pointer, which is the access pattern Burst supports.
        static readonly byte[] Alphabet =
        {
            (byte)'A', (byte)'B', (byte)'C', (byte)'D', (byte)'E', (byte)'F', (byte)'G', (byte)'H', (byte)'I', (byte)'J', (byte)'K', (byte)'L', (byte)'M', (byte)'N', (byte)'O', (byte)'P',
            (byte)'Q', (byte)'R', (byte)'S', (byte)'T', (byte)'U', (byte)'V', (byte)'W', (byte)'X', (byte)'Y', (byte)'Z', (byte)'a', (byte)'b', (byte)'c', (byte)'d', (byte)'e', (byte)'f',
            (byte)'g', (byte)'h', (byte)'i', (byte)'j', (byte)'k', (byte)'l', (byte)'m', (byte)'n', (byte)'o', (byte)'p', (byte)'q', (byte)'r', (byte)'s', (byte)'t', (byte)'u', (byte)'v',
            (byte)'w', (byte)'x', (byte)'y', (byte)'z', (byte)'0', (byte)'1', (byte)'2', (byte)'3', (byte)'4', (byte)'5', (byte)'6', (byte)'7', (byte)'8', (byte)'9', (byte)'+', (byte)'/',
        };

        static readonly sbyte[] Inverse =
        {
            -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
            -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
            -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1, -1, 63,
            52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
            -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
            15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, -1,
            -1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
            41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
            -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
            -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
            -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
            -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
            -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
            -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
            -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
            -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        };

        public static int EncodedLength(int byteCount) => (byteCount + 2) / 3 * 4;

        /// <summary>Upper bound of decoded bytes for <paramref name="charCount"/> base64 characters.</summary>
        public static int MaxDecodedLength(int charCount) => charCount / 4 * 3;

        /// <summary>Encodes <paramref name="count"/> bytes into <see cref="EncodedLength"/> ASCII bytes, padded with '='.</summary>
        public static int Encode(byte* src, int count, byte* dst)
        {
            var s = src;
            var d = dst;
            var whole = count / 3;
            for (var i = 0; i < whole; i++)
            {
                var v = (s[0] << 16) | (s[1] << 8) | s[2];
                // One 4-byte store instead of four (little-endian host, as Pcm16Base64 checks).
                *(uint*)d = (uint)(Alphabet[(v >> 18) & 63] | (Alphabet[(v >> 12) & 63] << 8)
                    | (Alphabet[(v >> 6) & 63] << 16) | (Alphabet[v & 63] << 24));
                s += 3;
                d += 4;
            }
            var rest = count - whole * 3;
            if (rest == 1)
            {
                var v = s[0] << 16;
                d[0] = Alphabet[(v >> 18) & 63];
                d[1] = Alphabet[(v >> 12) & 63];
                d[2] = (byte)'=';
                d[3] = (byte)'=';
                d += 4;
            }
            else if (rest == 2)
            {
                var v = (s[0] << 16) | (s[1] << 8);
                d[0] = Alphabet[(v >> 18) & 63];
                d[1] = Alphabet[(v >> 12) & 63];
                d[2] = Alphabet[(v >> 6) & 63];
                d[3] = (byte)'=';
                d += 4;
            }
            return (int)(d - dst);
        }

        /// <summary>
        /// Decodes padded base64 (length a multiple of 4). Returns the bytes written, or -1 when the input is
        /// not valid base64 (bad character, bad padding, wrong length). Writes at most <see cref="MaxDecodedLength"/>.
        /// </summary>
        public static int Decode(byte* src, int count, byte* dst)
        {
            if ((count & 3) != 0) return -1;
            if (count == 0) return 0;
            var s = src;
            var d = dst;
            var quads = count / 4;
            // All quads but the last cannot contain padding.
            for (var i = 0; i < quads - 1; i++)
            {
                int a = Inverse[s[0]], b = Inverse[s[1]], c = Inverse[s[2]], e = Inverse[s[3]];
                if ((a | b | c | e) < 0) return -1;
                var v = (a << 18) | (b << 12) | (c << 6) | e;
                d[0] = (byte)(v >> 16);
                d[1] = (byte)(v >> 8);
                d[2] = (byte)v;
                s += 4;
                d += 3;
            }
            int x0 = Inverse[s[0]], x1 = Inverse[s[1]];
            if ((x0 | x1) < 0) return -1;
            if (s[3] == (byte)'=')
            {
                if (s[2] == (byte)'=')
                {
                    d[0] = (byte)((x0 << 2) | (x1 >> 4));
                    d += 1;
                }
                else
                {
                    int x2 = Inverse[s[2]];
                    if (x2 < 0) return -1;
                    var v = (x0 << 18) | (x1 << 12) | (x2 << 6);
                    d[0] = (byte)(v >> 16);
                    d[1] = (byte)(v >> 8);
                    d += 2;
                }
            }
            else
            {
                int x2 = Inverse[s[2]], x3 = Inverse[s[3]];
                if ((x2 | x3) < 0) return -1;
                var v = (x0 << 18) | (x1 << 12) | (x2 << 6) | x3;
                d[0] = (byte)(v >> 16);
                d[1] = (byte)(v >> 8);
                d[2] = (byte)v;
                d += 3;
            }
            return (int)(d - dst);
        }
    }
}
