using System;
using System.Globalization;
using NUnit.Framework;
using Parley.Session.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Audio
{
    /// <summary>
    /// Not a test: one duplex scene traced frame by frame (<see cref="EchoGuardFrame"/>), as BENCHMARKS.md's traces of the
    /// echo guard were taken. The sweeps' scenes: RT, DLY, EDB (the room: RT60 s, delay ms, echo dB), SEED, PHASE (ticks
    /// late); AT (ms into the reply) puts the player (PDB dB, default −6) in, else the agent is alone. FROM and TO (ms of
    /// capture) bound the lines; options from SWEEP as in <see cref="EchoGuardSweep"/>. Every value in dB but the canceller's
    /// alignment, in blocks.
    /// `RT=0.6 DLY=100 EDB=-6 SEED=306 PHASE=2 AT=2000 FROM=1900 TO=2200 dotnet test … --filter
    /// "FullyQualifiedName~EchoGuardTrace" --logger "console;verbosity=detailed"`.
    /// </summary>
    [Explicit("measurement, run by hand")]
    public class EchoGuardTrace
    {
        static double D(string name, double fallback) =>
            double.Parse(Environment.GetEnvironmentVariable(name) ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

        static string Db(double ratio) => (10 * Math.Log10(ratio + 1e-20)).ToString("0.0", CultureInfo.InvariantCulture);

        /// <summary>
        /// The canceller's alignment (blocks): window start, the foreground's peak partition, the matcher's estimate and its
        /// learned bias; the foreground's gauge (dB), the latch, the moves so far.
        /// </summary>
        static string Canceller(DuplexFrontEnd f)
        {
            if (f.EchoCanceller == null) return "";
            ref var s = ref f.EchoCanceller.State;
            return " | dly " + s.Delay + " pk " + s.FgPeak + " est " + s.Estimate + " bias " + s.MatchBias.ToString("0.0", CultureInfo.InvariantCulture)
                + " fg " + s.FgErleDb.ToString("0.0", CultureInfo.InvariantCulture) + " held " + s.Held + s.Converged + " mv " + s.FilterMoves;
        }

        [Test]
        public void Trace()
        {
            var seed = (int)D("SEED", 300);
            var alone = Environment.GetEnvironmentVariable("AT") == null;
            var made = DuplexScenes.Make(8, D("RT", 0.2), D("DLY", 100), D("EDB", -6), seed, alone ? null : "user-interrupt", alone ? -1 : D("AT", 0), D("PDB", -6));
            var scene = DuplexScenes.Late(made, (int)D("PHASE", 0), seed);
            var from = D("FROM", 0);
            var to = D("TO", 1e9);
            using (var f = DuplexScenes.EnergyFrontEnd(int.Parse(Environment.GetEnvironmentVariable("RATE") ?? "24000"), EchoGuardSweep.Opt()))
            {
                f.GuardTraced = g =>
                {
                    var ms = g.Frame * EchoGuard.GuardFrameMs;
                    if (ms < from || ms > to) return;
                    TestContext.WriteLine(ms + " ms: far " + Db(g.Far) + ", now " + Db(g.Now) + " | out " + Db(g.OutRatio) + ", mic " + Db(g.MicRatio)
                        + ", bar " + Db(g.Bar) + " | tail " + Db(g.TailRatio) + ", tail bar " + Db(g.TailBar) + " | resume " + Db(g.Resume)
                        + ", relief " + Db(g.Relief) + ", unexplained " + (g.Unexplained ? 1 : 0) + ", above " + g.Above + "/" + g.TailAbove
                        + " | relearnt " + g.TailRelearnt + ", learnt " + g.Learned + ", ERLE " + g.ErleDb.ToString("0.0", CultureInfo.InvariantCulture)
                        + ", coherence " + g.Coherence.ToString("0.00", CultureInfo.InvariantCulture) + " | VAD " + (g.VadSpeaking ? 1 : 0) + ", pending " + (g.Pending ? 1 : 0) + Canceller(f));
                };
                var r = DuplexScenes.Run(f, scene);
                TestContext.WriteLine("onset " + scene.OnsetMs + " ms; raised " + r.Raised + (r.Raised > 0 ? " at " + r.FirstRaisedAtMs.ToString("0") + " ms" : "") + ", held back " + r.Guarded);
            }
        }
    }
}
