using System;
using System.Threading;
using System.Threading.Tasks;
using Parley.Editor.KeyScan;
using Spectre.Console.Cli;

namespace Parley.Cli.Commands
{
    /// <summary>
    /// `parley scan-keys DIR`: the build check's scanner over a folder. One stdout line per finding (key masked), files
    /// it could not read and a summary on stderr; exit 1 when anything is found, 0 when clean.
    /// </summary>
    public sealed class ScanKeysCommand : AsyncCommand<ScanKeysSettings>
    {
        public override Task<int> ExecuteAsync(CommandContext context, ScanKeysSettings s, CancellationToken cancellationToken)
        {
            s.Check();
            var report = KeyScanner.ScanDirectory(s.Dir);
            foreach (var f in report.Findings) Console.WriteLine(f.ToString());
            foreach (var n in report.NotScanned) Console.Error.WriteLine(n.ToString());
            Console.Error.WriteLine("parley scan-keys: " + report.Findings.Count + " finding(s) in " + report.FilesScanned + " file(s) ("
                                    + (report.BytesScanned / 1e6).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " MB), "
                                    + report.NotScanned.Count + " not scanned.");
            return Task.FromResult(report.Clean ? ExitCodes.Ok : ExitCodes.Failed);
        }
    }
}
