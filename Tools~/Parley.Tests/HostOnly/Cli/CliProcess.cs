using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using NUnit.Framework;

namespace Parley.Tests.HostOnly.Cli
{
    /// <summary>
    /// Runs the built `parley` CLI (Parley.Cli.dll) as a real process, with a timeout, from its own build output
    /// (its own copies of the Unity layer and the stand-in, as `Tools~/parley` runs it).
    /// </summary>
    public static class CliProcess
    {
        public sealed class Result
        {
            public int ExitCode;
            public string Stdout;
            public string Stderr;
            public override string ToString() => "exit " + ExitCode + "\nstdout:\n" + Stdout + "\nstderr:\n" + Stderr;
        }

        /// <summary>.build/bin/Parley.Tests/CONFIG/TFM → .build/bin/Parley.Cli/CONFIG/TFM/Parley.Cli.dll</summary>
        public static string CliDll()
        {
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var config = tfm.Parent;
            var bin = config.Parent.Parent;
            return Path.Combine(bin.FullName, "Parley.Cli", config.Name, tfm.Name, "Parley.Cli.dll");
        }

        public static Result Run(IEnumerable<string> args, int timeoutMs = 120000, IDictionary<string, string> env = null, string workingDir = null)
        {
            var dll = CliDll();
            Assert.That(File.Exists(dll), Is.True, "the CLI is built at " + dll);
            var psi = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = workingDir ?? Parley.Tests.Support.PackagePaths.Root,
            };
            psi.ArgumentList.Add(dll);
            foreach (var a in args) psi.ArgumentList.Add(a);
            if (env != null) foreach (var kv in env) psi.Environment[kv.Key] = kv.Value;
            using (var p = Process.Start(psi))
            {
                var stdout = p.StandardOutput.ReadToEndAsync();
                var stderr = p.StandardError.ReadToEndAsync();
                if (!p.WaitForExit(timeoutMs))
                {
                    p.Kill(true);
                    Assert.Fail("parley " + string.Join(" ", args) + " did not finish within " + timeoutMs + " ms");
                }
                p.WaitForExit();
                return new Result { ExitCode = p.ExitCode, Stdout = stdout.Result, Stderr = stderr.Result };
            }
        }
    }
}
