using System;
using NUnit.Framework;
using Parley.Session.Audio;

namespace Parley.Tests.HostOnly.Audio
{
    /// <summary>The speaker's Render runs on the audio thread: draining, resampling, carrying frames and reading ahead allocate nothing.</summary>
    public class PlayoutSpeakerAllocationTests
    {
        sealed class Sink : IPlayoutReadAheadListener
        {
            public long Samples;
            public int Cuts;
            public void OnQueued(ReadOnlySpan<float> mono, int sampleRate, double playTime) => Samples += mono.Length;
            public void OnCut(double heardAt) => Cuts++;
        }

        [TestCase(22050, 48000, 480, false)]
        [TestCase(24000, 44100, 512, false)]
        [TestCase(24000, 48000, 256, true)]
        public void Render_allocates_zero_bytes(int providerRate, int engineRate, int block, bool readAhead)
        {
            var sink = new Sink();
            var listeners = new IPlayoutReadAheadListener[] { sink };
            var speaker = new PlayoutSpeaker(providerRate, engineRate, block);
            var reply = new short[providerRate * 4];
            for (var i = 0; i < reply.Length; i++) reply[i] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / providerRate));
            Assert.That(speaker.Write("item", reply), Is.True);
            var buffer = new float[block * 2];
            long allocated = 0, rendered = 0, frame = 0;
            // The first pass JIT-compiles everything; the second is measured (still inside the reply), in a no-GC
            // region so that a background GC cannot charge this thread for bytes it did not allocate (ThreadAllocation).
            for (var pass = 0; pass < 2; pass++)
            {
                allocated = ThreadAllocation.Measure(() =>
                {
                    for (var i = 0; i < 100; i++)
                    {
                        if (readAhead) speaker.Render(buffer, 2, frame / (double)engineRate, listeners);
                        else speaker.Render(buffer, 2);
                        frame += block;
                    }
                });
                rendered = speaker.AgentFramesRendered;
            }
            Assert.That(rendered, Is.EqualTo(200L * block));
            Assert.That(allocated, Is.EqualTo(0));
            if (readAhead) Assert.That(sink.Samples, Is.GreaterThan(100L * block * providerRate / engineRate), "the read-ahead ran");
        }
    }
}
