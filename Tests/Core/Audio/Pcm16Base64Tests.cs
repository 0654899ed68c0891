using System;
using System.Text;
using NUnit.Framework;
using Parley.Audio;

namespace Parley.Tests.Audio
{
    public class Pcm16Base64Tests
    {
        static short[] Sweep(int n, int seed)
        {
            var r = new Random(seed);
            var s = new short[n];
            for (var i = 0; i < n; i++) s[i] = (short)(Math.Sin(i * 0.01 * (1 + i / (double)n)) * 30000 + r.Next(-500, 500));
            return s;
        }

        [TestCase(0)]
        [TestCase(1)]
        [TestCase(2)]
        [TestCase(3)]
        [TestCase(480)]
        [TestCase(4801)]
        public void Encode_matches_the_framework_and_decodes_back(int samples)
        {
            var pcm = Sweep(samples, samples);
            var bytes = new byte[samples * 2];
            Buffer.BlockCopy(pcm, 0, bytes, 0, bytes.Length);
            var utf8 = new byte[Pcm16Base64.EncodedLength(samples)];
            var n = Pcm16Base64.Encode(pcm, utf8);
            Assert.That(Encoding.ASCII.GetString(utf8, 0, n), Is.EqualTo(Convert.ToBase64String(bytes)));

            var back = new short[Pcm16Base64.MaxDecodedSamples(n)];
            var m = Pcm16Base64.Decode(new ReadOnlySpan<byte>(utf8, 0, n), back);
            Assert.That(m, Is.EqualTo(samples));
            Assert.That(new ReadOnlySpan<short>(back, 0, m).SequenceEqual(pcm), Is.True);
        }

        [Test]
        public unsafe void The_burst_kernel_encodes_exactly_like_the_api_for_every_length_and_byte_value()
        {
            // Pcm16Base64 encodes with the framework; Burst jobs use Base64Kernel. They must produce the same bytes.
            var r = new Random(11);
            var bytes = new byte[770];
            r.NextBytes(bytes);
            for (var i = 0; i < 256; i++) bytes[i] = (byte)i;
            for (var len = 0; len <= bytes.Length; len += len < 20 ? 1 : 53)
            {
                var api = new byte[Parley.Audio.Kernels.Base64Kernel.EncodedLength(len)];
                var kernel = new byte[api.Length];
                var a = Pcm16Base64.EncodeBytes(new ReadOnlySpan<byte>(bytes, 0, len), api);
                int k;
                fixed (byte* s = bytes)
                fixed (byte* d = kernel)
                    k = Parley.Audio.Kernels.Base64Kernel.Encode(s, len, d);
                Assert.That(k, Is.EqualTo(a), "length " + len);
                Assert.That(kernel, Is.EqualTo(api), "length " + len);
            }
        }

        [TestCase(1)]
        [TestCase(2)]
        [TestCase(5)]
        public void Raw_bytes_round_trip_with_every_padding(int count)
        {
            var bytes = new byte[count];
            new Random(count).NextBytes(bytes);
            var utf8 = new byte[64];
            var n = Pcm16Base64.EncodeBytes(bytes, utf8);
            Assert.That(Encoding.ASCII.GetString(utf8, 0, n), Is.EqualTo(Convert.ToBase64String(bytes)));
            var back = new byte[64];
            Assert.That(Pcm16Base64.DecodeBytes(new ReadOnlySpan<byte>(utf8, 0, n), back), Is.EqualTo(count));
            Assert.That(new ReadOnlySpan<byte>(back, 0, count).SequenceEqual(bytes), Is.True);
        }

        [TestCase("AAE")]        // length not a multiple of 4
        [TestCase("AA*A")]       // not an alphabet character
        [TestCase("A===")]       // too much padding
        [TestCase("AA=A")]       // padding in the middle
        [TestCase("AAAA====")]   // padding quad
        [TestCase("AAAA    AAAA")]      // whitespace: the framework skips it on .NET 8+, the API must not
        [TestCase("AAAA\r\n\r\nAAAA")]
        [TestCase("AAAA AAA")]
        public void Invalid_base64_is_a_format_error(string text)
        {
            var back = new short[16];
            Assert.Throws<FormatException>(() => Pcm16Base64.Decode(Encoding.ASCII.GetBytes(text), back));
            Assert.Throws<FormatException>(() => Pcm16Base64.DecodeBytes(Encoding.ASCII.GetBytes(text), new byte[32]));
        }

        [TestCase("AR==", new byte[] { 0x01 })]        // non-zero bits after the last byte: ignored, as the kernel does
        [TestCase("AQJ=", new byte[] { 0x01, 0x02 })]
        [TestCase("AQI=", new byte[] { 0x01, 0x02 })]
        public void Padding_bits_are_ignored_the_same_way_on_every_runtime(string text, byte[] expected)
        {
            var bytes = new byte[8];
            var n = Pcm16Base64.DecodeBytes(Encoding.ASCII.GetBytes(text), bytes);
            Assert.That(new ReadOnlySpan<byte>(bytes, 0, n).ToArray(), Is.EqualTo(expected));
        }

        [Test]
        public void Odd_byte_count_is_not_pcm16()
        {
            var utf8 = Encoding.ASCII.GetBytes(Convert.ToBase64String(new byte[] { 1, 2, 3 }));
            Assert.Throws<FormatException>(() => Pcm16Base64.Decode(utf8, new short[4]));
        }

        [Test]
        public void Too_small_destinations_are_rejected_before_writing()
        {
            Assert.Throws<ArgumentException>(() => Pcm16Base64.Encode(new short[3], new byte[7]));
            Assert.Throws<ArgumentException>(() => Pcm16Base64.Decode(Encoding.ASCII.GetBytes("AAAAAAAA"), new short[2]));
        }
    }
}
