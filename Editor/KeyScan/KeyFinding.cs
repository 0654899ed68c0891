namespace Parley.Editor.KeyScan
{
    /// <summary>One piece of key material in a file: where, whose, under which field, and the key masked (never the key).</summary>
    public sealed class KeyFinding
    {
        /// <summary>The file, as the caller named it (relative to the scanned folder for a folder scan), with '/' separators.</summary>
        public readonly string Path;
        /// <summary>1-based line of the key's first character.</summary>
        public readonly int Line;
        /// <summary>OpenAI, Google, NVIDIA or bearer.</summary>
        public readonly string Provider;
        /// <summary>The YAML field path, JSON key or NAME= the key sits under, or null when none is known.</summary>
        public readonly string Field;
        /// <summary>The key's first four and last two characters, the rest '*'.</summary>
        public readonly string Masked;

        public KeyFinding(string path, int line, string provider, string field, string masked)
        {
            Path = path; Line = line; Provider = provider; Field = field; Masked = masked;
        }

        /// <summary>`path:line: provider key (field) masked`, the line `parley scan-keys` and the build check print.</summary>
        public override string ToString() => Path + ":" + Line + ": " + Provider + " key (" + (Field ?? "no field") + ") " + Masked;
    }
}
