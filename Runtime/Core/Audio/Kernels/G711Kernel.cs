namespace Parley.Audio.Kernels
{
    /// <summary>
    /// ITU-T G.711 µ-law and A-law (telephony, Twilio-style 8 kHz streams), bit-exact with the ITU-T
    /// Software Tool Library (G.191) reference: µ-law compands the top 14 bits of PCM16, A-law the top 13,
    /// negative samples are taken as one's complement (so -1 sits in the same interval as 0), and decoding
    /// returns the interval midpoints of the G.711 tables on the 16-bit scale (µ-law ±32124, A-law ±32256).
    /// Computed, not looked up, so there are no tables to initialise.
    /// </summary>
    public static unsafe class G711Kernel
    {
        public static byte MuLawEncode(short sample)
        {
            int x = sample;
            // Magnitude in 14-bit units plus the µ-law bias of 33; one's complement keeps the code symmetric.
            var biased = (x < 0 ? (~x) >> 2 : x >> 2) + 33;
            if (biased > 0x1FFF) biased = 0x1FFF;
            // Segment = position of the highest set bit above bit 5 (1..8).
            var segment = 1;
            for (var t = biased >> 6; t != 0; t >>= 1) segment++;
            var code = ((8 - segment) << 4) | (15 - ((biased >> segment) & 15));
            return (byte)(x >= 0 ? code | 0x80 : code);
        }

        public static short MuLawDecode(byte code)
        {
            var inverted = ~code;
            var exponent = (inverted >> 4) & 7;
            var mantissa = inverted & 15;
            // ((2·mantissa + 33)·2^exponent − 33) in 14-bit units, times 4 for the 16-bit scale.
            var magnitude = (((mantissa << 1) + 33) << exponent) - 33;
            return (short)(code < 0x80 ? -(magnitude << 2) : magnitude << 2);
        }

        public static byte ALawEncode(short sample)
        {
            int x = sample;
            var magnitude = x < 0 ? (~x) >> 4 : x >> 4;
            if (magnitude > 15)
            {
                var exponent = 1;
                while (magnitude > 31)
                {
                    magnitude >>= 1;
                    exponent++;
                }
                magnitude = (magnitude - 16) + (exponent << 4);
            }
            if (x >= 0) magnitude |= 0x80;
            // Even bits are inverted on the line (G.711 A-law), hence the 0x55 mask.
            return (byte)(magnitude ^ 0x55);
        }

        public static short ALawDecode(byte code)
        {
            var ix = (code ^ 0x55) & 0x7F;
            var exponent = ix >> 4;
            var mantissa = ix & 15;
            if (exponent > 0) mantissa += 16;
            mantissa = (mantissa << 4) + 8;
            if (exponent > 1) mantissa <<= exponent - 1;
            return (short)(code > 0x7F ? mantissa : -mantissa);
        }

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
