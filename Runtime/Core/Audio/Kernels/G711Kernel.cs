namespace Parley.Audio.Kernels
{
    /// <summary>
    /// ITU-T G.711 µ-law and A-law (telephony, Twilio-style 8 kHz streams), bit-exact with the ITU-T
    /// Software Tool Library (G.191) reference: µ-law compands the top 14 bits of PCM16, A-law the top 13,
    /// negative samples are taken as one's complement (so -1 sits in the same interval as 0), and decoding
    /// returns the interval midpoints of the G.711 tables on the 16-bit scale (µ-law ±32124, A-law ±32256).
    /// Decoding is a table lookup; encoding finds the segment with a small table and computes the rest.
    /// </summary>
    public static unsafe class G711Kernel
    {
        // Decode tables (all 256 codes) and segment tables, as constant initializers so Burst bakes them into
        // constant data. Generated from the G.191 expansion formulas; Tests/Core/Audio/G711Tests checks every
        // entry against the G.711 interval midpoints.
        static readonly short[] MuLawToPcm =
        {
            -32124, -31100, -30076, -29052, -28028, -27004, -25980, -24956, -23932, -22908, -21884, -20860, -19836, -18812, -17788, -16764,
            -15996, -15484, -14972, -14460, -13948, -13436, -12924, -12412, -11900, -11388, -10876, -10364, -9852, -9340, -8828, -8316,
            -7932, -7676, -7420, -7164, -6908, -6652, -6396, -6140, -5884, -5628, -5372, -5116, -4860, -4604, -4348, -4092,
            -3900, -3772, -3644, -3516, -3388, -3260, -3132, -3004, -2876, -2748, -2620, -2492, -2364, -2236, -2108, -1980,
            -1884, -1820, -1756, -1692, -1628, -1564, -1500, -1436, -1372, -1308, -1244, -1180, -1116, -1052, -988, -924,
            -876, -844, -812, -780, -748, -716, -684, -652, -620, -588, -556, -524, -492, -460, -428, -396,
            -372, -356, -340, -324, -308, -292, -276, -260, -244, -228, -212, -196, -180, -164, -148, -132,
            -120, -112, -104, -96, -88, -80, -72, -64, -56, -48, -40, -32, -24, -16, -8, 0,
            32124, 31100, 30076, 29052, 28028, 27004, 25980, 24956, 23932, 22908, 21884, 20860, 19836, 18812, 17788, 16764,
            15996, 15484, 14972, 14460, 13948, 13436, 12924, 12412, 11900, 11388, 10876, 10364, 9852, 9340, 8828, 8316,
            7932, 7676, 7420, 7164, 6908, 6652, 6396, 6140, 5884, 5628, 5372, 5116, 4860, 4604, 4348, 4092,
            3900, 3772, 3644, 3516, 3388, 3260, 3132, 3004, 2876, 2748, 2620, 2492, 2364, 2236, 2108, 1980,
            1884, 1820, 1756, 1692, 1628, 1564, 1500, 1436, 1372, 1308, 1244, 1180, 1116, 1052, 988, 924,
            876, 844, 812, 780, 748, 716, 684, 652, 620, 588, 556, 524, 492, 460, 428, 396,
            372, 356, 340, 324, 308, 292, 276, 260, 244, 228, 212, 196, 180, 164, 148, 132,
            120, 112, 104, 96, 88, 80, 72, 64, 56, 48, 40, 32, 24, 16, 8, 0,
        };

        static readonly short[] ALawToPcm =
        {
            -5504, -5248, -6016, -5760, -4480, -4224, -4992, -4736, -7552, -7296, -8064, -7808, -6528, -6272, -7040, -6784,
            -2752, -2624, -3008, -2880, -2240, -2112, -2496, -2368, -3776, -3648, -4032, -3904, -3264, -3136, -3520, -3392,
            -22016, -20992, -24064, -23040, -17920, -16896, -19968, -18944, -30208, -29184, -32256, -31232, -26112, -25088, -28160, -27136,
            -11008, -10496, -12032, -11520, -8960, -8448, -9984, -9472, -15104, -14592, -16128, -15616, -13056, -12544, -14080, -13568,
            -344, -328, -376, -360, -280, -264, -312, -296, -472, -456, -504, -488, -408, -392, -440, -424,
            -88, -72, -120, -104, -24, -8, -56, -40, -216, -200, -248, -232, -152, -136, -184, -168,
            -1376, -1312, -1504, -1440, -1120, -1056, -1248, -1184, -1888, -1824, -2016, -1952, -1632, -1568, -1760, -1696,
            -688, -656, -752, -720, -560, -528, -624, -592, -944, -912, -1008, -976, -816, -784, -880, -848,
            5504, 5248, 6016, 5760, 4480, 4224, 4992, 4736, 7552, 7296, 8064, 7808, 6528, 6272, 7040, 6784,
            2752, 2624, 3008, 2880, 2240, 2112, 2496, 2368, 3776, 3648, 4032, 3904, 3264, 3136, 3520, 3392,
            22016, 20992, 24064, 23040, 17920, 16896, 19968, 18944, 30208, 29184, 32256, 31232, 26112, 25088, 28160, 27136,
            11008, 10496, 12032, 11520, 8960, 8448, 9984, 9472, 15104, 14592, 16128, 15616, 13056, 12544, 14080, 13568,
            344, 328, 376, 360, 280, 264, 312, 296, 472, 456, 504, 488, 408, 392, 440, 424,
            88, 72, 120, 104, 24, 8, 56, 40, 216, 200, 248, 232, 152, 136, 184, 168,
            1376, 1312, 1504, 1440, 1120, 1056, 1248, 1184, 1888, 1824, 2016, 1952, 1632, 1568, 1760, 1696,
            688, 656, 752, 720, 560, 528, 624, 592, 944, 912, 1008, 976, 816, 784, 880, 848,
        };

        /// <summary>µ-law exponent (0..7) indexed by (magnitude + 33) &gt;&gt; 5: the bit length of (magnitude + 33) &gt;&gt; 6.</summary>
        static readonly byte[] MuLawExponent =
        {
            0, 0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
            5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
            6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
            6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
            7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
            7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
            7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
            7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
        };

        /// <summary>A-law exponent (0..7) indexed by magnitude &gt;&gt; 4 (magnitude in units of 16).</summary>
        static readonly byte[] ALawExponent =
        {
            0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
            6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
            7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
            7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
        };

        public static byte MuLawEncode(short sample)
        {
            int x = sample;
            // Magnitude in 14-bit units plus the µ-law bias of 33; one's complement keeps the code symmetric.
            var biased = (x < 0 ? (~x) >> 2 : x >> 2) + 33;
            if (biased > 0x1FFF) biased = 0x1FFF;
            int exponent = MuLawExponent[biased >> 5];
            var code = ((7 - exponent) << 4) | (15 - ((biased >> (exponent + 1)) & 15));
            return (byte)(x >= 0 ? code | 0x80 : code);
        }

        public static short MuLawDecode(byte code) => MuLawToPcm[code];

        public static byte ALawEncode(short sample)
        {
            int x = sample;
            // Magnitude in units of 16 (the top 12 bits), one's complement for negatives.
            var magnitude = x < 0 ? (~x) >> 4 : x >> 4;
            int exponent = ALawExponent[magnitude >> 4];
            var code = exponent == 0 ? magnitude : (exponent << 4) | ((magnitude >> (exponent - 1)) & 15);
            if (x >= 0) code |= 0x80;
            // Even bits are inverted on the line (G.711 A-law), hence the 0x55 mask.
            return (byte)(code ^ 0x55);
        }

        public static short ALawDecode(byte code) => ALawToPcm[code];

        public static void MuLawEncode(short* src, int count, byte* dst)
        {
            for (var i = 0; i < count; i++) dst[i] = MuLawEncode(src[i]);
        }

        public static void MuLawDecode(byte* src, int count, short* dst)
        {
            for (var i = 0; i < count; i++) dst[i] = MuLawDecode(src[i]);
        }

        public static void ALawEncode(short* src, int count, byte* dst)
        {
            for (var i = 0; i < count; i++) dst[i] = ALawEncode(src[i]);
        }

        public static void ALawDecode(byte* src, int count, short* dst)
        {
            for (var i = 0; i < count; i++) dst[i] = ALawDecode(src[i]);
        }
    }
}
