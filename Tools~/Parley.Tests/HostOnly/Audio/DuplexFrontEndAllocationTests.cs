using System;
using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Audio
{
    public class DuplexFrontEndAllocationTests
    {
        /// <summary>
        /// The default front end (canceller, both predictors, the canceller's spectra) allocates nothing per tick once
        /// configured, on .NET. Host-only: under Mono 6.8 the same loop allocated 48 kB per second of audio (not located;
        /// the canceller with <see cref="Parley.Audio.EchoCoherence"/> alone allocates nothing there, EchoCoherenceTests).
        /// </summary>
        [Test]
        public void A_tick_allocates_nothing()
        {
            var scene = DuplexScenes.Make(4, 0.4, 100, -6, 9, "user-interrupt", 2000, -6);
            using (var f = DuplexScenes.EnergyFrontEnd(24000))
            {
                var tick = DuplexScenes.EngineRate / 100;
                var pcm = new short[f.MaxOutputSamples(tick)];
                var least = long.MaxValue;
                var ticks = 0;
                var quarter = scene.Mic.Length / tick / 4 * tick;
                for (var pass = 0; pass < 4; pass++)
                {
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    for (var at = pass * quarter; at < (pass + 1) * quarter; at += tick, ticks++)
                    {
                        f.WriteReference(at, new ReadOnlySpan<float>(scene.Played, at, tick));
                        f.Process(new ReadOnlySpan<float>(scene.Mic, at, tick), pcm);
                    }
                    least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
                }
                Assert.That(ticks, Is.GreaterThan(300));
                Assert.That(least, Is.EqualTo(0), "bytes allocated in the quietest quarter");
            }
        }
    }
}
