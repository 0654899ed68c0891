using System;
using NUnit.Framework;
using Parley.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Audio
{
    /// <summary>Steady-state resampling allocates nothing (the audio thread must not feed the GC).</summary>
    public class ResamplerAllocationTests
    {
        [TestCase(48000, 16000, 1)]
        [TestCase(24000, 48000, 2)]
        [TestCase(44100, 48000, 1)]
        public void Process_Flush_and_queries_allocate_zero_bytes(int inRate, int outRate, int channels)
        {
            var r = new Resampler(inRate, outRate, channels);
            var chunk = inRate / 50 * channels;
            var input = Signals.WhiteNoise(chunk * 10, 0.5, 1);
            var output = new float[(r.MaxOutputFor(chunk / channels) + r.MaxFlushFrames) * channels];
            // The first pass JIT-compiles everything. Tiered compilation can still promote a method (allocating once)
            // during a later pass on a loaded machine, so the least of three measured passes counts: an allocation
            // per call would show in every one.
            long allocated = 0;
            var frames = 0;
            for (var pass = 0; pass < 4; pass++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < 10; i++)
                {
                    frames += r.InputNeededFor(r.OutputFramesFor(chunk / channels));
                    frames += r.Process(input.AsSpan(i * chunk, chunk), output);
                }
                frames += r.Flush(output);
                r.Reset();
                var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
                allocated = pass == 1 ? bytes : Math.Min(allocated, bytes);
            }
            Assert.That(frames, Is.GreaterThan(0));
            Assert.That(allocated, Is.EqualTo(0));
        }
    }
}
