using System;
using NUnit.Framework;
using Parley.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.Audio
{
    public class ChannelMixerTests
    {
        const int Rate = 48000;
        const int Frames = 48000;

        static float[] Interleave(params float[][] channels)
        {
            var x = new float[channels[0].Length * channels.Length];
            for (var c = 0; c < channels.Length; c++) ChannelMixer.Interleave(channels[c], channels.Length, c, x);
            return x;
        }

        static float[] Downmix(float[] interleaved, int channels)
        {
            var mono = new float[interleaved.Length / channels];
            Assert.That(ChannelMixer.Downmix(interleaved, channels, mono), Is.EqualTo(mono.Length));
            return mono;
        }

        [Test]
        public void Identical_channels_keep_their_level()
        {
            var s = Signals.Sine(440, Rate, Frames, 0.5);
            var mono = Downmix(Interleave(s, s, s, s, s, s), 6);
            Assert.That(Signals.RmsDbfs(mono) - Signals.RmsDbfs(s), Is.EqualTo(0).Within(0.01));
        }

        [TestCase(2, -6.02)]
        [TestCase(6, -15.56)]
        public void A_signal_in_one_channel_drops_by_20_log_n(int channels, double expectedDb)
        {
            var s = Signals.Sine(440, Rate, Frames, 0.5);
            var silent = new float[Frames];
            var parts = new float[channels][];
            for (var c = 0; c < channels; c++) parts[c] = c == 0 ? s : silent;
            var mono = Downmix(Interleave(parts), channels);
            Assert.That(Signals.RmsDbfs(mono) - Signals.RmsDbfs(s), Is.EqualTo(expectedDb).Within(0.02));
        }

        [TestCase(2, -3.01)]
        [TestCase(4, -6.02)]
        [TestCase(7, -8.45)]
        public void Uncorrelated_channels_drop_by_10_log_n(int channels, double expectedDb)
        {
            var parts = new float[channels][];
            for (var c = 0; c < channels; c++) parts[c] = Signals.WhiteNoise(Frames, 0.5, seed: 100 + c);
            var mono = Downmix(Interleave(parts), channels);
            Assert.That(Signals.RmsDbfs(mono) - Signals.RmsDbfs(parts[0]), Is.EqualTo(expectedDb).Within(0.15));
        }

        [Test]
        public void Opposite_phase_channels_cancel()
        {
            var s = Signals.Sine(1000, Rate, Frames, 0.8);
            var inverted = Array.ConvertAll(s, v => -v);
            Assert.That(AudioLevel.Peak(Downmix(Interleave(s, inverted), 2)), Is.EqualTo(0f));
        }

        [Test]
        public void Stereo_microphone_recording_downmixes_to_the_mono_take()
        {
            // The stereo fixture is the mono take with independent LSB noise per channel.
            var stereo = TestWav.Read(PackagePaths.Fixture("audio", "conversation", "user-turns-48k-stereo.wav"));
            var mono = TestWav.Read(PackagePaths.Fixture("audio", "conversation", "user-turns-48k.wav"));
            var mixed = Downmix(stereo.Samples, 2);
            Assert.That(Signals.RmsDbfs(mixed) - Signals.RmsDbfs(mono.Samples), Is.EqualTo(0).Within(0.05));
            Assert.That(Signals.SnrDb(mono.Samples, mixed), Is.GreaterThan(60));
        }

        [TestCase(1)]
        [TestCase(3)]
        [TestCase(8)]
        [TestCase(11)]
        public void Deinterleave_recovers_every_channel_for_any_count(int channels)
        {
            var parts = new float[channels][];
            for (var c = 0; c < channels; c++) parts[c] = Signals.LogSweep(50 + c, 8000, Rate, 4800, 0.5);
            var x = Interleave(parts);
            for (var c = 0; c < channels; c++)
            {
                var back = new float[4800];
                Assert.That(ChannelMixer.Deinterleave(x, channels, c, back), Is.EqualTo(4800));
                Assert.That(back, Is.EqualTo(parts[c]));
            }
        }

        [Test]
        public void Upmix_copies_mono_to_every_channel()
        {
            var s = TestWav.Speech("npc-quest", 24000).Samples;
            var x = new float[s.Length * 5];
            Assert.That(ChannelMixer.Upmix(s, 5, x), Is.EqualTo(x.Length));
            var back = new float[s.Length];
            ChannelMixer.Deinterleave(x, 5, 4, back);
            Assert.That(back, Is.EqualTo(s));
            Assert.That(Downmix(x, 5), Is.EqualTo(s).Within(1e-6f));
        }

        [Test]
        public void Non_finite_samples_are_clamped_by_the_downmix()
        {
            var mono = Downmix(new[] { float.NaN, 0.5f, float.PositiveInfinity, 0f, float.NegativeInfinity, float.NegativeInfinity }, 2);
            Assert.That(mono, Is.EqualTo(new[] { 0.25f, 0.5f, -1f }));
        }

        [Test]
        public void Bad_shapes_are_argument_errors()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => ChannelMixer.Downmix(new float[4], 0, new float[4]));
            Assert.Throws<ArgumentException>(() => ChannelMixer.Downmix(new float[5], 2, new float[4]));
            Assert.Throws<ArgumentException>(() => ChannelMixer.Downmix(new float[8], 2, new float[3]));
            Assert.Throws<ArgumentOutOfRangeException>(() => ChannelMixer.Deinterleave(new float[8], 2, 2, new float[4]));
            Assert.Throws<ArgumentException>(() => ChannelMixer.Interleave(new float[3], 2, 0, new float[8]));
            Assert.Throws<ArgumentException>(() => ChannelMixer.Upmix(new float[4], 2, new float[7]));
        }
    }
}
