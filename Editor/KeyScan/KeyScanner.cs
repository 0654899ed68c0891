using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Parley.Editor.KeyScan
{
    /// <summary>
    /// Finds OpenAI, Google, NVIDIA and bearer key material in text files: Unity text-serialized YAML (scenes, prefabs,
    /// ScriptableObjects, materials...), JSON, text assets, source. Engine-free: the build check and `parley scan-keys`
    /// both call it. Binary-serialized Unity assets and binary content cannot be read and are reported as not scanned.
    /// </summary>
    public static class KeyScanner
    {
        /// <summary>The keys in <paramref name="text"/>, reported under <paramref name="path"/>.</summary>
        public static List<KeyFinding> ScanText(string text, string path)
        {
            var findings = new List<KeyFinding>();
            var hits = KeyPatterns.Find(text);
            if (hits.Count == 0) return findings;
            var lines = new LineIndex(text);
            var yaml = text.StartsWith("%YAML", StringComparison.Ordinal);
            foreach (var hit in hits)
            {
                var line = lines.LineOf(hit.Index);
                var field = KeyFieldLocator.Locate(text, lines, line, hit.Index, yaml);
                findings.Add(new KeyFinding(path, line + 1, hit.Provider, field, KeyPatterns.Mask(text.Substring(hit.Index, hit.Length))));
            }
            return findings;
        }

        /// <summary>Scans one file into <paramref name="report"/> (its findings, or why it was not scanned).</summary>
        public static void ScanFile(string fullPath, string reportedPath, KeyScanReport report)
        {
            byte[] bytes;
            try { bytes = File.ReadAllBytes(fullPath); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                report.NotScanned.Add(new UnscannedFile(reportedPath, "cannot be read: " + e.Message));
                return;
            }
            var reason = AssetKinds.WhyNotText(fullPath, bytes);
            if (reason != null) { report.NotScanned.Add(new UnscannedFile(reportedPath, reason)); return; }
            report.Findings.AddRange(ScanText(Decode(bytes), reportedPath));
            report.FilesScanned++;
            report.BytesScanned += bytes.Length;
        }

        /// <summary>
        /// Every file under <paramref name="root"/> except a Unity project's generated folders (Library, Temp, obj, and
        /// .git anywhere) and media whose format holds no text (images, audio, models, fonts, archives). Paths are reported
        /// relative to <paramref name="root"/> with '/' separators, in ordinal order.
        /// </summary>
        public static KeyScanReport ScanDirectory(string root)
        {
            if (!Directory.Exists(root)) throw new DirectoryNotFoundException("No folder '" + root + "'.");
            var report = new KeyScanReport();
            var full = Path.GetFullPath(root);
            foreach (var file in Files(full, full, true, report))
            {
                if (AssetKinds.IsMedia(file)) continue;
                ScanFile(file, Path.GetRelativePath(full, file).Replace('\\', '/'), report);
            }
            return report;
        }

        static IEnumerable<string> Files(string root, string dir, bool top, KeyScanReport report)
        {
            string[] files, dirs;
            try
            {
                files = Directory.GetFiles(dir);
                dirs = Directory.GetDirectories(dir);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // An unreadable folder is reported, not a reason to stop the scan.
                report.NotScanned.Add(new UnscannedFile(Path.GetRelativePath(root, dir).Replace('\\', '/') + "/", "folder cannot be read: " + e.Message));
                yield break;
            }
            Array.Sort(files, StringComparer.Ordinal);
            foreach (var f in files) yield return f;
            Array.Sort(dirs, StringComparer.Ordinal);
            foreach (var d in dirs)
            {
                if (AssetKinds.IsGeneratedFolder(Path.GetFileName(d), top)) continue;
                // A symbolic link to a folder could loop; the build follows assets, not links.
                if ((File.GetAttributes(d) & FileAttributes.ReparsePoint) != 0) continue;
                foreach (var f in Files(root, d, false, report)) yield return f;
            }
        }

        /// <summary>UTF-8 (with or without a BOM), or UTF-16 with a BOM, as Unity writes text assets.</summary>
        static string Decode(byte[] bytes)
        {
            if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE) return Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2);
            if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF) return Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2);
            var skip = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            return Encoding.UTF8.GetString(bytes, skip, bytes.Length - skip);
        }
    }
}
