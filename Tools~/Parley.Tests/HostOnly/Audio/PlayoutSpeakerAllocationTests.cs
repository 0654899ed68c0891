using System;
using NUnit.Framework;
using Parley.Session.Audio;

namespace Parley.Tests.HostOnly.Audio
{
    /// <summary>The speaker's Render runs on the audio thread: draining, resampling and carrying frames allocate nothing.</summary>
    public class PlayoutSpeakerAllocationTests
    {
        [TestCase(22050, 48000, 480)]
        [TestCase(24000, 44100, 512)]
        public void Render_allocates_zero_bytes(int providerRate, int engineRate, int block)
        {
            var speaker = new PlayoutSpeaker(providerRate, engineRate, block);
            var reply = new short[providerRate * 4];
            for (var i = 0; i < reply.Length; i++) reply[i] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / providerRate));
            Assert.That(speaker.Write("item", reply), Is.True);
            var buffer = new float[block * 2];
            long allocated = 0, rendered = 0;
            // The first pass JIT-compiles everything; the second is measured (still inside the reply), in a no-GC
            // region so that a background GC cannot charge this thread for bytes it did not allocate (ThreadAllocation).
            for (var pass = 0; pass < 2; pass++)
            {
                allocated = ThreadAllocation.Measure(() => { for (var i = 0; i < 100; i++) speaker.Render(buffer, 2); });
                rendered = speaker.AgentFramesRendered;
            }
            Assert.That(rendered, Is.EqualTo(200L * block));
            Assert.That(allocated, Is.EqualTo(0));
        }
    }
}
