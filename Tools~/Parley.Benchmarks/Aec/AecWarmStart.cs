using System;
using System.Collections.Generic;
using System.Linq;
using Parley.Audio;
using Parley.Tests.Support;

namespace Parley.Benchmarks.Aec
{
    /// <summary>
    /// A canceller started from the room an earlier one learnt (<see cref="EchoCanceller.StartFrom"/>), against a cold
    /// start, on aec-robust's jump scenes (<see cref="AecRobustness.Jumps"/>). The earlier canceller hears the scene up to
    /// the jump and saves its room; a fresh canceller then starts at the jump, cold and warm, and each is judged against
    /// a canceller settled on the new path (<see cref="EchoPathScenes.ReconvergenceToSettled"/>, within 3 dB). Three cases:
    /// the same path (the next conversation on the same devices: the room learnt on the new path itself), the same room
    /// with the delay moved (another output latency), and another room (other devices: the memory must cost nothing).
    /// Run: dotnet run -c Release --project "Tools~/Parley.Benchmarks" -- aec-warm --seeds 40-49 [--rate R]
    /// </summary>
    public static class AecWarmStart
    {
        public static int Run(string[] args)
        {
            var rateAt = Array.IndexOf(args, "--rate");
            var rate = rateAt >= 0 ? int.Parse(args[rateAt + 1]) : 24000;
            var seedsAt = Array.IndexOf(args, "--seeds");
            var range = (seedsAt >= 0 ? args[seedsAt + 1] : "40-49").Split('-');
            int first = int.Parse(range[0]), last = int.Parse(range[range.Length - 1]);
            Console.WriteLine($"Warm and cold starts at {rate} Hz, seeds {first}–{last}, per jump {string.Join(", ", AecRobustness.Jumps.Select(j => $"{j.From:0} → {j.To:0} ms"))}: "
                + "seconds until within 3 dB of a settled canceller (cold / warm)");
            foreach (var (name, samePath, newRoom) in new[] { ("the same path", true, false), ("the same room, the delay moved", false, false), ("another room", false, true) })
            {
                var cold = new List<double>();
                var warm = new List<double>();
                var installed = 0;
                for (var seed = first; seed <= last; seed++)
                    foreach (var jump in AecRobustness.Jumps)
                    {
                        var sc = EchoPathScenes.JumpScene.Make(rate, jump, seed, afterSeed: newRoom ? seed + 100 : -1);
                        var judged = new EchoPathScenes.JumpScene { Far = sc.Far, Noise = sc.Noise, Jump = sc.Jump, Mic = sc.SettledMic, Echo = sc.SettledEcho, SettledMic = sc.SettledMic, SettledEcho = sc.SettledEcho };
                        var before = samePath ? sc.SettledMic : sc.Mic;
                        var earlier = new EchoCanceller(rate);
                        EchoScenes.Stream(earlier, before.Take(sc.Jump).ToArray(), sc.Far.Take(sc.Jump).ToArray());
                        var room = earlier.SaveRoom();
                        var settled = EchoScenes.Stream(new EchoCanceller(rate), sc.SettledMic, sc.Far);
                        var tailMic = sc.SettledMic.Skip(sc.Jump).ToArray();
                        var tailFar = sc.Far.Skip(sc.Jump).ToArray();
                        var started = new EchoCanceller(rate);
                        if (room != null) started.StartFrom(room);
                        cold.Add(EchoPathScenes.ReconvergenceToSettled(judged, sc.FromJump(EchoScenes.Stream(new EchoCanceller(rate), tailMic, tailFar)), settled, rate, 3));
                        warm.Add(EchoPathScenes.ReconvergenceToSettled(judged, sc.FromJump(EchoScenes.Stream(started, tailMic, tailFar)), settled, rate, 3));
                        if (started.StartedWarm) installed++;
                    }
                Console.WriteLine($"{name}: cold {cold.Count(t => t > 2)} of {cold.Count} over 2 s, mean {cold.Average():0.00} s, worst {cold.Max():0.00} s; "
                    + $"warm {warm.Count(t => t > 2)} over 2 s, mean {warm.Average():0.00} s, worst {warm.Max():0.00} s; the room installed in {installed}");
                Console.WriteLine($"  per jump, cold / warm: {string.Join(" ", cold.Select((t, i) => $"{t:0.00}/{warm[i]:0.00}"))}");
            }
            return 0;
        }
    }
}
