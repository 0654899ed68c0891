#if PARLEY_BURST
using System;
using System.Reflection;
using NUnit.Framework;
using Parley.Audio;
using Parley.Audio.Kernels;
using Parley.Burst;
using Parley.Session.Audio;
using Parley.Tests.Support;
using UnityEngine;

namespace Parley.Tests.Unity
{
    /// <summary>
    /// The Burst entry points of the per-frame kernels, run here as plain C# (Burst cannot run outside Unity),
    /// give the managed kernels' output bit for bit on real signals, and the audio path really goes through
    /// <see cref="FrameKernels.Current"/>.
    /// </summary>
    public unsafe class BurstFrameKernelsTests
    {
        static readonly FrameKernels Burst = BurstFrameKernels.Instance;
        static readonly FrameKernels Managed = FrameKernels.Managed;

        /// <summary>Speech made louder than full scale in places (clipping), with noise so rounding matters, and a few non-finite samples.</summary>
        static float[] Speech(int rate)
        {
            var x = TestWav.Speech("npc-price", rate).Samples;
            var noise = Signals.WhiteNoise(x.Length, 0.01, 7);
            var y = new float[x.Length];
            for (var i = 0; i < x.Length; i++) y[i] = x[i] * 2.7f + noise[i];
            y[100] = float.NaN;
            y[200] = float.PositiveInfinity;
            y[300] = float.NegativeInfinity;
            return y;
        }

        static float[] Interleave(float[] left, int channels)
        {
            var right = Signals.WhiteNoise(left.Length, 0.3, 11);
            var x = new float[left.Length * channels];
            for (var f = 0; f < left.Length; f++)
                for (var c = 0; c < channels; c++) x[f * channels + c] = c % 2 == 0 ? left[f] : right[f];
            return x;
        }

        static int FirstBitDifference(float[] a, float[] b)
        {
            Assert.That(b.Length, Is.EqualTo(a.Length));
            for (var i = 0; i < a.Length; i++)
                if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i])) return i;
            return -1;
        }

        static T With<T>(FrameKernels kernels, Func<T> run)
        {
            var before = FrameKernels.Current;
            FrameKernels.Current = kernels;
            try { return run(); }
            finally { FrameKernels.Current = before; }
        }

        [TestCase(2)]
        [TestCase(6)]
        public void Downmix_and_upmix_match_the_managed_kernels(int channels)
        {
            var speech = Speech(48000);
            var interleaved = Interleave(speech, channels);
            var frames = speech.Length;
            var a = new float[frames];
            var b = new float[frames];
            var up1 = new float[frames * channels];
            var up2 = new float[frames * channels];
            fixed (float* s = interleaved)
            fixed (float* pa = a)
            fixed (float* pb = b)
            fixed (float* m = speech)
            fixed (float* u1 = up1)
            fixed (float* u2 = up2)
            {
                Managed.Downmix(s, frames, channels, pa);
                Burst.Downmix(s, frames, channels, pb);
                Managed.Upmix(m, frames, channels, u1);
                Burst.Upmix(m, frames, channels, u2);
            }
            Assert.That(AudioLevel.Rms(a), Is.GreaterThan(0.05f), "a real signal");
            Assert.That(FirstBitDifference(a, b), Is.EqualTo(-1), "downmix");
            Assert.That(FirstBitDifference(up1, up2), Is.EqualTo(-1), "upmix");
        }

        [Test]
        public void Pcm16_conversions_and_level_match_the_managed_kernels()
        {
            var speech = Speech(24000);
            var n = speech.Length;
            var p1 = new short[n];
            var p2 = new short[n];
            var f1 = new float[n];
            var f2 = new float[n];
            float r1, r2;
            fixed (float* s = speech)
            fixed (short* a = p1)
            fixed (short* b = p2)
            fixed (float* fa = f1)
            fixed (float* fb = f2)
            {
                Managed.FloatToPcm16(s, n, a);   // SIMD prefix on this runtime, scalar tail
                Burst.FloatToPcm16(s, n, b);     // the scalar kernel Burst compiles
                Managed.Pcm16ToFloat(a, n, fa);
                Burst.Pcm16ToFloat(a, n, fb);
                r1 = Managed.Rms(s, n);
                r2 = Burst.Rms(s, n);
            }
            Assert.That(Array.IndexOf(p1, short.MaxValue), Is.GreaterThanOrEqualTo(0), "the signal clips somewhere");
            Assert.That(Signals.FirstDifference(p1, p2), Is.EqualTo(-1), "float → PCM16");
            Assert.That(FirstBitDifference(f1, f2), Is.EqualTo(-1), "PCM16 → float");
            Assert.That(BitConverter.SingleToInt32Bits(r2), Is.EqualTo(BitConverter.SingleToInt32Bits(r1)), "RMS");
        }

        [TestCase(48000, 24000)]
        [TestCase(24000, 48000)]
        [TestCase(22050, 48000)]
        [TestCase(44100, 16000)]
        public void Resampling_in_blocks_matches_the_managed_kernel(int from, int to)
        {
            var speech = Speech(from == 22050 ? 22050 : from == 44100 ? 48000 : from);
            float[] Run(FrameKernels k) => With(k, () =>
            {
                var r = new Resampler(from, to);
                var output = new float[r.MaxOutputFor(speech.Length) + 1024];
                var written = 0;
                var rng = new Random(3);
                for (var at = 0; at < speech.Length;)
                {
                    var n = Math.Min(speech.Length - at, rng.Next(1, 1500));
                    written += r.Process(new ReadOnlySpan<float>(speech, at, n), new Span<float>(output, written, output.Length - written));
                    at += n;
                }
                Array.Resize(ref output, written);
                return output;
            });
            var managed = Run(Managed);
            var burst = Run(Burst);
            Assert.That(managed.Length, Is.EqualTo((int)((long)speech.Length * to / from)).Within(2));
            Assert.That(FirstBitDifference(managed, burst), Is.EqualTo(-1));
        }

        [Test]
        public void Playout_render_with_underrun_and_flush_matches_the_managed_kernel()
        {
            var reply = TestWav.Speech("npc-quest", 24000).Samples;
            var pcm = new short[reply.Length];
            PcmConvert.FloatToPcm16(reply, pcm);
            float[] Run(FrameKernels k) => With(k, () =>
            {
                // What AgentVoice does: a speaker at the provider rate drained in DSP blocks of 1024 stereo frames at 48 kHz.
                var speaker = new PlayoutSpeaker(24000, 48000, 1024);
                var heard = new float[1024 * 2 * 200];
                var third = pcm.Length / 3;
                for (var block = 0; block < 200; block++)
                {
                    if (block == 0) speaker.Write("a", new ReadOnlySpan<short>(pcm, 0, third));
                    if (block == 60) speaker.Write("a", new ReadOnlySpan<short>(pcm, third, third));   // after an underrun
                    if (block == 70) { speaker.EndItem("a"); speaker.Write("b", new ReadOnlySpan<short>(pcm, 2 * third, pcm.Length - 2 * third)); }
                    if (block == 90) speaker.Flush();   // interruption: fade-out mid-item
                    if (block == 120) { speaker.Write("c", new ReadOnlySpan<short>(pcm, 0, third)); speaker.EndItem("c"); }
                    speaker.Render(new Span<float>(heard, block * 2048, 2048), 2);
                }
                Assert.That(speaker.Underruns, Is.GreaterThan(0), "the script underruns");
                return heard;
            });
            var managed = Run(Managed);
            var burst = Run(Burst);
            Assert.That(AudioLevel.Rms(managed), Is.GreaterThan(0.01f), "the reply was heard");
            Assert.That(FirstBitDifference(managed, burst), Is.EqualTo(-1));
        }

        [Test]
        public void Install_runs_before_the_first_scene_and_makes_burst_current()
        {
            var install = typeof(BurstFrameKernels).GetMethod(nameof(BurstFrameKernels.Install), BindingFlags.Public | BindingFlags.Static);
            var attribute = install.GetCustomAttribute<RuntimeInitializeOnLoadMethodAttribute>();
            Assert.That(attribute, Is.Not.Null);
            Assert.That(attribute.loadType, Is.EqualTo(RuntimeInitializeLoadType.SubsystemRegistration));
            var before = FrameKernels.Current;
            try
            {
                BurstFrameKernels.Install();   // as Unity calls it
                Assert.That(FrameKernels.Current.Name, Is.EqualTo("burst"));
            }
            finally { FrameKernels.Current = before; }
            Assert.That(FrameKernels.Managed.Name, Is.EqualTo("managed"));
        }

        sealed class NullReadAhead : IPlayoutReadAheadListener
        {
            public void OnQueued(ReadOnlySpan<float> mono, int sampleRate, double playTime) { }
            public void OnCut(double heardAt) { }
        }

        /// <summary>Counts the calls of every entry point (and runs the managed kernels).</summary>
        sealed class Counting : FrameKernels
        {
            public int Downmixes, Upmixes, ToPcm16, Levels, Resamples, Renders, Peeks;
            public override void Downmix(float* src, int frames, int channels, float* dst) { Downmixes++; base.Downmix(src, frames, channels, dst); }
            public override void Upmix(float* src, int frames, int channels, float* dst) { Upmixes++; base.Upmix(src, frames, channels, dst); }
            public override void FloatToPcm16(float* src, int count, short* dst) { ToPcm16++; base.FloatToPcm16(src, count, dst); }
            public override float Rms(float* src, int count) { Levels++; return base.Rms(src, count); }
            public override int Resample(PolyphaseState* state, float* coefficients, float* line, float* input, int frames, float* output) { Resamples++; return base.Resample(state, coefficients, line, input, frames, output); }
            public override int RenderPlayout(PlayoutMemory* memory, float* dst, int count) { Renders++; return base.RenderPlayout(memory, dst, count); }
            public override int PeekPlayout(PlayoutMemory* memory, int from, int flushThrough, float* dst, int max, int* start) { Peeks++; return base.PeekPlayout(memory, from, flushThrough, dst, max, start); }
        }

        [Test]
        public void The_capture_and_playout_frame_paths_go_through_the_current_kernels()
        {
            var counting = new Counting();
            With(counting, () =>
            {
                // Capture: stereo 48 kHz → 24 kHz PCM16 (what VoiceAgent hands the session each frame).
                var front = new ResamplingCaptureFrontEnd(new AudioFormat(48000, 2), 4800);
                front.Configure(24000);
                var block = Interleave(Speech(48000), 2).AsSpan(0, 480 * 2).ToArray();
                var pcm = new short[front.MaxOutputSamples(480)];
                front.Process(block, pcm);
                // Playout: one DSP block through the speaker (what AgentVoice renders on the audio thread).
                var speaker = new PlayoutSpeaker(24000, 48000, 1024);
                speaker.Render(new float[2048], 2);
                // And one with a read-ahead listener (what AgentVoice does when a face lip-syncs).
                speaker.Render(new float[2048], 2, 0.0, new IPlayoutReadAheadListener[] { new NullReadAhead() });
                return 0;
            });
            Assert.That(counting.Downmixes, Is.EqualTo(1), "capture downmix");
            Assert.That(counting.Levels, Is.EqualTo(1), "capture level");
            Assert.That(counting.ToPcm16, Is.EqualTo(1), "capture float → PCM16");
            Assert.That(counting.Resamples, Is.EqualTo(3), "capture and both playout renders resampling");
            Assert.That(counting.Renders, Is.EqualTo(2), "playout render");
            Assert.That(counting.Peeks, Is.EqualTo(1), "playout read-ahead");
            Assert.That(counting.Upmixes, Is.EqualTo(2), "playout upmix");
        }
    }
}
#endif
