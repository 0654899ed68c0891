using System;
using NUnit.Framework;
using Parley.Audio;

namespace Parley.Tests.Audio
{
    /// <summary>The adaptive pre-roll of <see cref="PlayoutBuffer"/> (rules on the class), at 24 kHz with 5 ms fades (120 samples).</summary>
    public class PlayoutBufferAdaptiveTests
    {
        const int Rate = 24000, Block = 512, Fade = 120, Min = 480;   // 20 ms
        static readonly float[] Out = new float[Block];

        static PlayoutBuffer Adaptive() => new PlayoutBuffer(Rate, 1 << 16, prerollMs: 20, maxPrerollMs: 200);

        static int Read(PlayoutBuffer b) => b.Read(new Span<float>(Out));

        static void Write(PlayoutBuffer b, int item, int samples)
        {
            var x = new float[samples];
            for (var i = 0; i < samples; i++) x[i] = 0.5f;
            Assert.That(b.Write(item, x), Is.EqualTo(samples));
        }

        /// <summary>Plays one block, then starves: an underrun of a still-open item.</summary>
        static int StartThenUnderrun(PlayoutBuffer b)
        {
            Read(b);   // the render block is learned from the reads
            var item = b.BeginItem();
            Write(b, item, Block + Fade);
            Assert.That(Read(b), Is.EqualTo(Block), "starts at one block + the fade reserve");
            Read(b);
            Assert.That(b.Underruns, Is.EqualTo(1));
            return item;
        }

        [Test]
        public void Playback_waits_for_one_render_block_plus_the_fade_reserve_above_a_smaller_preroll()
        {
            var b = Adaptive();
            Assert.That(b.PrerollMs, Is.EqualTo(20).Within(1e-9));
            Read(b);
            var item = b.BeginItem();
            Write(b, item, Block + Fade - 1);
            Assert.That(Read(b), Is.EqualTo(0), "20 ms are buffered, but less than a block + reserve");
            Write(b, item, 1);
            Assert.That(Read(b), Is.EqualTo(Block));
        }

        [Test]
        public void Audio_arriving_after_an_underrun_doubles_the_preroll_and_clean_playouts_give_back_a_sixteenth()
        {
            var b = Adaptive();
            var item = StartThenUnderrun(b);
            Assert.That(b.PrerollMs, Is.EqualTo(20).Within(1e-9), "no growth until the late audio comes");
            Write(b, item, 2 * (Block + Fade) - 1);
            Assert.That(Read(b), Is.EqualTo(0), "the resumption already waits for the doubled pre-roll");
            Assert.That(b.PrerollMs, Is.EqualTo(2 * (Block + Fade) * 1000.0 / Rate).Within(1e-9));
            Write(b, item, 1);
            Assert.That(Read(b), Is.EqualTo(Block));
            b.EndItem(item);
            while (b.BufferedSamples > 0) Read(b);
            Assert.That(b.PrerollMs, Is.EqualTo(2 * (Block + Fade) * 1000.0 / Rate).Within(1e-9), "the playout that was late does not decay");

            // A clean reply: ended and played out with nothing late.
            var next = b.BeginItem();
            Write(b, next, 4000);
            b.EndItem(next);
            while (b.BufferedSamples > 0) Read(b);
            var excess = 2 * (Block + Fade) - Min;   // 784 samples
            Assert.That(b.PrerollMs * Rate / 1000, Is.EqualTo(2 * (Block + Fade) - (excess + 15) / 16).Within(1e-6));
            Assert.That(b.Underruns, Is.EqualTo(1));
        }

        [Test]
        public void Growth_stops_at_the_maximum()
        {
            var b = Adaptive();
            var item = StartThenUnderrun(b);
            for (var round = 0; round < 4; round++)
            {
                Write(b, item, 4800 + Fade);   // enough for any pre-roll up to 200 ms
                while (b.BufferedSamples > Fade) Read(b);
                Read(b);   // runs dry again
                Assert.That(b.Underruns, Is.EqualTo(2 + round));
            }
            Write(b, item, 1);
            Read(b);
            Assert.That(b.PrerollMs, Is.EqualTo(200).Within(1e-9));
        }

        [Test]
        public void A_new_item_after_an_unended_one_or_audio_after_a_flush_is_not_late()
        {
            var b = Adaptive();
            StartThenUnderrun(b);
            var second = b.BeginItem();
            Write(b, second, Block + Fade);
            Assert.That(Read(b), Is.EqualTo(Block));
            Assert.That(b.PrerollMs, Is.EqualTo(20).Within(1e-9), "a new item");

            Read(b);
            Assert.That(b.Underruns, Is.EqualTo(2));
            b.Flush();
            Read(b);
            var third = b.BeginItem();
            Write(b, third, Block + Fade);
            Assert.That(Read(b), Is.EqualTo(Block));
            Assert.That(b.PrerollMs, Is.EqualTo(20).Within(1e-9), "after a flush");
        }

        /// <summary>
        /// The jitter estimate: a chunk's lateness against the item's first, on the audio thread's clock (samples requested
        /// by reads), less one block (the clock's grain); it persists into the next item, and each new item takes an eighth
        /// of its excess over the previous item's latest chunk away. The start then also waits for it.
        /// </summary>
        [Test]
        public void Jitter_estimate_is_a_chunks_lateness_beyond_a_block_kept_across_items_and_decaying_by_an_eighth()
        {
            var b = Adaptive();
            Read(b);
            var first = b.BeginItem();
            Write(b, first, Min);
            Assert.That(b.JitterMs, Is.EqualTo(0), "the first chunk is the reference");
            for (var i = 0; i < 10; i++) Assert.That(Read(b), Is.EqualTo(0), "480 samples are below a block + the reserve");
            Write(b, first, Min);   // due 480 samples after the first, came 10 blocks (5120 samples) after it
            const int late = 10 * Block - Min - Block;
            Assert.That(b.JitterMs, Is.EqualTo(late * 1000.0 / Rate).Within(1e-9));
            b.EndItem(first);
            for (var i = 0; i < 4; i++) Read(b);
            Assert.That(b.IsPlaying, Is.False, "played out");

            var second = b.BeginItem();
            Write(b, second, Block + Fade);
            Assert.That(b.JitterMs, Is.EqualTo(late * 1000.0 / Rate).Within(1e-9), "the previous item's latest chunk was this late: kept");
            Assert.That(Read(b), Is.EqualTo(0), "a block + the reserve is not enough with the estimate");
            Write(b, second, late);
            Assert.That(b.JitterMs, Is.EqualTo(late * 1000.0 / Rate).Within(1e-9), "ahead of time, not late");
            Assert.That(Read(b), Is.EqualTo(Block), "a block + the reserve + the estimate are buffered");
            b.EndItem(second);
            for (var i = 0; i < 12; i++) Read(b);

            var third = b.BeginItem();
            Write(b, third, Min);
            Assert.That(b.JitterMs, Is.EqualTo((late - late / 8) * 1000.0 / Rate).Within(1e-9), "the second item came on time: an eighth less");
        }

        [Test]
        public void Without_a_larger_maximum_the_preroll_is_fixed()
        {
            var b = new PlayoutBuffer(Rate, 1 << 16, prerollMs: 20);
            Assert.That(b.AdaptivePreroll, Is.False);
            var item = b.BeginItem();
            Write(b, item, Min);
            Assert.That(Read(b), Is.EqualTo(Min), "starts at the pre-roll alone (below a block + reserve), the reserve faded out");
            Assert.That(b.Underruns, Is.EqualTo(1));
            Write(b, item, Min);
            Read(b);
            Assert.That(b.PrerollMs, Is.EqualTo(20).Within(1e-9));
            Assert.Throws<ArgumentOutOfRangeException>(() => new PlayoutBuffer(Rate, 1024, prerollMs: 10, maxPrerollMs: 50));
        }
    }
}
