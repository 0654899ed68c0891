using System;
using NUnit.Framework;
using Parley.Session.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.Session
{
    public class DuplexFrontEndAllocationTests
    {
        /// <summary>
        /// The default front end (canceller, both predictors, the canceller's spectra) allocates nothing per tick once
        /// configured, on .NET and Mono. Under Mono 6.8 it allocated 48 kB per second of audio until the learned residual
        /// stopped calling Array.Sort (the band predictor's four bands, 100 times a second); percentile 90 takes the
        /// selection path instead of the loudest.
        /// </summary>
        [TestCase(100.0)]
        [TestCase(90.0)]
        public void A_tick_allocates_nothing(double percentile)
        {
            var scene = DuplexScenes.Make(4, 0.4, 100, -6, 9, "user-interrupt", 2000, -6);
            using (var f = DuplexScenes.EnergyFrontEnd(24000, new DuplexFrontEndOptions { EchoGuardPercentile = percentile }))
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
