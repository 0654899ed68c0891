using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Audio;
using Parley.Session.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Audio
{
    /// <summary>
    /// Not a test: the echo guard's settings measured over the duplex scenes (64 echo-only rooms, 9 players, the 3
    /// louder-speaker rooms) for BENCHMARKS.md, "Barge-in". Options as SWEEP="Field=value;Field=value", room seeds
    /// shifted by SEEDOFF, every scene started PHASE 10 ms ticks late (leading noise, nothing played: at 24 kHz the
    /// canceller's 128-sample blocks then meet the same audio at 8 phases, PHASE 0–7, the guard's frames at the same);
    /// prints one line. `dotnet test … --filter "FullyQualifiedName~EchoGuardSweep" --logger
    /// "console;verbosity=detailed"`.
    /// </summary>
    [Explicit("measurement, run by hand")]
    public class EchoGuardSweep
    {
        /// <summary>Default options with SWEEP's "Field=value;…" set.</summary>
        internal static DuplexFrontEndOptions Opt()
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

        static int Env(string name) => int.Parse(Environment.GetEnvironmentVariable(name) ?? "0");

        /// <summary>The provider rate the front end runs at: RATE, default 24 kHz (OpenAI's; Gemini, Riva and MiniCPM-o take 16 kHz).</summary>
        static int Rate => int.Parse(Environment.GetEnvironmentVariable("RATE") ?? "24000");

        /// <summary>The comma-separated whole numbers in <paramref name="list"/>, else the one in <paramref name="single"/> (default 0).</summary>
        internal static IEnumerable<int> Ints(string list, string single) => (Environment.GetEnvironmentVariable(list) ?? Env(single).ToString()).Split(',').Select(int.Parse);

        [Test]
        public void Sweep()
        {
            var self = new List<string>();
            foreach (var (r, _, scene) in EchoOnly(Env("PHASE")))
            {
                using (var f = DuplexScenes.EnergyFrontEnd(Rate, Opt()))
                {
                    var res = DuplexScenes.Run(f, scene);
                    if (res.Raised > 0) self.Add(r.Rt60 + "/" + r.DelayMs + "/" + r.EchoDb + ":" + res.Raised);
                }
            }
            var heard = new List<string>();
            var nh = 0;
            foreach (var scene in Players(Env("PHASE")))
                using (var f = DuplexScenes.EnergyFrontEnd(Rate, Opt()))
                {
                    var r = DuplexScenes.Run(f, scene);
                    if (r.Raised > 0) nh++;
                    heard.Add(Heard(r, scene) + (r.Raised > 1 ? "x" + r.Raised : ""));
                }
            var step = new List<string>();
            foreach (var (rt, d, e) in new[] { (0.4, 100.0, -20.0), (0.6, 200.0, -20.0), (0.2, 300.0, -14.0) })
            {
                var scene = DuplexScenes.Late(DuplexScenes.Make(12, rt, d, e, 41, "user-interrupt", 4000, 0, echoStepDb: 14), Env("PHASE"), 41);
                using (var f = DuplexScenes.EnergyFrontEnd(Rate, Opt()))
                {
                    var times = new List<double>();
                    f.VoiceActivity += sp => times.Add((sp ? 1 : -1) * (f.CapturedSamples * 1000.0 / f.ProcessingRate - scene.OnsetMs));
                    var r = DuplexScenes.Run(f, scene);
                    step.Add("(" + string.Join(",", times.Select(t => t.ToString("0"))) + ")");
                    step.Add(r.Raised + (r.Raised > 0 ? "@" + (r.FirstRaisedAtMs - scene.OnsetMs).ToString("0") : ""));
                }
            }
            TestContext.WriteLine("SWEEP " + Environment.GetEnvironmentVariable("SWEEP") + " SEEDOFF " + Env("SEEDOFF") + " PHASE " + Env("PHASE") + " | self " + self.Count + "/64 [" + string.Join(" ", self) + "] | heard " + nh + "/9 [" + string.Join(" ", heard) + "] | step [" + string.Join(" ", step) + "]");
        }

        /// <summary>
        /// The sweep's echo-only rooms and early players with the canceller started warm (<see cref="EchoRoomMemory"/>):
        /// each room is first learnt by a conversation of its own (the same room, started 4 ticks later), then the
        /// measured conversation recalls it. Prints self-interruptions of the 64 echo-only replies, how many started
        /// warm (a first conversation whose canceller never held the echo keeps no room: RT60 0.8 s rooms, mostly), and the 9 players' rooms with the player 1, 1.5 and 2 s into the first reply (−6 dB), warm and cold.
        /// </summary>
        [Test]
        public void WarmSweep()
        {
            var phase = Env("PHASE");
            var self = new List<string>();
            var warm = 0;
            foreach (var (r, seed, scene) in EchoOnly(phase))
            {
                var memory = Learnt(r.Rt60, r.DelayMs, r.EchoDb, seed, phase);
                using (var f = DuplexScenes.EnergyFrontEnd(Rate, Warm(memory)))
                {
                    var res = DuplexScenes.Run(f, scene);
                    if (f.EchoCanceller.StartedWarm) warm++;
                    if (res.Raised > 0) self.Add(r.Rt60 + "/" + r.DelayMs + "/" + r.EchoDb + ":" + res.Raised);
                }
            }
            var early = new List<string>();
            var heardWarm = 0;
            var heardCold = 0;
            EchoRoomMemory learnt = null;
            var learntSeed = -1;
            foreach (var p in EarlyPlayers(Env("SEEDOFF"), phase))
            {
                if (p.Seed != learntSeed) { learnt = Learnt(p.Rt60, p.DelayMs, p.EchoDb, p.Seed, phase); learntSeed = p.Seed; }
                DuplexScenes.Result w, c;
                using (var f = DuplexScenes.EnergyFrontEnd(Rate, Warm(learnt))) w = DuplexScenes.Run(f, p.Scene);
                using (var f = DuplexScenes.EnergyFrontEnd(Rate, Opt())) c = DuplexScenes.Run(f, p.Scene);
                if (Within120(w, p.Scene)) heardWarm++;
                if (Within120(c, p.Scene)) heardCold++;
                early.Add(Heard(w, p.Scene) + "/" + Heard(c, p.Scene));
            }
            TestContext.WriteLine("WARM SWEEP " + Environment.GetEnvironmentVariable("SWEEP") + " SEEDOFF " + Env("SEEDOFF") + " PHASE " + phase + " | self " + self.Count + "/64 [" + string.Join(" ", self) + "] | warm "
                + warm + "/64 | players at " + string.Join(",", EarlyTimes()) + " ms within 120 ms warm " + heardWarm + "/" + early.Count + ", cold " + heardCold + "/" + early.Count + " [" + string.Join(" ", early) + "]");
        }

        /// <summary>
        /// The WarmSweep's cold column alone (no room learnt first, so a third of its time), for every SEEDOFF of SEEDOFFS
        /// and PHASE of PHASES ("0,1000,2000" and "0,1,…"; default SEEDOFF and PHASE), options from SWEEP. One line per
        /// set: onset → raised per scene (ms; "-" if never), in <see cref="EarlyPlayers"/>' order.
        /// </summary>
        [Test]
        public void ColdPlayers()
        {
            foreach (var seedOffset in Ints("SEEDOFFS", "SEEDOFF"))
                foreach (var phase in Ints("PHASES", "PHASE"))
                {
                    var early = new List<string>();
                    var within = 0;
                    foreach (var p in EarlyPlayers(seedOffset, phase))
                        using (var f = DuplexScenes.EnergyFrontEnd(Rate, Opt()))
                        {
                            var c = DuplexScenes.Run(f, p.Scene);
                            if (Within120(c, p.Scene)) within++;
                            early.Add(Heard(c, p.Scene));
                        }
                    TestContext.WriteLine("COLD PLAYERS " + Environment.GetEnvironmentVariable("SWEEP") + " SEEDOFF " + seedOffset + " PHASE " + phase + " | at " + string.Join(",", EarlyTimes())
                        + " ms within 120 ms " + within + "/" + early.Count + " | " + string.Join(" ", early));
                }
        }

        /// <summary>
        /// The 9 players' rooms (RT60 0.2, 0.4, 0.6 s × 100 ms / −6 dB, 200 ms / −12 dB, 300 ms / −20 dB; seed 300 + the
        /// room's index + <paramref name="seedOffset"/>), the player (−6 dB) at each of AT's times (ms; default 1000, 1500,
        /// 2000) into the agent's first reply, started <paramref name="phase"/> ticks late. A room's scenes come together.
        /// </summary>
        internal static IEnumerable<(double Rt60, double DelayMs, double EchoDb, int Seed, DuplexScenes.Scene Scene)> EarlyPlayers(int seedOffset, int phase)
        {
            var i = 0;
            foreach (var rt in new[] { 0.2, 0.4, 0.6 })
                foreach (var (d, e) in new[] { (100.0, -6.0), (200.0, -12.0), (300.0, -20.0) })
                {
                    var seed = 300 + i++ + seedOffset;
                    foreach (var at in EarlyTimes())
                        yield return (rt, d, e, seed, DuplexScenes.Late(DuplexScenes.Make(8, rt, d, e, seed, "user-interrupt", at, -6), phase, seed));
                }
        }

        static int[] EarlyTimes() => (Environment.GetEnvironmentVariable("AT") ?? "1000,1500,2000").Split(',').Select(int.Parse).ToArray();

        static string Heard(DuplexScenes.Result r, DuplexScenes.Scene scene) => r.Raised == 0 ? "-" : (r.FirstRaisedAtMs - scene.OnsetMs).ToString("0");

        static bool Within120(DuplexScenes.Result r, DuplexScenes.Scene scene) => r.Raised > 0 && r.FirstRaisedAtMs - scene.OnsetMs <= 120;

        static DuplexFrontEndOptions Warm(EchoRoomMemory memory)
        {
            var o = Opt();
            o.EchoRooms = memory;
            return o;
        }

        /// <summary>A memory holding the room a first conversation in it learnt (8 s of the agent alone, 4 ticks later).</summary>
        static EchoRoomMemory Learnt(double rt60, double delayMs, double echoDb, int seed, int phase)
        {
            var memory = new EchoRoomMemory();
            using (var f = DuplexScenes.EnergyFrontEnd(Rate, Warm(memory)))
                DuplexScenes.Run(f, DuplexScenes.Late(DuplexScenes.Make(8, rt60, delayMs, echoDb, seed), (phase + 4) % 8, seed + 1));
            return memory;
        }

        /// <summary>
        /// A control scene for one guard rule: the echo-only rooms (RT60 at least MINRT60, default 0.6 s) that raise with
        /// RULEOFF set to 0 and not with it on, at each PHASE of PHASES ("0,1,…"), options from SWEEP. One line per phase.
        /// </summary>
        [Test]
        public void RuleSearch()
        {
            var rule = Environment.GetEnvironmentVariable("RULEOFF");
            var minRt = double.Parse(Environment.GetEnvironmentVariable("MINRT60") ?? "0.6", System.Globalization.CultureInfo.InvariantCulture);
            foreach (var phase in Ints("PHASES", "PHASE"))
            {
                var found = new List<string>();
                foreach (var (r, seed, scene) in EchoOnly(phase, minRt))
                {
                    var raised = new int[2];
                    for (var off = 0; off < 2; off++)
                    {
                        var o = Opt();
                        // RULEVAL: the value that turns the rule off, when not 0 (EchoGuardPauseDb: 40; whole numbers, as the other settings).
                        if (off == 1) o.GetType().GetField(rule).SetValue(o, (double)Env("RULEVAL"));
                        using (var f = DuplexScenes.EnergyFrontEnd(Rate, o))
                            raised[off] = DuplexScenes.Run(f, scene).Raised;
                    }
                    if (raised[0] > 0 || raised[1] > 0) found.Add(r.Rt60 + "/" + r.DelayMs + "/" + r.EchoDb + " seed " + seed + ": on " + raised[0] + " off " + raised[1]);
                }
                TestContext.WriteLine("RULE " + rule + " " + Environment.GetEnvironmentVariable("SWEEP") + " SEEDOFF " + Env("SEEDOFF") + " PHASE " + phase + " | " + string.Join("; ", found));
            }
        }

        /// <summary>
        /// The residual gate as the provider's VAD meets it (no local VAD; an emulator-like VAD on what is sent: 3 frames
        /// over −42 dBFS): the 64 echo-only rooms it hears, and when it hears the 9 players, for each PHASE of PHASES
        /// ("0,2,5"; default PHASE). One line per phase.
        /// </summary>
        [Test]
        public void GateSweep()
        {
            var phases = (Environment.GetEnvironmentVariable("PHASES") ?? Env("PHASE").ToString()).Split(',').Select(int.Parse);
            foreach (var phase in phases)
            {
                var self = new List<string>();
                foreach (var (r, _, scene) in EchoOnly(phase))
                {
                    var at = ProviderHears(scene);
                    if (at >= 0) self.Add(r.Rt60 + "/" + r.DelayMs + "/" + r.EchoDb + "@" + at.ToString("0"));
                }
                var heard = new List<string>();
                var within = 0;
                foreach (var scene in Players(phase))
                {
                    var at = ProviderHears(scene);
                    if (at >= scene.OnsetMs && at - scene.OnsetMs <= 150) within++;
                    heard.Add(at < 0 ? "-" : (at - scene.OnsetMs).ToString("0"));
                }
                TestContext.WriteLine("GATE " + Environment.GetEnvironmentVariable("SWEEP") + " SEEDOFF " + Env("SEEDOFF") + " PHASE " + phase + " | echo heard " + self.Count + "/64 [" + string.Join(" ", self) + "] | players within 150 ms " + within + "/9 [" + string.Join(" ", heard) + "]");
            }
        }

        /// <summary>The 64 echo-only rooms (those of RT60 at least <paramref name="minRt60"/>), seeds shifted by <paramref name="seedOffset"/> (default SEEDOFF), started <paramref name="phase"/> ticks late.</summary>
        internal static IEnumerable<((double Rt60, double DelayMs, double EchoDb) Room, int Seed, DuplexScenes.Scene Scene)> EchoOnly(int phase, double minRt60 = 0, int? seedOffset = null)
        {
            var i = 0;
            foreach (var r in DuplexScenes.Rooms())
            {
                var seed = 100 + i++ + (seedOffset ?? Env("SEEDOFF"));
                if (r.Rt60 >= minRt60) yield return (r, seed, DuplexScenes.Late(DuplexScenes.Make(8, r.Rt60, r.DelayMs, r.EchoDb, seed), phase, seed));
            }
        }

        /// <summary>The 9 players (−6 dB, 4 s into the reply) in rooms RT60 0.2–0.6 s, 100–300 ms, −6..−20 dB.</summary>
        static IEnumerable<DuplexScenes.Scene> Players(int phase)
        {
            var i = 0;
            foreach (var rt in new[] { 0.2, 0.4, 0.6 })
                foreach (var (d, e) in new[] { (100.0, -6.0), (200.0, -12.0), (300.0, -20.0) })
                {
                    var seed = 300 + i++ + Env("SEEDOFF");
                    yield return DuplexScenes.Late(DuplexScenes.Make(8, rt, d, e, seed, "user-interrupt", 4000, -6), phase, seed);
                }
        }

        static double ProviderHears(DuplexScenes.Scene scene)
        {
            using (var f = new DuplexFrontEnd(AudioFormat.Mono(DuplexScenes.EngineRate), DuplexScenes.EngineRate / 10, null, Opt()))
            {
                f.Configure(24000);
                var sent = new List<short>();
                DuplexScenes.Run(f, scene, sent);
                return DuplexScenes.ProviderHearsAtMs(sent, 24000);
            }
        }
    }
}
