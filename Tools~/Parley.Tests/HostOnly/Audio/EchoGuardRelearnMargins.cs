using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Session.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Audio
{
    /// <summary>
    /// Not a test: how far over the ratio its relearn has learnt so far (<see cref="EchoGuardFrame.TailHeld"/>) the tail's
    /// ratio stands while the tail relearns after the cold start, in the echo of the agent's first reply and in the player
    /// 1-2 s into it: what <c>EchoGuard.TailRelearnHeadroomDb</c> rests on (BENCHMARKS.md, "The tail's verdict during its
    /// relearn"). Frames from <see cref="EchoGuard.TailRelearnTrustFrames"/> on while the canceller removes at least
    /// <see cref="EchoGuard.TailRelearnErleDb"/> (the loudest echo frame under that is printed apart); the player's from its
    /// labelled onset to 120 ms after. Per total dB over the held ratio (headroom and margin): the echo-only replies with a
    /// run of 2 and of 3 frames over it, and the players with a run of 3 (that the cold bar does not hold back; the other
    /// rules may). Sets
    /// as <see cref="EchoGuardSweep.ColdPlayers"/> (SEEDOFFS, PHASES). `dotnet test … --filter
    /// "FullyQualifiedName~EchoGuardRelearnMargins" --logger "console;verbosity=detailed"`.
    /// </summary>
    [Explicit("measurement, run by hand")]
    public class EchoGuardRelearnMargins
    {
        static readonly double[] OverDb = { 12, 15, 18, 20, 22, 25, 30 };

        [Test]
        public void Margins()
        {
            var echo2 = new int[OverDb.Length];
            var echo3 = new int[OverDb.Length];
            var players3 = new int[OverDb.Length];
            int echoScenes = 0, playerScenes = 0;
            double loudestEcho = double.NegativeInfinity, loudestUngated = double.NegativeInfinity;
            foreach (var seedOffset in EchoGuardSweep.Ints("SEEDOFFS", "SEEDOFF"))
                foreach (var phase in EchoGuardSweep.Ints("PHASES", "PHASE"))
                {
                    foreach (var (_, _, scene) in EchoGuardSweep.EchoOnly(phase, 0, seedOffset))
                    {
                        var over = Relearning(scene, 0, double.MaxValue, ref loudestUngated);
                        if (over.Count == 0) continue;
                        echoScenes++;
                        loudestEcho = Math.Max(loudestEcho, over.Max(o => o.Db));
                        for (var k = 0; k < OverDb.Length; k++)
                        {
                            var run = LongestRun(over, OverDb[k]);
                            if (run >= 2) echo2[k]++;
                            if (run >= 3) echo3[k]++;
                        }
                    }
                    foreach (var p in EchoGuardSweep.EarlyPlayers(seedOffset, phase))
                    {
                        var ignored = double.NegativeInfinity;
                        var over = Relearning(p.Scene, p.Scene.OnsetMs, p.Scene.OnsetMs + 120, ref ignored);
                        if (over.Count == 0) continue;
                        playerScenes++;
                        for (var k = 0; k < OverDb.Length; k++)
                            if (LongestRun(over, OverDb[k]) >= 3) players3[k]++;
                    }
                }
            TestContext.WriteLine("RELEARN MARGINS SEEDOFFS " + Environment.GetEnvironmentVariable("SEEDOFFS") + " PHASES " + Environment.GetEnvironmentVariable("PHASES")
                + " | echo-only replies in the relearn " + echoScenes + ", loudest over " + loudestEcho.ToString("0.0") + " dB (under the canceller's "
                + EchoGuard.TailRelearnErleDb + " dB: " + loudestUngated.ToString("0.0") + " dB) | players in it " + playerScenes);
            for (var k = 0; k < OverDb.Length; k++)
                TestContext.WriteLine("  over " + OverDb[k] + " dB: echo runs of 2 " + echo2[k] + ", of 3 " + echo3[k] + " | players' runs of 3 " + players3[k]);
        }

        /// <summary>The tail's ratio over what its relearn has held (dB), frame by frame, while it relearns, between <paramref name="fromMs"/> and <paramref name="toMs"/>.</summary>
        static List<(long Frame, double Db)> Relearning(DuplexScenes.Scene scene, double fromMs, double toMs, ref double ungated)
        {
            var closed = ungated;
            var over = new List<(long, double)>();
            using (var f = DuplexScenes.EnergyFrontEnd(24000, EchoGuardSweep.Opt()))
            {
                f.GuardTraced = g =>
                {
                    var ms = g.Frame * EchoGuard.GuardFrameMs;
                    if (ms < fromMs || ms > toMs || g.TailRelearnt < EchoGuard.TailRelearnTrustFrames || g.TailRelearnt >= EchoGuard.TailRelearnFrames) return;
                    var db = g.Unexplained && g.TailRatio > 0 ? 10 * Math.Log10(g.TailRatio / g.TailHeld) : double.NegativeInfinity;
                    if (g.ErleDb >= EchoGuard.TailRelearnErleDb) over.Add((g.Frame, db));
                    else closed = Math.Max(closed, db);
                };
                DuplexScenes.Run(f, scene);
            }
            ungated = closed;
            return over;
        }

        static int LongestRun(List<(long Frame, double Db)> over, double db)
        {
            int run = 0, longest = 0;
            long last = -2;
            foreach (var (frame, d) in over)
            {
                run = d > db && frame == last + 1 ? run + 1 : d > db ? 1 : 0;
                last = frame;
                longest = Math.Max(longest, run);
            }
            return longest;
        }
    }
}
