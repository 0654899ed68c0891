using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Session.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Audio
{
    /// <summary>
    /// Not a test: the echo guard's settings measured over the duplex scenes (64 echo-only rooms, 9 players, the 3
    /// louder-speaker rooms) for BENCHMARKS.md, "Barge-in". Options as SWEEP="Field=value;Field=value", room seeds
    /// shifted by SEEDOFF; prints one line. `dotnet test … --filter "FullyQualifiedName~EchoGuardSweep" --logger
    /// "console;verbosity=detailed"`.
    /// </summary>
    [Explicit("measurement, run by hand")]
    public class EchoGuardSweep
    {
        static DuplexFrontEndOptions Opt()
        {
            var o = new DuplexFrontEndOptions();
            var env = Environment.GetEnvironmentVariable("SWEEP") ?? "";
            foreach (var kv in env.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var p = kv.Split('=');
                var fi = typeof(DuplexFrontEndOptions).GetField(p[0]);
                fi.SetValue(o, Convert.ChangeType(p[1], fi.FieldType, System.Globalization.CultureInfo.InvariantCulture));
            }
            return o;
        }

        [Test]
        public void Sweep()
        {
            var self = new List<string>();
            var i = 0;
            foreach (var r in DuplexScenes.Rooms())
            {
                var scene = DuplexScenes.Make(8, r.Rt60, r.DelayMs, r.EchoDb, 100 + i++ + int.Parse(Environment.GetEnvironmentVariable("SEEDOFF") ?? "0"));
                using (var f = DuplexScenes.EnergyFrontEnd(24000, Opt()))
                {
                    var res = DuplexScenes.Run(f, scene);
                    if (res.Raised > 0) self.Add(r.Rt60 + "/" + r.DelayMs + "/" + r.EchoDb + ":" + res.Raised);
                }
            }
            var heard = new List<string>();
            i = 0;
            var nh = 0;
            foreach (var rt in new[] { 0.2, 0.4, 0.6 })
                foreach (var (d, e) in new[] { (100.0, -6.0), (200.0, -12.0), (300.0, -20.0) })
                {
                    var scene = DuplexScenes.Make(8, rt, d, e, 300 + i++ + int.Parse(Environment.GetEnvironmentVariable("SEEDOFF") ?? "0"), "user-interrupt", 4000, -6);
                    using (var f = DuplexScenes.EnergyFrontEnd(24000, Opt()))
                    {
                        var r = DuplexScenes.Run(f, scene);
                        if (r.Raised > 0) nh++;
                        heard.Add(r.Raised == 0 ? "-" : (r.FirstRaisedAtMs - scene.OnsetMs).ToString("0") + (r.Raised > 1 ? "x" + r.Raised : ""));
                    }
                }
            var step = new List<string>();
            foreach (var (rt, d, e) in new[] { (0.4, 100.0, -20.0), (0.6, 200.0, -20.0), (0.2, 300.0, -14.0) })
            {
                var scene = DuplexScenes.Make(12, rt, d, e, 41, "user-interrupt", 4000, 0, echoStepDb: 14);
                using (var f = DuplexScenes.EnergyFrontEnd(24000, Opt()))
                {
                    var times = new List<double>();
                    f.VoiceActivity += sp => times.Add((sp ? 1 : -1) * (f.CapturedSamples * 1000.0 / f.ProcessingRate - scene.OnsetMs));
                    var r = DuplexScenes.Run(f, scene);
                    step.Add("(" + string.Join(",", times.Select(t => t.ToString("0"))) + ")");
                    step.Add(r.Raised + (r.Raised > 0 ? "@" + (r.FirstRaisedAtMs - scene.OnsetMs).ToString("0") : ""));
                }
            }
            TestContext.WriteLine("SWEEP " + Environment.GetEnvironmentVariable("SWEEP") + " | self " + self.Count + "/64 [" + string.Join(" ", self) + "] | heard " + nh + "/9 [" + string.Join(" ", heard) + "] | step [" + string.Join(" ", step) + "]");
        }
    }
}
