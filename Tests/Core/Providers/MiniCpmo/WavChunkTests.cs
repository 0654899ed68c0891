using System;
using NUnit.Framework;
using Parley.Providers.MiniCpmo;
using Parley.Tests.Support;

namespace Parley.Tests.Providers.MiniCpmo
{
    public class WavChunkTests
    {
        [Test]
        public void RoundTripsA200MsChunkOfRealSpeech()
        {
            var clip = TestWav.Speech("user-question", 16000);
            var pcm = new short[3200];
            for (var i = 0; i < pcm.Length; i++) pcm[i] = (short)Math.Round(clip.Samples[4000 + i] * 32767);
            var wav = new byte[WavChunk.HeaderBytes + pcm.Length * 2];
            var n = WavChunk.Write(pcm, 16000, wav);
            Assert.That(n, Is.EqualTo(6444));
            WavChunk.Parse(wav, out var rate, out var channels, out var offset, out var bytes);
            Assert.That(rate, Is.EqualTo(16000));
            Assert.That(channels, Is.EqualTo(1));
            Assert.That(bytes, Is.EqualTo(6400));
            var back = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(new ReadOnlySpan<byte>(wav, offset, bytes)).ToArray();
            Assert.That(back, Is.EqualTo(pcm));
        }

        [Test]
        public void ReadsTheFixtureFileWithItsOwnHeader()
        {
            var bytes = System.IO.File.ReadAllBytes(PackagePaths.Fixture("audio", "speech", "npc-greeting-24k.wav"));
            WavChunk.Parse(bytes, out var rate, out var channels, out _, out var data);
            Assert.That(rate, Is.EqualTo(24000));
            Assert.That(channels, Is.EqualTo(1));
            Assert.That(data / 2, Is.EqualTo(TestWav.Speech("npc-greeting", 24000).Frames));
        }

        [Test]
        public void RejectsWhatIsNotPcm16Wav()
        {
            Assert.Throws<FormatException>(() => WavChunk.Parse(new byte[] { 1, 2, 3 }, out _, out _, out _, out _));
            var wav = new byte[44 + 8];
            WavChunk.Write(new short[4], 16000, wav);
            wav[34] = 8;   // 8-bit
            Assert.Throws<FormatException>(() => WavChunk.Parse(wav, out _, out _, out _, out _));
        }

        // Found by fuzzing (Tools~/Parley.Fuzz, target wav-chunk): chunk sizes near 2^31 overflowed the offset
        // arithmetic into ArgumentOutOfRangeException, or a data chunk reported past the end of the file.
        static byte[] Header(int trailing)
        {
            var wav = new byte[WavChunk.HeaderBytes + trailing];
            WavChunk.Write(new short[trailing / 2], 24000, wav);
            return wav;
        }

        [Test]
        public void A_chunk_size_near_2_to_the_31_before_data_is_a_format_error()
        {
            // RIFF/WAVE, fmt, then "LIST" claiming 0x7FFFFFFE bytes, then a data chunk.
            var wav = new byte[58];
            Array.Copy(Header(0), wav, 36);
            var tail = new byte[] { (byte)'L', (byte)'I', (byte)'S', (byte)'T', 0xFE, 0xFF, 0xFF, 0x7F, 1, 2, 3, 4, 5, 0, (byte)'d', (byte)'a', (byte)'t', (byte)'a', 0, 0, 0, 0 };
            Array.Copy(tail, 0, wav, 36, tail.Length);
            Assert.Throws<FormatException>(() => WavChunk.Parse(wav, out _, out _, out _, out _));
        }

        [Test]
        public void A_data_size_near_2_to_the_31_means_what_is_there()
        {
            var wav = Header(2);
            wav[40] = 0xF8; wav[41] = 0xFF; wav[42] = 0xFF; wav[43] = 0x7F;
            WavChunk.Parse(wav, out _, out _, out var offset, out var bytes);
            Assert.That(offset, Is.EqualTo(44));
            Assert.That(bytes, Is.EqualTo(2));
        }
    }
}
