using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace Parley.Fuzz
{
    /// <summary>One distinct finding: the first input that produced it and how often it recurred.</summary>
    public sealed class Finding
    {
        public string Signature;
        public Exception Error;
        public byte[] Input;
        public int Count;
    }

    public sealed class FuzzReport
    {
        public string Target;
        public long Inputs;
        public long Decoded;
        public long Rejected;
        public TimeSpan Elapsed;
        public readonly List<Finding> Findings = new List<Finding>();

        public override string ToString() =>
            Target + ": " + Inputs + " inputs (" + Decoded + " decoded, " + Rejected + " typed errors), " + Findings.Count + " findings, "
            + Elapsed.TotalSeconds.ToString("0.0") + " s (" + (Inputs / Math.Max(Elapsed.TotalSeconds, 1e-9)).ToString("0") + "/s)";
    }

    /// <summary>
    /// Seeded mutation fuzzing: each input is a seed frame with a few mutations (<see cref="Mutator"/>), so a run
    /// is reproducible from (target, seed, input count). Findings are grouped by exception type and top frame.
    /// </summary>
    public static class Fuzzer
    {
        /// <summary>One input running longer than this is a hang: <paramref name="onHang"/> gets it (the loop cannot be interrupted).</summary>
        static readonly bool Trace = Environment.GetEnvironmentVariable("PARLEY_FUZZ_TRACE") == "1";

        public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);

        public static FuzzReport Run(FuzzTarget target, SeedFiles files, long inputs, int seed, Action<string> progress = null, Action<byte[]> onHang = null, TimeSpan? hangLimit = null)
        {
            var seeds = new List<byte[]>(target.Seeds(files));
            if (seeds.Count == 0) throw new InvalidOperationException(target.Name + " has no seeds.");
            var mutator = new Mutator(seed, seeds);
            var report = new FuzzReport { Target = target.Name };
            var byKey = new Dictionary<string, Finding>();
            var clock = Stopwatch.StartNew();
            var nextProgress = TimeSpan.FromSeconds(30);
            byte[] current = null;
            long started = 0, index = -1, watched = -1;
            using var watchdog = new System.Threading.Timer(_ =>
            {
                var at = System.Threading.Interlocked.Read(ref index);
                if (at != watched) { watched = at; return; }
                if (at >= 0 && Stopwatch.GetTimestamp() - System.Threading.Interlocked.Read(ref started) > (hangLimit ?? HangLimit).TotalSeconds * Stopwatch.Frequency)
                {
                    watched = -2;
                    onHang?.Invoke(current);
                }
            }, null, 1000, 1000);
            for (long i = 0; i < inputs; i++)
            {
                // Every seed unmutated first: the real frames must decode.
                var input = i < seeds.Count ? seeds[(int)i] : mutator.Next();
                current = input;
                System.Threading.Interlocked.Exchange(ref started, Stopwatch.GetTimestamp());
                System.Threading.Interlocked.Exchange(ref index, i);
                try
                {
                    if (target.Run(input) == Outcome.Decoded) report.Decoded++;
                    else report.Rejected++;
                }
                catch (Exception e) when (!(e is FuzzFinding) && target.IsTypedError(e))
                {
                    report.Rejected++;
                }
                catch (Exception e)
                {
                    var key = Signature(e);
                    if (!byKey.TryGetValue(key, out var f))
                    {
                        byKey[key] = f = new Finding { Signature = key, Error = e, Input = input };
                        report.Findings.Add(f);
                    }
                    f.Count++;
                }
                report.Inputs++;
                if (Trace) Console.WriteLine("  #" + i + " " + ((Stopwatch.GetTimestamp() - started) * 1000.0 / Stopwatch.Frequency).ToString("0.0") + " ms: " + System.Text.Encoding.UTF8.GetString(input, 0, Math.Min(input.Length, 120)));
                if (progress != null && clock.Elapsed > nextProgress)
                {
                    nextProgress += TimeSpan.FromSeconds(30);
                    report.Elapsed = clock.Elapsed;
                    progress(report.ToString());
                }
            }
            System.Threading.Interlocked.Exchange(ref index, -1);
            report.Elapsed = clock.Elapsed;
            return report;
        }

        static string Signature(Exception e)
        {
            if (e is FuzzFinding) return "finding: " + System.Text.RegularExpressions.Regex.Replace(FirstLine(e.Message), "[0-9]+", "#");
            var trace = e.StackTrace ?? "";
            var at = trace.IndexOf(" at ", StringComparison.Ordinal);
            var line = at < 0 ? "" : FirstLine(trace.Substring(at + 4));
            var paren = line.IndexOf('(');
            return e.GetType().FullName + " at " + (paren > 0 ? line.Substring(0, paren) : line);
        }

        static string FirstLine(string s)
        {
            var nl = s.IndexOfAny(new[] { '\r', '\n' });
            return nl < 0 ? s : s.Substring(0, nl);
        }
    }
}
