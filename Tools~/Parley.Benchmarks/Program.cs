using System;
using System.IO;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace Parley.Benchmarks
{
    public static class Program
    {
        public static int Main(string[] args)
        {
            // The echo canceller comparison is a measurement program, not a BenchmarkDotNet suite (whole signals, quality figures).
            if (args.Length > 0 && args[0] == "aec-compare") return Aec.AecComparison.Run(args);
            if (args.Length > 0 && args[0] == "aec-robust") return Aec.AecRobustness.Run(args);
            if (args.Length > 0 && args[0] == "aec-warm") return Aec.AecWarmStart.Run(args);
            if (args.Length > 0 && args[0] == "aec-scene") return Aec.AecConversation.Run(args);
            if (args.Length > 0 && args[0] == "aec-drift") return Aec.DriftEstimation.Run(args);
            // Reports go under Tools~/.build, not the working directory: at the package root Unity would import
            // them and the .meta checks would fail. --artifacts PATH still overrides.
            var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(BuildFolder(), "BenchmarkDotNet.Artifacts"));
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
            return 0;
        }

        static string BuildFolder()
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
                if (d.Name == ".build") return d.FullName;
            return Path.Combine(Path.GetTempPath(), "parley-benchmarks");
        }
    }
}
