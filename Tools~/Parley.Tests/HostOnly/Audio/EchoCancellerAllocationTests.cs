using System;
using NUnit.Framework;
using Parley.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Audio
{
    /// <summary>Steady-state echo cancellation allocates nothing (it runs on the capture path every frame).</summary>
    public class EchoCancellerAllocationTests
    {
        [TestCase(16000)]
        [TestCase(24000)]
        public void Process_ProcessCapture_WriteReference_and_queries_allocate_zero_bytes(int rate)
        {
            var aec = new EchoCanceller(rate);
            // The front end's calls (the output and the guard's view: at 24 kHz two suppressions), on streams of their own.
            var viewed = new EchoCanceller(rate);
            var captured = new EchoCanceller(rate);
            var frame = rate / 100;
            var mic = Signals.WhiteNoise(frame * 50, 0.1, 1);
            var far = Signals.WhiteNoise(frame * 50, 0.1, 2);
            var output = new float[frame];
            var view = new float[frame];
            long position = 0;
            double sink = 0;
            // The first pass JIT-compiles everything; the second is measured.
            long allocated = 0;
            for (var pass = 0; pass < 2; pass++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < 50; i++)
                {
                    aec.Process(mic.AsSpan(i * frame, frame), far.AsSpan(i * frame, frame), output);
                    aec.WriteReference(position + frame, far.AsSpan(i * frame, frame));
                    aec.ProcessCapture(position, mic.AsSpan(i * frame, frame), output);
                    viewed.Process(mic.AsSpan(i * frame, frame), far.AsSpan(i * frame, frame), output, view);
                    captured.WriteReference(position + frame, far.AsSpan(i * frame, frame));
                    captured.ProcessCapture(position, mic.AsSpan(i * frame, frame), output, view);
                    position += frame;
                    sink += aec.EstimatedDelayMs + aec.DelayMs + output[0] + view[0];
                }
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }
            Assert.That(double.IsNaN(sink), Is.False);
            Assert.That(allocated, Is.EqualTo(0));
        }

        [Test]
        public void Learning_and_trimming_a_drift_allocate_zero_bytes()
        {
            // Told 10 ppm off a 0.5 % drift at 24 kHz: the trim takes readings from about 4 s and moves until about 12 s,
            // the streams' estimate runs its windows throughout. The first canceller JIT-compiles the paths.
            var rate = 24000;
            var scene = EchoPathScenes.DriftScene.Make(rate, 0.005, 14, 70);
            var frame = rate / 100;
            var output = new float[frame];
            long allocated = 0;
            double trimBefore = 0, trimAfter = 0;
            for (var pass = 0; pass < 2; pass++)
            {
                var aec = new EchoCanceller(rate) { ClockDriftPpm = 5010 };
                var at = 0;
                for (; at < 2 * rate; at += frame) aec.Process(scene.Mic.AsSpan(at, frame), scene.Far.AsSpan(at, frame), output);
                trimBefore = aec.ClockDriftTrimPpm;
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (; at + frame <= scene.Mic.Length; at += frame) aec.Process(scene.Mic.AsSpan(at, frame), scene.Far.AsSpan(at, frame), output);
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                trimAfter = aec.ClockDriftTrimPpm;
            }
            Assert.That(trimAfter - trimBefore, Is.LessThan(-5), "the trim moved in the measured 12 s");
            Assert.That(allocated, Is.EqualTo(0));
        }

        [Test]
        public void A_warm_start_and_its_trials_allocate_zero_bytes()
        {
            // The room learnt in a first conversation; the second canceller tries it (every second block for 2 s) from the
            // far end's first words and installs it. The first pass JIT-compiles the paths.
            var rate = 24000;
            var room = EchoScenes.RoomImpulse(rate, 0.4, 100, 11);
            var far = EchoScenes.FarSpeech(rate, 6);
            var mic = EchoScenes.Sum(EchoScenes.Echo(far, room, -6), EchoScenes.Noise(far.Length, -60, 3));
            var first = new EchoCanceller(rate);
            EchoScenes.Stream(first, mic, far);
            var learnt = first.SaveRoom();
            Assert.That(learnt, Is.Not.Null);
            var frame = rate / 100;
            var output = new float[frame];
            long allocated = 0;
            var warm = false;
            for (var pass = 0; pass < 2; pass++)
            {
                var aec = new EchoCanceller(rate);
                aec.StartFrom(learnt);
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var at = 0; at + frame <= 3 * rate; at += frame) aec.Process(mic.AsSpan(at, frame), far.AsSpan(at, frame), output);
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                warm = aec.StartedWarm;
            }
            Assert.That(warm, Is.True, "the room was tried and installed in the measured 3 s");
            Assert.That(allocated, Is.EqualTo(0));
        }
    }
}
