using System;
using NUnit.Framework;
using Parley.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.Audio
{
    /// <summary>
    /// G.711 checked against the Recommendation's tables rebuilt here as quantisation intervals (segment end
    /// points and step sizes), not against the kernel's own bit tricks: every PCM16 input must land in the
    /// interval of its code, every code must decode to its interval's midpoint.
    /// </summary>
    public class G711Tests
    {
        /// <summary>One positive code's interval [Low, High) of input magnitude and its decoded value, on the 16-bit scale.</summary>
        struct Interval
        {
            public int Low, High, Output;
            public byte Code;
        }

        // µ-law (G.711 table 2): 8 segments of 16 steps on the 14-bit scale; the step doubles per segment
        // (2, 4, ... 256) and segment s ends at 64·2^s − 33 (31, 95, 223, 479, 991, 2015, 4063, 8159).
        // Interval m of segment s is [(32 + 2m)·2^s − 33, (34 + 2m)·2^s − 33); the first one is just {0}.
        // The sign bit is 1 for positive values and the 7 magnitude bits are sent inverted.
        static Interval[] MuLawTable()
        {
            var t = new Interval[128];
            for (var seg = 0; seg < 8; seg++)
                for (var m = 0; m < 16; m++)
                {
                    int low = ((32 + 2 * m) << seg) - 33, high = ((34 + 2 * m) << seg) - 33;
                    t[seg * 16 + m] = new Interval { Low = low, High = high, Output = (low + high) / 2 * 4, Code = (byte)(0x80 | (0x7F - (seg * 16 + m))) };
                }
            return t;
        }

        // A-law (G.711 table 1a): on the 13-bit scale, segments 0 and 1 have step 2, then 4, 8 ... 128;
        // segment ends at 32, 64, 128, ... 4096. Positive codes have the sign bit set; even bits are inverted (^0x55).
        static Interval[] ALawTable()
        {
            var t = new Interval[128];
            for (var seg = 0; seg < 8; seg++)
            {
                var start = seg == 0 ? 0 : 32 << (seg - 1);
                var step = seg <= 1 ? 2 : 2 << (seg - 1);
                for (var m = 0; m < 16; m++)
                {
                    var low = start + m * step;
                    t[seg * 16 + m] = new Interval { Low = low * 8, High = (low + step) * 8, Output = (low * 2 + step) * 4, Code = (byte)((0x80 | (seg << 4) | m) ^ 0x55) };
                }
            }
            return t;
        }

        /// <summary>The G.711 reference semantics for a PCM16 input: magnitude in one's complement, overload to the last interval.</summary>
        static byte ExpectedCode(Interval[] table, short x, bool mu)
        {
            var magnitude = x < 0 ? -x - 1 : (int)x;
            if (mu) magnitude &= ~3; // µ-law uses the 14 most significant bits
            for (var k = 0; k < table.Length; k++)
            {
                var low = mu ? table[k].Low * 4 : table[k].Low;
                var high = mu ? table[k].High * 4 : table[k].High;
                // Inputs beyond the last decision level overload into the last interval.
                if (magnitude >= low && (magnitude < high || k == table.Length - 1))
                    return x >= 0 ? table[k].Code : (byte)(table[k].Code & 0x7F);
            }
            throw new InvalidOperationException("no interval for " + x);
        }

        static short[] AllPcm16()
        {
            var all = new short[65536];
            for (var i = 0; i < all.Length; i++) all[i] = (short)(i - 32768);
            return all;
        }

        [TestCase(true)]
        [TestCase(false)]
        public void Every_pcm16_input_encodes_into_its_table_interval(bool mu)
        {
            var table = mu ? MuLawTable() : ALawTable();
            var all = AllPcm16();
            var codes = new byte[all.Length];
            if (mu) G711.MuLawEncode(all, codes);
            else G711.ALawEncode(all, codes);
            for (var i = 0; i < all.Length; i++)
                Assert.That(codes[i], Is.EqualTo(ExpectedCode(table, all[i], mu)), (mu ? "µ-law, input " : "A-law, input ") + all[i]);
        }

        [Test]
        public void All_256_codes_decode_to_their_interval_midpoint()
        {
            var codes = new byte[256];
            for (var i = 0; i < 256; i++) codes[i] = (byte)i;
            var mu = new short[256];
            var a = new short[256];
            G711.MuLawDecode(codes, mu);
            G711.ALawDecode(codes, a);
            foreach (var iv in MuLawTable())
            {
                Assert.That(mu[iv.Code], Is.EqualTo(iv.Output), "µ-law code " + iv.Code);
                Assert.That(mu[iv.Code & 0x7F], Is.EqualTo(-iv.Output), "µ-law code " + (iv.Code & 0x7F));
            }
            foreach (var iv in ALawTable())
            {
                Assert.That(a[iv.Code], Is.EqualTo(iv.Output), "A-law code " + iv.Code);
                Assert.That(a[iv.Code & 0x7F], Is.EqualTo(-iv.Output), "A-law code " + (iv.Code & 0x7F));
            }
            // Table extremes: µ-law ±8031 and A-law ±4032 on their native scales.
            Assert.That(mu[0x80], Is.EqualTo(8031 * 4));
            Assert.That(mu[0x00], Is.EqualTo(-8031 * 4));
            Assert.That(a[0xAA], Is.EqualTo(4032 * 8));
            Assert.That(a[0x2A], Is.EqualTo(-4032 * 8));
        }

        [TestCase((short)0, 0xFF, 0xD5)]
        [TestCase((short)128, 0xEF, 0xDD)]
        [TestCase((short)1024, 0xCD, 0xE5)]
        [TestCase((short)-128, 0x6F, 0x52)]
        [TestCase((short)-1024, 0x4D, 0x7A)]
        [TestCase((short)-1, 0x7F, 0x55)]
        [TestCase((short)32767, 0x80, 0xAA)]
        [TestCase((short)-32768, 0x00, 0x2A)]
        public void Known_vectors(short pcm, int mu, int a)
        {
            var one = new[] { pcm };
            var code = new byte[1];
            G711.MuLawEncode(one, code);
            Assert.That(code[0], Is.EqualTo((byte)mu));
            G711.ALawEncode(one, code);
            Assert.That(code[0], Is.EqualTo((byte)a));
        }

        [TestCase(0xFF, 0, 0xD5, 8)]
        [TestCase(0xEF, 132, 0xDD, 136)]
        [TestCase(0xCD, 1052, 0xE5, 1056)]
        [TestCase(0x6F, -132, 0x52, -120)]
        [TestCase(0x4D, -1052, 0x7A, -1008)]
        public void Known_decodes(int mu, int muPcm, int a, int aPcm)
        {
            var pcm = new short[1];
            G711.MuLawDecode(new[] { (byte)mu }, pcm);
            Assert.That(pcm[0], Is.EqualTo((short)muPcm));
            G711.ALawDecode(new[] { (byte)a }, pcm);
            Assert.That(pcm[0], Is.EqualTo((short)aPcm));
        }

        [Test]
        public void Decoding_then_encoding_returns_every_code()
        {
            for (var c = 0; c < 256; c++)
            {
                var pcm = new short[1];
                var back = new byte[1];
                G711.ALawDecode(new[] { (byte)c }, pcm);
                G711.ALawEncode(pcm, back);
                Assert.That(back[0], Is.EqualTo((byte)c), "A-law " + c);
                G711.MuLawDecode(new[] { (byte)c }, pcm);
                G711.MuLawEncode(pcm, back);
                // µ-law has two zeros: 0x7F (negative zero) decodes to 0, which encodes as 0xFF.
                Assert.That(back[0], Is.EqualTo(c == 0x7F ? (byte)0xFF : (byte)c), "µ-law " + c);
            }
        }

        [TestCase("npc-greeting", true)]
        [TestCase("trainer-answer", true)]
        [TestCase("npc-greeting", false)]
        [TestCase("trainer-answer", false)]
        public void Speech_snr_is_in_the_known_g711_range(string clip, bool mu)
        {
            var speech = TestWav.Speech(clip, 16000).Samples;
            var pcm = new short[speech.Length];
            PcmConvert.FloatToPcm16(speech, pcm);
            var codes = new byte[pcm.Length];
            var decoded = new short[pcm.Length];
            if (mu)
            {
                G711.MuLawEncode(pcm, codes);
                G711.MuLawDecode(codes, decoded);
            }
            else
            {
                G711.ALawEncode(pcm, codes);
                G711.ALawDecode(codes, decoded);
            }
            var back = new float[pcm.Length];
            PcmConvert.Pcm16ToFloat(decoded, back);
            // 8-bit log PCM gives roughly 35-39 dB SNR on speech at normal level (about -20 dBFS here).
            var snr = Signals.SnrDb(speech, back);
            Assert.That(snr, Is.InRange(33.0, 41.0));
            TestContext.WriteLine((mu ? "µ-law " : "A-law ") + clip + ": " + snr.ToString("F2") + " dB");
        }

        [Test]
        public void Small_destination_is_an_argument_error()
        {
            Assert.Throws<ArgumentException>(() => G711.MuLawEncode(new short[4], new byte[3]));
            Assert.Throws<ArgumentException>(() => G711.MuLawDecode(new byte[4], new short[3]));
            Assert.Throws<ArgumentException>(() => G711.ALawEncode(new short[4], new byte[3]));
            Assert.Throws<ArgumentException>(() => G711.ALawDecode(new byte[4], new short[3]));
        }
    }
}
