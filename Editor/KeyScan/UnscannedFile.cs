namespace Parley.Editor.KeyScan
{
    /// <summary>A file the scanner could not read as text (a binary-serialized Unity asset, binary content, an I/O error).</summary>
    public sealed class UnscannedFile
    {
        public readonly string Path;
        public readonly string Reason;

        public UnscannedFile(string path, string reason) { Path = path; Reason = reason; }

        public override string ToString() => Path + ": not scanned (" + Reason + ")";
    }
}
