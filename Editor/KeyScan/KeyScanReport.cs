using System.Collections.Generic;

namespace Parley.Editor.KeyScan
{
    /// <summary>What a scan found, what it could not read, and how much it read.</summary>
    public sealed class KeyScanReport
    {
        public readonly List<KeyFinding> Findings = new List<KeyFinding>();
        public readonly List<UnscannedFile> NotScanned = new List<UnscannedFile>();
        public int FilesScanned;
        public long BytesScanned;

        public bool Clean => Findings.Count == 0;
    }
}
