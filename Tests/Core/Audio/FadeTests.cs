using System;
using NUnit.Framework;
using Parley.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.Audio
{
    public class FadeTests
    {
        [Test]
        public void Fade_out_of_a_constant_is_a_straight_line()
        {
            var x = new float[480];
            for (var i = 0; i < x.Length; i++) x[i] = 0.8f;
            Fade.Linear(x, 1, 1f, 0f);
            for (var i = 0; i < x.Length; i++) Assert.That(x[i], Is.EqualTo(0.8f * (1f - i / 480f)).Within(1e-6f));
        }

        [Test]
        public void Fade_in_of_a_sine_raises_the_envelope_linearly()
        {
            // Ten blocks of a 1 kHz sine (whole periods each): block RMS must follow the ramp's mean gain.
            const int rate = 48000, block = 480;
            var x = Signals.Sine(1000, rate, block * 10, 0.5);
            var stereo = new float[x.Length * 2];
            ChannelMixer.Upmix(x, 2, stereo);
            Fade.Linear(stereo, 2, 0f, 1f);
            var left = new float[x.Length];
            ChannelMixer.Deinterleave(stereo, 2, 0, left);
            var full = Signals.RmsDbfs(new ReadOnlySpan<float>(x, 0, block));
            for (var b = 1; b < 10; b++)
            {
                var measured = Signals.RmsDbfs(new ReadOnlySpan<float>(left, b * block, block)) - full;
                // RMS of a sine under a linear ramp g0..g1 over the block: sqrt((g0² + g0·g1 + g1²)/3).
                double g0 = b / 10.0, g1 = (b + 1) / 10.0;
                var expected = 10 * Math.Log10((g0 * g0 + g0 * g1 + g1 * g1) / 3);
                Assert.That(measured, Is.EqualTo(expected).Within(0.05), "block " + b);
            }
        }

        [Test]
        public void A_fade_split_over_callbacks_equals_one_fade()
        {
            var speech = TestWav.Speech("user-interrupt", 48000).Samples;
            var whole = (float[])speech.Clone();
            const int length = 4800;
            Fade.Linear(new Span<float>(whole, 0, length), 1, 1f, 0.1f);
            var split = (float[])speech.Clone();
            for (var pos = 0; pos < length; pos += 256)
            {
                var n = Math.Min(256, length - pos);
                Fade.Linear(new Span<float>(split, pos, n), 1, 1f, 0.1f, pos, length);
            }
            Assert.That(split, Is.EqualTo(whole).Within(1e-6f));
            // Past the end of the ramp the final gain holds.
            var tail = (float[])speech.Clone();
            Fade.Linear(new Span<float>(tail, length, 1000), 1, 1f, 0.1f, length, length);
            Assert.That(tail[length + 500], Is.EqualTo(speech[length + 500] * 0.1f).Within(1e-7f));
        }

        [Test]
        public void Bad_arguments_are_rejected()
        {
            Assert.Throws<ArgumentException>(() => Fade.Linear(new float[5], 2, 1f, 0f));
            Assert.Throws<ArgumentOutOfRangeException>(() => Fade.Linear(new float[4], 0, 1f, 0f));
            Assert.Throws<ArgumentOutOfRangeException>(() => Fade.Linear(new float[4], 1, float.NaN, 0f));
            Assert.Throws<ArgumentOutOfRangeException>(() => Fade.Linear(new float[4], 1, 1f, float.PositiveInfinity));
            Assert.Throws<ArgumentOutOfRangeException>(() => Fade.Linear(new float[4], 1, 1f, 0f, -1, 4));
        }
    }
}
