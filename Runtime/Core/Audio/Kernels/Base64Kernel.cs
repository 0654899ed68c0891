namespace Parley.Audio.Kernels
{
    /// <summary>
    /// RFC 4648 base64 between caller-owned unmanaged buffers (Burst-friendly: no allocation, no throw, no
    /// virtual calls). Providers send PCM16 as base64 inside JSON, so this runs for every audio chunk.
    /// Validation happens at the API boundary (<see cref="Pcm16Base64"/>); kernels report bad input with -1.
    /// </summary>
    public static unsafe class Base64Kernel
    {
        // Encoding alphabet and its inverse; -1 marks bytes that are not base64 digits.
        static readonly byte[] Alphabet = System.Text.Encoding.ASCII.GetBytes("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
        static readonly sbyte[] Inverse = BuildInverse();

        static sbyte[] BuildInverse()
        {
            var t = new sbyte[256];
            for (var i = 0; i < 256; i++) t[i] = -1;
            for (var i = 0; i < 64; i++) t[Alphabet[i]] = (sbyte)i;
            return t;
        }

        public static int EncodedLength(int byteCount) => (byteCount + 2) / 3 * 4;

        /// <summary>Upper bound of decoded bytes for <paramref name="charCount"/> base64 characters.</summary>
        public static int MaxDecodedLength(int charCount) => charCount / 4 * 3;

        /// <summary>Encodes <paramref name="count"/> bytes into <see cref="EncodedLength"/> ASCII bytes, padded with '='.</summary>
        public static int Encode(byte* src, int count, byte* dst)
        {
            fixed (byte* a = Alphabet)
            {
                var s = src;
                var d = dst;
                var whole = count / 3;
                for (var i = 0; i < whole; i++)
                {
                    var v = (s[0] << 16) | (s[1] << 8) | s[2];
                    d[0] = a[(v >> 18) & 63];
                    d[1] = a[(v >> 12) & 63];
                    d[2] = a[(v >> 6) & 63];
                    d[3] = a[v & 63];
                    s += 3;
                    d += 4;
                }
                var rest = count - whole * 3;
                if (rest == 1)
                {
                    var v = s[0] << 16;
                    d[0] = a[(v >> 18) & 63];
                    d[1] = a[(v >> 12) & 63];
                    d[2] = (byte)'=';
                    d[3] = (byte)'=';
                    d += 4;
                }
                else if (rest == 2)
                {
                    var v = (s[0] << 16) | (s[1] << 8);
                    d[0] = a[(v >> 18) & 63];
                    d[1] = a[(v >> 12) & 63];
                    d[2] = a[(v >> 6) & 63];
                    d[3] = (byte)'=';
                    d += 4;
                }
                return (int)(d - dst);
            }
        }

        /// <summary>
        /// Decodes padded base64 (length a multiple of 4). Returns the bytes written, or -1 when the input is
        /// not valid base64 (bad character, bad padding, wrong length). Writes at most <see cref="MaxDecodedLength"/>.
        /// </summary>
        public static int Decode(byte* src, int count, byte* dst)
        {
            if ((count & 3) != 0) return -1;
            if (count == 0) return 0;
            fixed (sbyte* inv = Inverse)
            {
                var s = src;
                var d = dst;
                var quads = count / 4;
                // All quads but the last cannot contain padding.
                for (var i = 0; i < quads - 1; i++)
                {
                    int a = inv[s[0]], b = inv[s[1]], c = inv[s[2]], e = inv[s[3]];
                    if ((a | b | c | e) < 0) return -1;
                    var v = (a << 18) | (b << 12) | (c << 6) | e;
                    d[0] = (byte)(v >> 16);
                    d[1] = (byte)(v >> 8);
                    d[2] = (byte)v;
                    s += 4;
                    d += 3;
                }
                int x0 = inv[s[0]], x1 = inv[s[1]];
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
                        int x2 = inv[s[2]];
                        if (x2 < 0) return -1;
                        var v = (x0 << 18) | (x1 << 12) | (x2 << 6);
                        d[0] = (byte)(v >> 16);
                        d[1] = (byte)(v >> 8);
                        d += 2;
                    }
                }
                else
                {
                    int x2 = inv[s[2]], x3 = inv[s[3]];
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
}
