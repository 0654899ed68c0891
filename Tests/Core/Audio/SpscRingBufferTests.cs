using System;
using System.Threading;
using NUnit.Framework;
using Parley.Audio;
using Parley.Audio.Kernels;
using Parley.Tests.Support;

namespace Parley.Tests.Audio
{
    public class SpscRingBufferTests
    {
        [Test]
        public void Two_threads_move_10e8_samples_without_loss_duplication_or_reordering()
        {
            // The producer writes a counter sequence (mod 2^24, exact in float) in random chunk sizes; the consumer
            // reads in other random sizes and checks every sample. A lost, repeated or reordered sample breaks the
            // sequence at once (a gap of exactly 2^24 is impossible: the ring holds 2^14).
            const long total = 100000000;
            var ring = new SpscRingBuffer(1 << 14);
            long mismatchAt = -1, consumed = 0;
            var producer = new Thread(() =>
            {
                var chunk = new float[4096];
                uint rng = 2463534242;
                long next = 0;
                var spin = new SpinWait();
                while (next < total)
                {
                    rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5;
                    var n = (int)Math.Min(1 + rng % 4096, total - next);
                    for (var i = 0; i < n; i++) chunk[i] = (next + i) & 0xFFFFFF;
                    var offset = 0;
                    while (offset < n)
                    {
                        var w = ring.Write(new ReadOnlySpan<float>(chunk, offset, n - offset));
                        offset += w;
                        if (w == 0) spin.SpinOnce(); else spin.Reset();
                    }
                    next += n;
                }
            });
            var consumer = new Thread(() =>
            {
                var chunk = new float[4096];
                uint rng = 88675123;
                long expected = 0;
                var spin = new SpinWait();
                while (expected < total)
                {
                    rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5;
                    var n = ring.Read(new Span<float>(chunk, 0, (int)(1 + rng % 4096)));
                    if (n == 0) { spin.SpinOnce(); continue; }
                    spin.Reset();
                    for (var i = 0; i < n; i++)
                        if (chunk[i] != ((expected + i) & 0xFFFFFF)) { mismatchAt = expected + i; Volatile.Write(ref consumed, expected); return; }
                    expected += n;
                }
                Volatile.Write(ref consumed, expected);
            });
            producer.IsBackground = consumer.IsBackground = true;
            producer.Start();
            consumer.Start();
            Assert.That(consumer.Join(TimeSpan.FromMinutes(3)), Is.True, "consumer finished");
            Assert.That(mismatchAt, Is.EqualTo(-1), "first out-of-sequence sample");
            Assert.That(producer.Join(TimeSpan.FromSeconds(30)), Is.True, "producer finished");
            Assert.That(Volatile.Read(ref consumed), Is.EqualTo(total));
            Assert.That(ring.ReadableCount, Is.EqualTo(0));
        }

        [Test]
        public void Speech_passes_through_wrap_around_exactly_with_counts_tracking_each_call()
        {
            var speech = TestWav.Speech("npc-quest", 24000).Samples;
            var ring = new SpscRingBuffer(1024);
            var output = new float[speech.Length];
            var rng = new Random(7);
            int written = 0, read = 0;
            while (read < speech.Length)
            {
                var w = ring.Write(new ReadOnlySpan<float>(speech, written, Math.Min(rng.Next(0, 700), speech.Length - written)));
                written += w;
                Assert.That(ring.ReadableCount + ring.WritableCount, Is.EqualTo(1024));
                Assert.That(ring.ReadableCount, Is.EqualTo(written - read));
                read += ring.Read(new Span<float>(output, read, Math.Min(rng.Next(0, 700), output.Length - read)));
            }
            Assert.That(output, Is.EqualTo(speech));
        }

        [Test]
        public unsafe void Counters_wrapping_past_int_MaxValue_keep_counts_and_order_exact()
        {
            // The free-running 32-bit counters overflow after 2^31 samples (12 h at 48 kHz); start just before that.
            var speech = TestWav.Speech("npc-greeting", 24000).Samples;
            var data = new float[512];
            var output = new float[speech.Length];
            var state = new SpscRingState();
            SpscRingKernel.Init(&state, 512);
            state.Written = state.Read = int.MaxValue - 5000;
            var rng = new Random(3);
            int written = 0, read = 0;
            fixed (float* d = data)
            fixed (float* src = speech)
            fixed (float* dst = output)
            {
                while (read < speech.Length)
                {
                    written += SpscRingKernel.Write(&state, d, src + written, Math.Min(rng.Next(0, 400), speech.Length - written));
                    Assert.That(SpscRingKernel.Readable(&state), Is.EqualTo(written - read));
                    Assert.That(SpscRingKernel.Writable(&state), Is.EqualTo(512 - (written - read)));
                    read += SpscRingKernel.Read(&state, d, dst + read, Math.Min(rng.Next(0, 400), speech.Length - read));
                }
            }
            Assert.That(state.Read, Is.LessThan(0), "the counters did wrap");
            Assert.That(output, Is.EqualTo(speech));
        }

        [Test]
        public void A_full_ring_accepts_only_what_fits_and_an_empty_one_reads_nothing()
        {
            var ring = new SpscRingBuffer(8);
            var noise = Signals.WhiteNoise(12, 0.5, 3);
            Assert.That(ring.Write(noise, 0, 6), Is.EqualTo(6));
            Assert.That(ring.Write(noise, 6, 6), Is.EqualTo(2));
            Assert.That(ring.WritableCount, Is.EqualTo(0));
            var back = new float[8];
            Assert.That(ring.Read(back, 0, 8), Is.EqualTo(8));
            Assert.That(back, Is.EqualTo(new ReadOnlySpan<float>(noise, 0, 8).ToArray()));
            Assert.That(ring.Read(back, 0, 8), Is.EqualTo(0));
        }

        [TestCase(0)]
        [TestCase(1)]
        [TestCase(-8)]
        [TestCase(int.MaxValue)]
        public void Capacity_out_of_range_is_rejected(int capacity) =>
            Assert.Throws<ArgumentOutOfRangeException>(() => new SpscRingBuffer(capacity));

        [TestCase(3)]
        [TestCase(1000)]
        [TestCase(48000)]
        public void Capacity_not_a_power_of_two_is_rejected(int capacity) =>
            Assert.Throws<ArgumentException>(() => new SpscRingBuffer(capacity));

        [Test]
        public void Bad_spans_and_arrays_are_rejected_with_typed_errors()
        {
            var ring = new SpscRingBuffer(16);
            Assert.Throws<ArgumentException>(() => ring.Write(new float[17]));
            Assert.Throws<ArgumentException>(() => ring.Read(new float[17]));
            Assert.Throws<ArgumentNullException>(() => ring.Write(null, 0, 0));
            Assert.Throws<ArgumentNullException>(() => ring.Read(null, 0, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => ring.Write(new float[4], 3, 2));
            Assert.Throws<ArgumentOutOfRangeException>(() => ring.Read(new float[4], -1, 2));
            Assert.Throws<ArgumentOutOfRangeException>(() => ring.Read(new float[4], 0, -1));
            Assert.That(ring.ReadableCount, Is.EqualTo(0), "nothing was written by a rejected call");
        }
    }
}
