using System;
using System.Diagnostics;
using NUnit.Framework;

namespace Parley.Tests.HostOnly.Cli
{
    /// <summary>`parley emulator --port 0` started as the CLI runs it (from its own output); <see cref="Uri"/> is the address it announced.</summary>
    sealed class CliEmulatorProcess : IDisposable
    {
        public readonly Process Process;
        public readonly Uri Uri;

        public CliEmulatorProcess()
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Parley.Tests.Support.PackagePaths.Root };
            foreach (var a in new[] { CliProcess.CliDll(), "emulator", "--port", "0" }) psi.ArgumentList.Add(a);
            Process = Process.Start(psi);
            try
            {
                var first = Process.StandardOutput.ReadLineAsync();
                Assert.That(first.Wait(60000), Is.True, "the emulator announces its address");
                var line = first.Result ?? "";
                var at = line.IndexOf("ws://", StringComparison.Ordinal);
                Assert.That(at, Is.GreaterThan(0), line);
                Uri = new Uri(line.Substring(at).Split(' ')[0]);
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        /// <summary>Stops it as a service manager or `timeout` would; true when it exited with 0 (stderr otherwise in <paramref name="error"/>).</summary>
        public bool Terminate(out string error)
        {
            using (var kill = Process.Start("kill", new[] { "-TERM", Process.Id.ToString() })) kill.WaitForExit(10000);
            var exited = Process.WaitForExit(30000);
            error = exited ? Process.StandardError.ReadToEnd() : "still running";
            return exited && Process.ExitCode == 0;
        }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(true);
            Process.Dispose();
        }
    }
}
