using System;
using NUnit.Framework;
using Parley.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.Audio
{
    public class AudioLevelTests
    {
        [Test]
        public void Full_scale_sine_reads_minus_3_dB_rms_and_0_dB_peak()
        {
            var s = Signals.Sine(1000, 48000, 48000, amplitude: 1.0);
            Assert.That(AudioLevel.RmsDbfs(s), Is.EqualTo(-3.01).Within(0.01));
            Assert.That(AudioLevel.PeakDbfs(s), Is.EqualTo(0).Within(0.001));
        }

        [TestCase(-6.0)]
        [TestCase(-20.0)]
        [TestCase(-60.0)]
        public void Sine_levels_follow_the_amplitude(double peakDb)
        {
            var s = Signals.Sine(997, 48000, 48000, amplitude: Math.Pow(10, peakDb / 20));
            Assert.That(AudioLevel.PeakDbfs(s), Is.EqualTo(peakDb).Within(0.01));
            Assert.That(AudioLevel.RmsDbfs(s), Is.EqualTo(peakDb - 3.01).Within(0.01));
        }

        [Test]
        public void Speech_level_matches_an_independent_measurement()
        {
            var s = TestWav.Speech("trainer-answer", 16000).Samples;
            Assert.That(AudioLevel.RmsDbfs(s), Is.EqualTo(Signals.RmsDbfs(s)).Within(0.001));
            Assert.That(AudioLevel.RmsDbfs(s), Is.InRange(-30f, -10f));
            var peak = 0f;
            foreach (var v in s) peak = Math.Max(peak, Math.Abs(v));
            Assert.That(AudioLevel.Peak(s), Is.EqualTo(peak));
        }

        [Test]
        public void Silence_and_empty_buffers_read_minus_infinity()
        {
            Assert.That(AudioLevel.RmsDbfs(new float[480]), Is.EqualTo(float.NegativeInfinity));
            Assert.That(AudioLevel.PeakDbfs(new float[0]), Is.EqualTo(float.NegativeInfinity));
            Assert.That(AudioLevel.RmsDbfs(new float[0]), Is.EqualTo(float.NegativeInfinity));
        }

        [Test]
        public void Nan_counts_as_silence_and_infinity_as_full_scale()
        {
            Assert.That(AudioLevel.Peak(new[] { float.NaN, 0.25f }), Is.EqualTo(0.25f));
            Assert.That(AudioLevel.Peak(new[] { 0.25f, float.NegativeInfinity }), Is.EqualTo(1f));
            Assert.That(AudioLevel.Rms(new[] { float.NaN, float.PositiveInfinity }), Is.EqualTo((float)Math.Sqrt(0.5)).Within(1e-6f));
        }
    }
}
