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
            var frame = rate / 100;
            var mic = Signals.WhiteNoise(frame * 50, 0.1, 1);
            var far = Signals.WhiteNoise(frame * 50, 0.1, 2);
            var output = new float[frame];
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
                    position += frame;
                    sink += aec.EstimatedDelayMs + aec.DelayMs + output[0];
                }
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }
            Assert.That(double.IsNaN(sink), Is.False);
            Assert.That(allocated, Is.EqualTo(0));
        }
    }
}
