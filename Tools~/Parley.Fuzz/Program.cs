using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Parley.Fuzz
{
    /// <summary>
    /// parley-fuzz [--target NAME|all] [--inputs N] [--seed S] [--findings DIR]
    /// parley-fuzz --afl NAME (under afl-fuzz) | --write-seeds NAME DIR (its input corpus)
    /// Runs each target for N inputs (default 1,000,000) and prints one line per target; exit code 1 when any
    /// target has findings, whose first inputs are written to DIR (default: Tools~/.build/fuzz-findings).
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length == 2 && args[0] == "--afl") return AflMode.Run(args[1]);
            if (args.Length == 3 && args[0] == "--write-seeds") return AflMode.WriteSeeds(args[1], args[2]);
            var target = "all";
            long inputs = 1_000_000;
            var seed = 1;
            string findingsDir = null;
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException(args[i] + " needs a value.");
                switch (args[i])
                {
                    case "--target": target = Value(); break;
                    case "--inputs": inputs = long.Parse(Value()); break;
                    case "--seed": seed = int.Parse(Value()); break;
                    case "--findings": findingsDir = Value(); break;
                    default:
                        Console.Error.WriteLine("Unknown option " + args[i] + ". Options: --target NAME|all (" + string.Join(", ", FuzzTargets.Names) + "), --inputs N, --seed S, --findings DIR.");
                        return 2;
                }
            }
            var files = SeedFiles.Locate();
            findingsDir ??= Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(files.ProtocolsDirectory)), "..", "Tools~", ".build", "fuzz-findings");
            var names = target == "all" ? FuzzTargets.Names : target.Split(',');
            var failed = false;
            foreach (var name in names)
            {
                using (var t = FuzzTargets.Create(name))
                {
                    Console.WriteLine("== " + t.Name + ": " + t.Decoder + "; typed errors: " + t.TypedErrors);
                    var report = Fuzzer.Run(t, files, inputs, seed, line => Console.WriteLine("   " + line), input =>
                    {
                        Directory.CreateDirectory(findingsDir);
                        var file = Path.Combine(findingsDir, t.Name + "-hang.bin");
                        File.WriteAllBytes(file, input);
                        Console.WriteLine("  FINDING: one input ran over " + Fuzzer.HangLimit.TotalSeconds + " s (a hang); input (" + input.Length + " bytes) " + file + ": " + Preview(input));
                        Environment.Exit(3);
                    });
                    Console.WriteLine(report);
                    foreach (var f in report.Findings)
                    {
                        failed = true;
                        Directory.CreateDirectory(findingsDir);
                        var file = Path.Combine(findingsDir, t.Name + "-" + (f.Signature.GetHashCode() & 0x7FFFFFFF).ToString("x8") + ".bin");
                        File.WriteAllBytes(file, f.Input);
                        Console.WriteLine("  FINDING x" + f.Count + ": " + f.Signature);
                        Console.WriteLine("    " + f.Error.GetType().Name + ": " + f.Error.Message + (f.Error.InnerException != null ? " <- " + f.Error.InnerException.GetType().Name + ": " + f.Error.InnerException.Message : ""));
                        Console.WriteLine("    input (" + f.Input.Length + " bytes) " + file + ": " + Preview(f.Input));
                    }
                }
            }
            return failed ? 1 : 0;
        }

        static string Preview(byte[] b)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < Math.Min(b.Length, 300); i++)
            {
                var c = b[i];
                if (c >= 0x20 && c < 0x7F && c != (byte)'\\') sb.Append((char)c);
                else sb.Append("\\x").Append(c.ToString("x2"));
            }
            if (b.Length > 300) sb.Append("…");
            return sb.ToString();
        }
    }
}
