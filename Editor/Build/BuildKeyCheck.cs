using System.Collections.Generic;
using System.Text;
using Parley.Editor.KeyScan;

namespace Parley.Editor.Build
{
    /// <summary>The build check's verdict on a scan: the failure text (null when clean) and the not-scanned list.</summary>
    public static class BuildKeyCheck
    {
        /// <summary>Null when the build may go on; otherwise the message the build fails with, one finding a line, keys masked.</summary>
        public static string FailureMessage(KeyScanReport report)
        {
            if (report.Clean) return null;
            var s = new StringBuilder();
            s.Append("Parley build check: ").Append(report.Findings.Count).Append(report.Findings.Count == 1 ? " key" : " keys")
                .Append(" in what this build includes. A player must never carry an API key: remove ")
                .Append(report.Findings.Count == 1 ? "it" : "them")
                .Append(" and give agents a token source (development keys belong in Preferences → Parley).");
            foreach (var f in report.Findings) s.Append('\n').Append(f);
            return s.ToString();
        }

        /// <summary>Files the build includes that could not be read as text (binary-serialized assets), one a line; null when none.</summary>
        public static string NotScannedMessage(KeyScanReport report)
        {
            if (report.NotScanned.Count == 0) return null;
            var s = new StringBuilder("Parley build check: ").Append(report.NotScanned.Count).Append(" included file(s) not scanned for keys:");
            foreach (var u in report.NotScanned) s.Append('\n').Append(u);
            return s.ToString();
        }

        /// <summary>The one-line summary logged when the build may go on.</summary>
        public static string CleanSummary(KeyScanReport report, int files) =>
            "Parley build check: no keys in " + report.FilesScanned + " of " + files + " included files (" + report.BytesScanned + " bytes).";
    }
}
