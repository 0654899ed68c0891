using System;
using System.Collections.Generic;
using NUnit.Framework;
using Parley.Audio;
using Parley.Audio.Kernels;
using Parley.Tests.Support;

namespace Parley.Tests.Audio
{
    public class PlayoutBufferTests
    {
        const int Capacity = 1 << 20;

        /// <summary>Plays <paramref name="ms"/> of output in audio-callback blocks and returns it.</summary>
        static float[] Play(PlayoutBuffer buffer, double ms, int block = 0)
        {
            var total = (int)(ms * buffer.SampleRate / 1000);
            if (block == 0) block = buffer.SampleRate / 100;
            var output = new float[total];
            for (var at = 0; at < total; at += block)
                buffer.Read(new Span<float>(output, at, Math.Min(block, total - at)));
            return output;
        }

        static float[] Concat(params float[][] parts)
        {
            var list = new List<float>();
            foreach (var p in parts) list.AddRange(p);
            return list.ToArray();
        }

        static float[] Slice(float[] x, int start, int count) => new ReadOnlySpan<float>(x, start, count).ToArray();

        static int FirstDifference(float[] actual, float[] expected, int from)
        {
            for (var i = from; i < Math.Min(actual.Length, expected.Length); i++)
                if (actual[i] != expected[i]) return i;
            return -1;
        }

        static int LastNonZero(float[] x)
        {
            for (var i = x.Length - 1; i >= 0; i--) if (x[i] != 0) return i;
            return -1;
        }

        static double MaxStep(float[] x, int from, int to)
        {
            double max = 0;
            for (var i = Math.Max(1, from); i < Math.Min(x.Length, to); i++) max = Math.Max(max, Math.Abs(x[i] - x[i - 1]));
            return max;
        }

        static double Peak(float[] x)
        {
            double max = 0;
            foreach (var v in x) max = Math.Max(max, Math.Abs(v));
            return max;
        }

        static double Db(double ratio) => 20 * Math.Log10(ratio);

        [TestCase("npc-greeting", 24000)]
        [TestCase("trainer-answer", 48000)]
        public void Speech_with_random_chunking_plays_out_exactly_and_the_cursor_counts_every_sample(string clip, int rate)
        {
            var speech = TestWav.Speech(clip, rate).Samples;
            var buffer = new PlayoutBuffer(rate, Capacity, prerollMs: 100);
            var item = buffer.BeginItem();
            var rng = new Random(rate);
            var output = new List<float>();
            var block = new float[rate / 25];
            int written = 0, rendered = 0;
            while (rendered < speech.Length)
            {
                // The producer keeps 150..250 ms ahead in random network-sized chunks; the audio thread asks for 1..40 ms.
                while (written < speech.Length && written - rendered < rate * (150 + rng.Next(100)) / 1000)
                {
                    var n = Math.Min(rng.Next(1, rate / 20), speech.Length - written);
                    Assert.That(buffer.Write(item, new ReadOnlySpan<float>(speech, written, n)), Is.EqualTo(n));
                    written += n;
                    if (written == speech.Length) buffer.EndItem(item);
                }
                var want = rng.Next(1, block.Length);
                rendered += buffer.Read(new Span<float>(block, 0, want));
                Assert.That(buffer.Played(item), Is.EqualTo(rendered));
                output.AddRange(new ReadOnlySpan<float>(block, 0, want).ToArray());
            }

            Assert.That(output.GetRange(0, speech.Length).ToArray(), Is.EqualTo(speech));
            Assert.That(LastNonZero(output.ToArray()), Is.LessThan(speech.Length));
            Assert.That(buffer.Underruns, Is.EqualTo(0));
            Assert.That(buffer.Rendered, Is.EqualTo(speech.Length));
            Assert.That(buffer.Played(item), Is.EqualTo(speech.Length));
            Play(buffer, 20);
            Assert.That(buffer.IsPlaying, Is.False);
            Assert.That(buffer.CurrentItem, Is.EqualTo(item), "the last item heard stays current");
            Assert.That(buffer.BufferedMs, Is.EqualTo(0));
        }

        [Test]
        public void Pre_roll_waits_for_the_target_unless_the_item_is_complete()
        {
            var tone = Signals.Sine(440, 24000, 24000 * 300 / 1000);
            var buffer = new PlayoutBuffer(24000, Capacity, prerollMs: 100);
            var first = buffer.BeginItem();
            buffer.Write(first, Slice(tone, 0, 1200)); // 50 ms
            var silent = Play(buffer, 30);
            Assert.That(LastNonZero(silent), Is.EqualTo(-1));
            Assert.That(buffer.IsPlaying, Is.False);
            Assert.That(buffer.Played(first), Is.EqualTo(0));
            Assert.That(buffer.CurrentItem, Is.EqualTo(0), "nothing heard yet");
            Assert.That(buffer.BufferedMs, Is.EqualTo(50).Within(0.01));

            buffer.Write(first, Slice(tone, 1200, 1200)); // 100 ms now
            var playing = Play(buffer, 20);
            Assert.That(playing, Is.EqualTo(Slice(tone, 0, 480)));
            Assert.That(buffer.IsPlaying, Is.True);
            Assert.That(buffer.CurrentItem, Is.EqualTo(first));

            // A short item that has ended starts at once, and is not held back by the reserve.
            var quick = new PlayoutBuffer(24000, Capacity, prerollMs: 200);
            var second = quick.BeginItem();
            quick.Write(second, Slice(tone, 0, 480));
            quick.EndItem(second);
            var output = Play(quick, 40);
            Assert.That(Slice(output, 0, 480), Is.EqualTo(Slice(tone, 0, 480)));
            Assert.That(LastNonZero(output), Is.LessThan(480));
            Assert.That(quick.Underruns, Is.EqualTo(0));
            Assert.That(quick.Played(second), Is.EqualTo(480));
        }

        [TestCase(24000, 220.0)]
        [TestCase(48000, 220.0)]
        [TestCase(24000, 3000.0)]
        public void Underrun_fades_out_within_5_ms_and_resumes_with_a_fade_in_without_a_click(int rate, double hz)
        {
            var tone = Signals.Sine(hz, rate, rate, amplitude: 0.5);
            // Starve the buffer a quarter period after a zero crossing, where a hard cut would click loudest.
            var cut = rate * 300 / 1000 + (int)Math.Round(rate / hz / 4);
            var buffer = new PlayoutBuffer(rate, Capacity, prerollMs: 60);
            var fade = buffer.FadeSamples;
            Assert.That(fade, Is.LessThanOrEqualTo(rate * 5 / 1000));
            var item = buffer.BeginItem();
            buffer.Write(item, Slice(tone, 0, cut));
            var before = Play(buffer, 400);

            Assert.That(buffer.Underruns, Is.EqualTo(1));
            Assert.That(buffer.IsPlaying, Is.False);
            var fadeStart = FirstDifference(before, tone, 0);
            var lastSound = LastNonZero(before);
            Assert.That(fadeStart, Is.EqualTo(cut - fade + 1), "exact until the held-back reserve (whose first sample keeps full gain)");
            Assert.That(lastSound - fadeStart + 1, Is.LessThanOrEqualTo(fade), "fade-out length");
            Assert.That(buffer.Played(item), Is.EqualTo(cut), "faded samples count as heard");

            // The producer catches up: playback resumes after pre-roll with a fade-in, then exactly the signal.
            buffer.Write(item, Slice(tone, cut, rate - cut));
            buffer.EndItem(item);
            var after = Play(buffer, 800);
            var resumeAt = Array.FindIndex(after, v => v != 0);
            var resumed = Slice(tone, cut, rate - cut);
            var fadeInEnd = FirstDifference(Slice(after, resumeAt, resumed.Length), resumed, fade);
            Assert.That(fadeInEnd, Is.EqualTo(-1), "exact after the fade-in");
            Assert.That(FirstDifference(Slice(after, resumeAt, fade), Slice(resumed, 0, fade), 0), Is.GreaterThanOrEqualTo(0), "fade-in applied");
            Assert.That(buffer.Played(item), Is.EqualTo(rate));
            Assert.That(buffer.Underruns, Is.EqualTo(1));

            // Clicks: the largest sample-to-sample step across each transition, relative to the signal's own.
            var natural = MaxStep(tone, 0, tone.Length);
            var outStep = MaxStep(before, fadeStart - 1, lastSound + 3);
            var inStep = MaxStep(after, resumeAt - 2, resumeAt + fade + 1);
            var hardCut = Math.Abs(tone[cut - fade]);
            TestContext.WriteLine($"{rate} Hz, {hz} Hz tone: natural max step {Db(natural / 0.5):F1} dB re peak; fade-out {Db(outStep / 0.5):F1} dB; fade-in {Db(inStep / 0.5):F1} dB; a hard cut here would step {Db(hardCut / 0.5):F1} dB; fade {fade} samples = {fade * 1000.0 / rate:F2} ms");
            Assert.That(Db(outStep / natural), Is.LessThan(1.5), "fade-out step vs the signal's largest step (dB)");
            Assert.That(Db(inStep / natural), Is.LessThan(1.5), "fade-in step vs the signal's largest step (dB)");
        }

        [TestCase(24000)]
        [TestCase(48000)]
        public void Flush_fades_the_speech_out_within_5_ms_discards_the_rest_and_the_next_item_plays_exactly(int rate)
        {
            var speech = TestWav.Speech("npc-price", rate).Samples;
            var buffer = new PlayoutBuffer(rate, Capacity, prerollMs: 100);
            var fade = buffer.FadeSamples;
            var answer = buffer.BeginItem();
            buffer.Write(answer, speech);
            var heard = rate * 600 / 1000;
            var before = Play(buffer, 600);
            Assert.That(before, Is.EqualTo(Slice(speech, 0, heard)));

            buffer.Flush();
            var after = Play(buffer, 100);
            var lastSound = LastNonZero(after);
            Assert.That(lastSound + 1, Is.LessThanOrEqualTo(fade), "fade-out length after flush");
            Assert.That(buffer.Played(answer), Is.EqualTo(heard + fade), "the cursor stops at what was heard");
            Assert.That(buffer.Discarded, Is.EqualTo(speech.Length - heard - fade));
            Assert.That(buffer.IsPlaying, Is.False);
            Assert.That(buffer.BufferedMs, Is.EqualTo(0));

            var joined = Concat(before, after);
            var step = MaxStep(joined, heard - 1, heard + fade + 2);
            var natural = MaxStep(speech, 0, speech.Length);
            var peak = Peak(speech);
            TestContext.WriteLine($"{rate} Hz speech: flush fade {fade} samples = {fade * 1000.0 / rate:F2} ms; max step {Db(step / peak):F1} dB re peak, the speech's own largest step {Db(natural / peak):F1} dB; a hard cut would step {Db(Math.Abs(speech[heard]) / peak):F1} dB");
            Assert.That(step, Is.LessThanOrEqualTo(natural));

            // Late audio for the cut item is discarded on arrival; the next item plays from its first sample.
            Assert.That(buffer.Write(answer, Slice(speech, 0, 480)), Is.EqualTo(0));
            Assert.That(buffer.Discarded, Is.EqualTo(speech.Length - heard - fade + 480));
            var next = buffer.BeginItem();
            var reply = TestWav.Speech("user-interrupt", rate).Samples;
            Assert.That(buffer.Write(next, reply), Is.EqualTo(reply.Length));
            buffer.EndItem(next);
            var replyOut = Play(buffer, reply.Length * 1000.0 / rate + 50);
            Assert.That(Slice(replyOut, 0, reply.Length), Is.EqualTo(reply));
            Assert.That(buffer.Played(next), Is.EqualTo(reply.Length));
            Assert.That(buffer.Played(answer), Is.EqualTo(heard + fade), "a flushed item's cursor is final");
            Assert.That(buffer.Underruns, Is.EqualTo(0));
        }

        [TestCase(24000)]
        [TestCase(48000)]
        public void Flush_of_a_low_tone_at_its_peak_does_not_click(int rate)
        {
            var tone = Signals.Sine(220, rate, rate, amplitude: 0.5);
            var buffer = new PlayoutBuffer(rate, Capacity, prerollMs: 50);
            var item = buffer.BeginItem();
            buffer.Write(item, tone);
            var heard = rate * 200 / 1000 + (int)Math.Round(rate / 220.0 / 4); // at a peak
            var before = Play(buffer, heard * 1000.0 / rate, heard);
            buffer.Flush();
            var after = Play(buffer, 20);
            var fade = buffer.FadeSamples;
            var natural = MaxStep(tone, 0, tone.Length);
            var step = MaxStep(Concat(before, after), heard - 1, heard + fade + 2);
            TestContext.WriteLine($"{rate} Hz, 220 Hz tone flushed at its peak: max step {Db(step / 0.5):F1} dB re peak (tone's own {Db(natural / 0.5):F1} dB, hard cut {Db(Math.Abs(tone[heard]) / 0.5):F1} dB)");
            Assert.That(LastNonZero(after) + 1, Is.LessThanOrEqualTo(fade));
            Assert.That(Db(step / natural), Is.LessThan(1.5));
            Assert.That(buffer.Played(item), Is.EqualTo(heard + fade));
        }

        [Test]
        public void Across_real_threads_every_sample_is_rendered_once_in_order_and_only_fades_alter_it()
        {
            // A tone riding on a DC offset is never zero, so the rendered samples can be picked out of the silence
            // and matched one to one against what was written, whatever underruns the scheduling causes.
            const int rate = 24000;
            var items = new[] { 2 * rate, rate / 2, 3 * rate };
            var signal = new List<float[]>();
            foreach (var n in items)
            {
                var s = Signals.Sine(330, rate, n, amplitude: 0.2);
                for (var i = 0; i < n; i++) s[i] += 0.3f;
                signal.Add(s);
            }
            var buffer = new PlayoutBuffer(rate, 1 << 16, prerollMs: 20);
            var handles = new int[items.Length];
            for (var k = 0; k < items.Length; k++) handles[k] = buffer.BeginItem();
            var producer = new System.Threading.Thread(() =>
            {
                var rng = new Random(5);
                for (var k = 0; k < items.Length; k++)
                {
                    for (var at = 0; at < items[k];)
                    {
                        var n = Math.Min(rng.Next(1, 2000), items[k] - at);
                        at += buffer.Write(handles[k], new ReadOnlySpan<float>(signal[k], at, n)); // what was dropped is sent again
                        if (rng.Next(8) == 0) System.Threading.Thread.Sleep(1);
                    }
                    buffer.EndItem(handles[k]);
                }
            }) { IsBackground = true };
            producer.Start();

            var total = 0;
            foreach (var n in items) total += n;
            var output = new List<float>();
            var block = new float[240];
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (buffer.Rendered < total && DateTime.UtcNow < deadline)
            {
                buffer.Read(block);
                output.AddRange(block);
            }
            Assert.That(producer.Join(TimeSpan.FromSeconds(30)), Is.True);
            Assert.That(buffer.Rendered, Is.EqualTo(total));

            var expected = Concat(signal.ToArray());
            var sounding = output.FindAll(v => v != 0);
            Assert.That(sounding.Count, Is.EqualTo(total), "each written sample rendered once");
            var altered = 0;
            for (var i = 0; i < total; i++)
            {
                if (sounding[i] == expected[i]) continue;
                altered++;
                Assert.That(sounding[i] / expected[i], Is.GreaterThan(0f).And.LessThan(1f), "sample " + i + " is the written one under a fade gain");
            }
            TestContext.WriteLine($"{buffer.Underruns} underruns, {altered} samples under fades");
            Assert.That(altered, Is.LessThanOrEqualTo(2 * buffer.FadeSamples * buffer.Underruns));
            for (var k = 0; k < items.Length; k++) Assert.That(buffer.Played(handles[k]), Is.EqualTo(items[k]));
            Assert.That(buffer.Discarded, Is.EqualTo(0));
        }

        [TestCase(false)]
        [TestCase(true)]   // time-stretch: staged samples count as buffered, their source credited or discarded
        public void Flushes_from_a_third_thread_account_for_every_sample_offered(bool timeStretch)
        {
            // Producer, audio thread and an interrupting thread run at once. Every sample offered must end up in
            // exactly one place: rendered (credited to its item), discarded by a flush, dropped, or still buffered.
            const int rate = 24000, itemCount = 40, itemLength = rate / 2;
            var tone = Signals.Sine(200, rate, itemLength, amplitude: 0.2);
            for (var i = 0; i < itemLength; i++) tone[i] += 0.3f;
            var buffer = new PlayoutBuffer(rate, 1 << 15, prerollMs: 20, timeStretch: timeStretch);
            var handles = new int[itemCount];
            long offered = 0;
            var producerDone = false;
            var producer = new System.Threading.Thread(() =>
            {
                var rng = new Random(9);
                for (var k = 0; k < itemCount; k++)
                {
                    handles[k] = buffer.BeginItem();
                    for (var at = 0; at < itemLength;)
                    {
                        var n = Math.Min(rng.Next(1, 3000), itemLength - at);
                        buffer.Write(handles[k], new ReadOnlySpan<float>(tone, at, n));
                        offered += n;
                        at += n;
                        if (rng.Next(4) == 0) System.Threading.Thread.Sleep(1);
                    }
                    buffer.EndItem(handles[k]);
                }
                System.Threading.Volatile.Write(ref producerDone, true);
            }) { IsBackground = true };
            var flusher = new System.Threading.Thread(() =>
            {
                var rng = new Random(4);
                while (!System.Threading.Volatile.Read(ref producerDone))
                {
                    System.Threading.Thread.Sleep(rng.Next(5, 40));
                    buffer.Flush();
                }
            }) { IsBackground = true };
            var block = new float[240];
            var outOfRange = 0;
            var consumer = new System.Threading.Thread(() =>
            {
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while ((!System.Threading.Volatile.Read(ref producerDone) || buffer.BufferedSamples > 0) && DateTime.UtcNow < deadline)
                {
                    buffer.Read(block);
                    foreach (var v in block)
                        if (v < 0 || v > 0.5f + 1e-6f) outOfRange++;
                }
            }) { IsBackground = true };
            producer.Start();
            flusher.Start();
            consumer.Start();
            Assert.That(producer.Join(TimeSpan.FromSeconds(60)), Is.True);
            Assert.That(flusher.Join(TimeSpan.FromSeconds(10)), Is.True);
            Assert.That(consumer.Join(TimeSpan.FromSeconds(70)), Is.True);
            for (var i = 0; i < 20; i++) buffer.Read(block); // finish any fade in progress

            long played = 0;
            foreach (var h in handles)
            {
                Assert.That(buffer.Played(h), Is.InRange(0, itemLength));
                played += buffer.Played(h);
            }
            TestContext.WriteLine($"offered {offered}: rendered {buffer.Rendered}, discarded {buffer.Discarded}, dropped {buffer.Dropped}, underruns {buffer.Underruns}, expanded {buffer.Expanded}, accelerated {buffer.Accelerated}");
            Assert.That(outOfRange, Is.EqualTo(0), "rendered samples outside the signal's range (only fades may scale it)");
            Assert.That(played, Is.EqualTo(buffer.Rendered));
            Assert.That(buffer.Rendered + buffer.Discarded + buffer.Dropped + buffer.BufferedSamples, Is.EqualTo(offered));
            Assert.That(buffer.Played(handles[itemCount - 1]) + buffer.Discarded, Is.GreaterThan(0));
        }

        [Test]
        public unsafe void Playout_kernel_counters_wrapping_past_int_MaxValue_keep_items_and_cursors_exact()
        {
            // PlayoutBuffer always starts its counters at 0; drive the kernel directly from just before the
            // 32-bit wrap (hours of audio in), with two items and an underrun in between.
            const int fade = 120, start = int.MaxValue - 3000;
            var a = TestWav.Speech("npc-greeting", 24000).Samples;
            var b = TestWav.Speech("npc-price", 24000).Samples;
            var samples = new float[1 << 14];
            var segmentItem = new int[16];
            var segmentStart = new int[16];
            var played = new long[16];
            var gain = new float[fade + 1];
            for (var i = 0; i <= fade; i++) gain[i] = (float)(0.5 - 0.5 * Math.Cos(Math.PI * i / fade));
            var state = new PlayoutState { FadeLength = fade, PrerollSamples = 2400, ItemMask = 15, CompleteThrough = start };
            var ring = new SpscRingState();
            var segments = new SpscRingState();
            var output = new List<float>();
            var block = new float[480];
            fixed (float* pSamples = samples, pGain = gain, pA = a, pB = b, pBlock = block)
            fixed (int* pItem = segmentItem, pStart = segmentStart)
            fixed (long* pPlayed = played)
            {
                SpscRingKernel.Init(&ring, samples.Length);
                SpscRingKernel.Init(&segments, segmentItem.Length);
                ring.Written = ring.Read = start;
                var m = new PlayoutMemory
                {
                    State = &state, Ring = &ring, Samples = pSamples, Segments = &segments,
                    SegmentItem = pItem, SegmentStart = pStart, Played = pPlayed, FadeGain = pGain,
                };
                // Each item is written past pre-roll before the first render that can play it, so it starts on a block edge.
                int wa = 0, wb = 0, bAt = 0;
                Assert.That(PlayoutKernel.PushSegment(&m, 1), Is.True);
                while (output.Count < a.Length + 4800)
                {
                    if (wa < a.Length) wa += SpscRingKernel.Write(&ring, pSamples, pA + wa, Math.Min(700, a.Length - wa));
                    if (wa == a.Length) state.CompleteThrough = ring.Written;
                    if (wa < 3000) continue;
                    PlayoutKernel.Render(&m, pBlock, block.Length);
                    output.AddRange(block);
                }
                Assert.That(PlayoutKernel.PushSegment(&m, 2), Is.True);
                bAt = output.Count;
                while (output.Count < bAt + b.Length + 4800)
                {
                    if (wb < b.Length) wb += SpscRingKernel.Write(&ring, pSamples, pB + wb, Math.Min(700, b.Length - wb));
                    if (wb == b.Length) state.CompleteThrough = ring.Written;
                    if (wb < 3000) continue;
                    PlayoutKernel.Render(&m, pBlock, block.Length);
                    output.AddRange(block);
                }
                var o = output.ToArray();
                Assert.That(Slice(o, 0, a.Length), Is.EqualTo(a));
                Assert.That(LastNonZero(Slice(o, a.Length, bAt - a.Length)), Is.EqualTo(-1), "silence between the items");
                Assert.That(Slice(o, bAt, b.Length), Is.EqualTo(b));
            }
            Assert.That(ring.Read, Is.LessThan(0), "the counters did wrap");
            Assert.That(played[1], Is.EqualTo(a.Length));
            Assert.That(played[2], Is.EqualTo(b.Length));
            Assert.That(state.Underruns, Is.EqualTo(0), "a gap between ended items is not an underrun");
            Assert.That(state.CurrentItem, Is.EqualTo(2));
        }

        [Test]
        public void Items_play_back_to_back_each_with_its_own_cursor()
        {
            var a = TestWav.Speech("npc-greeting", 24000).Samples;
            var b = TestWav.Speech("npc-quest", 24000).Samples;
            var buffer = new PlayoutBuffer(24000, Capacity);
            var first = buffer.BeginItem();
            var second = buffer.BeginItem();
            buffer.Write(first, a);
            buffer.EndItem(first);
            buffer.Write(second, b);
            buffer.EndItem(second);

            var output = Play(buffer, 200);
            Assert.That(buffer.CurrentItem, Is.EqualTo(first));
            Assert.That(buffer.Played(first), Is.EqualTo(4800));
            Assert.That(buffer.Played(second), Is.EqualTo(0));
            output = Concat(output, Play(buffer, (a.Length + b.Length) * 1000.0 / 24000));
            Assert.That(Slice(output, 0, a.Length + b.Length), Is.EqualTo(Concat(a, b)));
            Assert.That(buffer.CurrentItem, Is.EqualTo(second));
            Assert.That(buffer.Played(first), Is.EqualTo(a.Length));
            Assert.That(buffer.Played(second), Is.EqualTo(b.Length));
            Assert.That(buffer.Rendered, Is.EqualTo(a.Length + b.Length));
        }

        [Test]
        public void Pcm16_writes_convert_exactly_like_the_wav_reader()
        {
            var speech = TestWav.Speech("trainer-step", 24000).Samples;
            var pcm = new short[speech.Length];
            for (var i = 0; i < pcm.Length; i++) pcm[i] = (short)Math.Round(speech[i] * 32768f);
            var buffer = new PlayoutBuffer(24000, Capacity);
            var item = buffer.BeginItem();
            Assert.That(buffer.Write(item, new ReadOnlySpan<short>(pcm)), Is.EqualTo(pcm.Length));
            buffer.EndItem(item);
            var output = Play(buffer, speech.Length * 1000.0 / 24000);
            Assert.That(output, Is.EqualTo(speech));
        }

        [Test]
        public void Overflow_keeps_what_fits_drops_the_rest_and_counts_it_exactly()
        {
            var noise = Signals.WhiteNoise(10000, 0.3, 11);
            var buffer = new PlayoutBuffer(24000, 4096, prerollMs: 20);
            var item = buffer.BeginItem();
            var accepted = 0;
            for (var at = 0; at < noise.Length; at += 1000)
                accepted += buffer.Write(item, noise, at, 1000);
            Assert.That(accepted, Is.EqualTo(4096));
            Assert.That(buffer.Dropped, Is.EqualTo(10000 - 4096));
            buffer.EndItem(item);
            var output = Play(buffer, 4096 * 1000.0 / 24000);
            Assert.That(output, Is.EqualTo(Slice(noise, 0, 4096)));

            // Item changes are bounded too: runs beyond MaxBufferedRuns are dropped and counted.
            var many = new PlayoutBuffer(24000, 4096);
            for (var i = 0; i < PlayoutBuffer.MaxBufferedRuns + 44; i++)
            {
                var h = many.BeginItem();
                many.Write(h, noise, i, 3);
            }
            Assert.That(many.Dropped, Is.EqualTo(44 * 3));
            Assert.That(many.BufferedSamples, Is.EqualTo(PlayoutBuffer.MaxBufferedRuns * 3));
        }

        [Test]
        public void Reads_of_any_size_fill_silence_and_never_throw()
        {
            var buffer = new PlayoutBuffer(24000, 1024, prerollMs: 10);
            var item = buffer.BeginItem();
            var tone = Signals.Sine(440, 24000, 1024);
            buffer.Write(item, tone);
            buffer.EndItem(item);
            var big = new float[5000];
            for (var i = 0; i < big.Length; i++) big[i] = 1;
            Assert.That(buffer.Read(big), Is.EqualTo(1024));
            Assert.That(Slice(big, 0, 1024), Is.EqualTo(tone));
            Assert.That(LastNonZero(big), Is.LessThan(1024));
            Assert.That(buffer.Read(Span<float>.Empty), Is.EqualTo(0));
        }

        [Test]
        public void Bad_input_is_rejected_with_typed_errors_at_the_producer_boundary()
        {
            Assert.Throws<ArgumentException>(() => new PlayoutBuffer(24000, 3000));
            Assert.Throws<ArgumentOutOfRangeException>(() => new PlayoutBuffer(24000, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => new PlayoutBuffer(4000, 1024));
            Assert.Throws<ArgumentOutOfRangeException>(() => new PlayoutBuffer(24000, 1024, fadeMs: 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => new PlayoutBuffer(24000, 1024, fadeMs: 6));
            Assert.Throws<ArgumentOutOfRangeException>(() => new PlayoutBuffer(24000, 1024, prerollMs: -1));
            Assert.Throws<ArgumentOutOfRangeException>(() => new PlayoutBuffer(24000, 1024, prerollMs: 50));

            var buffer = new PlayoutBuffer(24000, 4096);
            Assert.Throws<ArgumentException>(() => buffer.Write(1, new float[4]));
            Assert.Throws<ArgumentException>(() => buffer.Played(1));
            var item = buffer.BeginItem();
            Assert.Throws<ArgumentException>(() => buffer.Write(0, new float[4]));
            Assert.Throws<ArgumentException>(() => buffer.Write(item + 1, new float[4]));
            Assert.Throws<ArgumentNullException>(() => buffer.Write(item, null, 0, 0));
            Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Write(item, new float[4], 2, 3));
            buffer.EndItem(item);
            Assert.Throws<InvalidOperationException>(() => buffer.Write(item, new float[4]));
            Assert.That(buffer.BufferedSamples, Is.EqualTo(0), "rejected writes leave nothing behind");

            for (var i = 0; i < PlayoutBuffer.TrackedItems; i++) buffer.BeginItem();
            Assert.Throws<ArgumentException>(() => buffer.Played(item), "evicted from tracking");
        }
    }
}
