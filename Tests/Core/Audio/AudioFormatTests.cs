using System;
using NUnit.Framework;
using Parley.Audio;

namespace Parley.Tests.Audio
{
    public class AudioFormatTests
    {
        [TestCase(48000, 20, 960)]
        [TestCase(44100, 20, 882)]
        [TestCase(24000, 20, 480)]
        [TestCase(16000, 200, 3200)]
        [TestCase(22050, 10, 220)]
        public void FramesIn_counts_whole_frames(int rate, double ms, int expected)
        {
            Assert.That(AudioFormat.Mono(rate).FramesIn(ms), Is.EqualTo(expected));
        }

        [Test]
        public void Samples_and_bytes_scale_with_channels()
        {
            var stereo = new AudioFormat(48000, 2);
            Assert.That(stereo.SamplesIn(10), Is.EqualTo(960));
            Assert.That(stereo.Pcm16Bytes(480), Is.EqualTo(1920));
            Assert.That(stereo.Milliseconds(24000), Is.EqualTo(500.0).Within(1e-9));
        }

        [TestCase(0, 1)]
        [TestCase(7999, 1)]
        [TestCase(192001, 1)]
        [TestCase(48000, 0)]
        [TestCase(48000, 9)]
        public void Rejects_impossible_formats(int rate, int channels)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new AudioFormat(rate, channels));
        }

        [Test]
        public void Equality_is_by_value()
        {
            Assert.That(new AudioFormat(24000, 1) == AudioFormat.Mono(24000), Is.True);
            Assert.That(new AudioFormat(24000, 1) != new AudioFormat(24000, 2), Is.True);
            Assert.That(new AudioFormat(16000, 1).ToString(), Is.EqualTo("16000 Hz x1"));
        }
    }
}
