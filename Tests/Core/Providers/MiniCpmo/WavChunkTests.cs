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
    }
}
