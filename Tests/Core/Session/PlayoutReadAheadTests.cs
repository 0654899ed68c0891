using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Session.Audio;

namespace Parley.Tests.Session
{
    /// <summary>
    /// PlayoutSpeaker's read-ahead: listeners get the queued audio before it is rendered, stamped with when it is heard.
    /// The expectations come from the rendered output (where each marker comes out, when it falls silent), not from the
    /// read-ahead's own arithmetic.
    /// </summary>
    public class PlayoutReadAheadTests
    {
        const double Latency = 0.021;

        sealed class Recorder : IPlayoutReadAheadListener
        {
            public double RenderTime;   // the render in progress (its dspTime), set by the test
            public readonly List<(double Time, float Value, double Known)> Samples = new List<(double, float, double)>();
            public readonly List<(double HeardAt, int SamplesBefore)> Cuts = new List<(double, int)>();
            public int Rate;

            public void OnQueued(ReadOnlySpan<float> mono, int sampleRate, double playTime)
            {
                Rate = sampleRate;
                for (var i = 0; i < mono.Length; i++) Samples.Add((playTime + i / (double)sampleRate, mono[i], RenderTime));
            }

            public void OnCut(double heardAt) => Cuts.Add((heardAt, Samples.Count));
        }

        /// <summary>Renders blocks, returning the output with the time each block is heard (block start + latency).</summary>
        static List<(double Time, float Value)> Render(PlayoutSpeaker speaker, Recorder recorder, int block, ref long frame, int blocks)
        {
            var output = new List<(double, float)>();
            var buffer = new float[block];
            var listeners = new IPlayoutReadAheadListener[] { recorder };
            for (var b = 0; b < blocks; b++)
            {
                var dsp = frame / (double)speaker.EngineSampleRate;
                recorder.RenderTime = dsp;
                speaker.Render(buffer, 1, dsp + Latency, listeners);
                for (var i = 0; i < block; i++) output.Add((dsp + Latency + i / (double)speaker.EngineSampleRate, buffer[i]));
                frame += block;
            }
            return output;
        }

        static short[] Pcm(float[] x) => x.Select(v => (short)Math.Round(v * 32767)).ToArray();

        /// <summary>
        /// Clicks every 100 ms: each reaches the listener once, stamped within a tenth of a millisecond of where its peak
        /// comes out of the speaker (after resampling), and at least the lipsync analyser's delay (25 ms window / 2 +
        /// 30 ms lookahead) plus the output latency before that, from the render that first saw it.
        /// </summary>
        [TestCase(24000, 48000, 256)]
        [TestCase(48000, 48000, 256)]
        [TestCase(24000, 44100, 512)]
        [TestCase(16000, 48000, 1024)]
        public void Queued_audio_reaches_listeners_ahead_of_the_render_stamped_with_when_it_is_heard(int providerRate, int engineRate, int block)
        {
            var speaker = new PlayoutSpeaker(providerRate, engineRate, block);
            var recorder = new Recorder();
            long frame = 0;
            Render(speaker, recorder, block, ref frame, 10);   // silence before the reply
            var clip = new float[providerRate * 2];
            var clicks = new List<int>();
            for (var at = providerRate / 10; at < clip.Length - providerRate / 10; at += providerRate / 10)
            {
                clip[at] = 0.9f;
                clicks.Add(at);
            }
            Assert.That(speaker.Write("reply", Pcm(clip)), Is.True);
            speaker.EndItem("reply");
            var output = Render(speaker, recorder, block, ref frame, (int)(2.5 * engineRate / block));

            Assert.That(recorder.Rate, Is.EqualTo(providerRate), "the queued audio comes at the playout's rate");
            var stamped = recorder.Samples.Where(s => s.Value > 0.5f).ToList();
            Assert.That(stamped.Count, Is.EqualTo(clicks.Count), "each click handed on once");
            // Where each click is heard: the output's peak near it (the resampler spreads it over a few samples).
            var peaks = new List<double>();
            for (var i = 1; i + 1 < output.Count; i++)
                if (output[i].Value > 0.3f && output[i].Value >= output[i - 1].Value && output[i].Value > output[i + 1].Value) peaks.Add(output[i].Time);
            Assert.That(peaks.Count, Is.EqualTo(clicks.Count), "each click heard once");
            var resolution = 1.0 / engineRate + 1.0 / providerRate;
            for (var k = 0; k < clicks.Count; k++)
            {
                Assert.That(stamped[k].Time, Is.EqualTo(peaks[k]).Within(resolution), "click " + k + ": stamped when it is heard");
                Assert.That(peaks[k] - stamped[k].Known, Is.GreaterThanOrEqualTo(Latency + 0.0125 + 0.030),
                    "click " + k + ": known before it is heard by more than the output latency and the analyser's delay");
            }

            // One stream that keeps time: consecutive stamps one sample apart, silence included.
            for (var i = 1; i < recorder.Samples.Count; i++)
                Assert.That(recorder.Samples[i].Time - recorder.Samples[i - 1].Time, Is.EqualTo(1.0 / providerRate).Within(0.51 / providerRate), "sample " + i);
            Assert.That(recorder.Samples.Last().Time, Is.GreaterThanOrEqualTo(output.Last().Time - 1.0 / providerRate), "silence handed on up to what was rendered");
        }

        /// <summary>
        /// An interruption in the middle of a reply: the listener is told when the cut is heard (where the output falls
        /// silent), nothing it is handed afterwards is cut audio, and the next reply arrives stamped when it is heard.
        /// </summary>
        [TestCase(256)]
        [TestCase(1024)]
        public void A_cut_drops_the_read_ahead_and_is_reported_when_it_is_heard(int block)
        {
            var speaker = new PlayoutSpeaker(24000, 48000, block);
            var recorder = new Recorder();
            long frame = 0;
            var tone = new float[48000];
            for (var i = 0; i < tone.Length; i++) tone[i] = 0.5f * (float)Math.Sin(2 * Math.PI * 220 * i / 24000.0);
            speaker.Write("a", Pcm(tone));
            var output = Render(speaker, recorder, block, ref frame, 48000 / 2 / block);
            speaker.Flush();
            output.AddRange(Render(speaker, recorder, block, ref frame, 48000 / 4 / block));
            var secondAt = output.Count;
            for (var i = 0; i < tone.Length; i++) tone[i] *= 0.5f;
            speaker.Write("b", Pcm(tone));
            speaker.EndItem("b");
            output.AddRange(Render(speaker, recorder, block, ref frame, 48000 / 2 / block));

            // Where the output falls silent after the flush (the end of its fade-out and the resampler's ring-out), and
            // where the second reply is first heard.
            var lastLoud = output.FindLastIndex(secondAt - 1, secondAt, o => Math.Abs(o.Value) > 1e-3f);
            var silentAt = output[lastLoud].Time;
            var second = output.FindIndex(secondAt, o => Math.Abs(o.Value) > 1e-3f);
            Assert.That(second, Is.GreaterThan(secondAt));
            Assert.That(recorder.Cuts.Count, Is.EqualTo(1), "one cut");
            var cut = recorder.Cuts[0];
            Assert.That(cut.HeardAt, Is.EqualTo(silentAt).Within(0.001), "reported when the output falls silent");

            var before = recorder.Samples.Take(cut.SamplesBefore).ToList();
            Assert.That(before.Count(s => s.Time > cut.HeardAt + 0.005 && Math.Abs(s.Value) > 0.01f), Is.GreaterThan(24000 * 0.020),
                "more than 20 ms of the cut reply was read ahead of the cut (the audio the listener must drop)");
            var after = recorder.Samples.Skip(cut.SamplesBefore).ToList();
            Assert.That(after.First().Time, Is.EqualTo(cut.HeardAt).Within(1.0 / 24000), "the new stream starts at the cut");
            var firstSecond = after.FindIndex(s => Math.Abs(s.Value) > 1e-3f);
            Assert.That(after.Take(firstSecond).All(s => s.Value == 0f), "nothing of the cut reply after the cut");
            Assert.That(after[firstSecond].Time, Is.EqualTo(output[second].Time).Within(0.001), "the second reply stamped when it is heard");
            Assert.That(after.Skip(firstSecond).Max(s => Math.Abs(s.Value)), Is.LessThan(0.26f), "only the second reply (half the level) after it");
        }
    }
}
