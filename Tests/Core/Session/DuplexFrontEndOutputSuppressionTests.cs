using System;
using System.Collections.Generic;
using NUnit.Framework;
using Parley.Session.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.Session
{
    /// <summary>
    /// <see cref="DuplexFrontEndOptions.StrongerOutputSuppression"/> at 24 kHz: the provider hears the canceller's stronger
    /// suppression while the echo guard and the VAD judge the guard view, so the guard decides exactly as with one
    /// suppression; with the residual gate off, the provider hears less of the agent's echo.
    /// </summary>
    public class DuplexFrontEndOutputSuppressionTests
    {
        [TestCase(0.4, 100, -6, 11)]
        [TestCase(0.6, 200, -12, 12)]
        [TestCase(0.8, 300, -12, 13)]
        public void The_guard_decides_the_same_whichever_suppression_the_provider_hears(double rt60, double delayMs, double echoDb, int seed)
        {
            var scene = DuplexScenes.Make(8, rt60, delayMs, echoDb, seed, "user-interrupt", 4000, -6);
            var (stronger, sentStronger) = Run(scene, new DuplexFrontEndOptions());
            var (one, sentOne) = Run(scene, new DuplexFrontEndOptions { StrongerOutputSuppression = false });
            var report = $"stronger: {stronger.Raised} raised at {stronger.FirstRaisedAtMs:0} ms, {stronger.Guarded} guarded; one: {one.Raised} at {one.FirstRaisedAtMs:0} ms, {one.Guarded} guarded (onset {scene.OnsetMs:0} ms)";
            TestContext.WriteLine(report);
            Assert.That(stronger.Raised, Is.EqualTo(one.Raised), report);
            Assert.That(stronger.FirstRaisedAtMs, Is.EqualTo(one.FirstRaisedAtMs), report);
            Assert.That(stronger.Guarded, Is.EqualTo(one.Guarded), report);
            Assert.That(stronger.Raised, Is.GreaterThan(0), "the player is heard: " + report);
            Assert.That(Differs(sentStronger, sentOne), Is.True, "the provider hears another suppression");
        }

        [TestCase(0.6, 200, -6, 21)]
        [TestCase(0.8, 300, -12, 22)]
        public void With_the_residual_gate_off_the_provider_hears_less_echo(double rt60, double delayMs, double echoDb, int seed)
        {
            var scene = DuplexScenes.Make(8, rt60, delayMs, echoDb, seed);
            var (_, stronger) = Run(scene, new DuplexFrontEndOptions { ResidualGateDb = 0 });
            var (_, one) = Run(scene, new DuplexFrontEndOptions { ResidualGateDb = 0, StrongerOutputSuppression = false });
            // From 3 s: the filter has converged, the residual is what the suppressor leaves.
            double db = Db(stronger, 3 * Rate), dbOne = Db(one, 3 * Rate);
            var report = $"echo the provider hears from 3 s: {db:0.0} dBFS, one suppression {dbOne:0.0} dBFS";
            TestContext.WriteLine(report);
            Assert.That(db, Is.LessThan(dbOne - 2), report);
        }

        const int Rate = 24000;

        static (DuplexScenes.Result, List<short>) Run(DuplexScenes.Scene scene, DuplexFrontEndOptions options)
        {
            var sent = new List<short>();
            using (var f = DuplexScenes.EnergyFrontEnd(Rate, options))
                return (DuplexScenes.Run(f, scene, sent), sent);
        }

        static bool Differs(List<short> a, List<short> b)
        {
            for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
                if (a[i] != b[i]) return true;
            return false;
        }

        static double Db(List<short> pcm, int from)
        {
            double e = 0;
            for (var i = from; i < pcm.Count; i++) e += (double)pcm[i] * pcm[i];
            return 10 * Math.Log10(e / Math.Max(1, pcm.Count - from) / (32768.0 * 32768.0) + 1e-12);
        }
    }
}
