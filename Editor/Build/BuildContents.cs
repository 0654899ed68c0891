using System;
using System.Collections.Generic;
using System.IO;
using Parley.Editor.KeyScan;

namespace Parley.Editor.Build
{
    /// <summary>
    /// The files a player build takes from a Unity project, as the build check scans them: the enabled scenes and
    /// everything in <c>Resources</c> folders with all they reference, everything in <c>StreamingAssets</c> (copied
    /// verbatim), and the runtime scripts (string literals compile into the player). Editor folders are left out
    /// (except under StreamingAssets, which Unity copies whatever it holds), and so are .meta files and media formats
    /// that hold no text. Engine-free: the editor passes AssetDatabase.GetDependencies, tests pass
    /// <see cref="GuidDependencies"/>. Not covered: Addressables and AssetBundles (built separately), preloaded assets
    /// outside these folders that nothing references.
    /// </summary>
    public static class BuildContents
    {
        /// <param name="projectRoot">The folder holding Assets/.</param>
        /// <param name="scenes">Project-relative paths of the scenes the build includes (enabled in Build Settings).</param>
        /// <param name="dependencies">Project-relative paths → those paths and everything they reference, recursively.</param>
        /// <returns>Project-relative paths with '/' separators, each once, in ordinal order.</returns>
        public static List<string> Select(string projectRoot, IEnumerable<string> scenes, Func<string[], string[]> dependencies)
        {
            var assets = Path.Combine(projectRoot, "Assets");
            if (!Directory.Exists(assets)) throw new DirectoryNotFoundException("No Assets folder in '" + projectRoot + "'.");
            var roots = new List<string>();
            foreach (var s in scenes) if (!string.IsNullOrWhiteSpace(s)) roots.Add(Normalize(s));
            var scripts = new List<string>();
            var streaming = new List<string>();
            foreach (var file in Walk(projectRoot, assets))
            {
                var segments = file.Split('/');
                if (IsUnder(segments, "StreamingAssets", topOnly: true)) { streaming.Add(file); continue; }
                if (IsUnder(segments, "Editor", topOnly: false)) continue;
                if (IsUnder(segments, "Resources", topOnly: false)) roots.Add(file);
                else if (file.EndsWith(".cs", StringComparison.OrdinalIgnoreCase)) scripts.Add(file);
            }
            var selected = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var d in roots.Count > 0 ? dependencies(roots.ToArray()) : new string[0])
            {
                var p = Normalize(d);
                if (IsUnder(p.Split('/'), "Editor", topOnly: false) || !Scannable(p)) continue;
                selected.Add(p);
            }
            foreach (var f in scripts) selected.Add(f);
            foreach (var f in streaming) if (Scannable(f)) selected.Add(f);
            return new List<string>(selected);
        }

        /// <summary>
        /// Scans <paramref name="files"/> (project-relative) as the build check does, each reported under its
        /// project-relative path. <paramref name="physicalPath"/> turns a path into the file on disk: a package's
        /// <c>Packages/&lt;name&gt;/…</c> path is not under the project folder when the package is a registry or git one
        /// (it lives in Library/PackageCache/&lt;name&gt;@…); null joins every path onto <paramref name="projectRoot"/>
        /// (right for Assets/ and embedded packages only). The editor passes <see cref="Path.GetFullPath(string)"/>.
        /// </summary>
        public static KeyScanReport Scan(string projectRoot, IEnumerable<string> files, Func<string, string> physicalPath = null)
        {
            var report = new KeyScanReport();
            foreach (var f in files) KeyScanner.ScanFile(physicalPath != null ? physicalPath(f) : Path.Combine(projectRoot, f), f, report);
            return report;
        }

        static bool Scannable(string path) =>
            !path.EndsWith(".meta", StringComparison.OrdinalIgnoreCase) && !AssetKinds.IsMedia(path) && !path.EndsWith("/", StringComparison.Ordinal);

        /// <summary>True when a folder named <paramref name="folder"/> holds the file (directly under Assets/ when <paramref name="topOnly"/>).</summary>
        static bool IsUnder(string[] segments, string folder, bool topOnly)
        {
            if (topOnly) return segments.Length > 2 && segments[0] == "Assets" && segments[1] == folder;
            for (var i = 0; i < segments.Length - 1; i++)
                if (segments[i] == folder) return true;
            return false;
        }

        static string Normalize(string path) => path.Replace('\\', '/').TrimStart('/');

        static IEnumerable<string> Walk(string projectRoot, string dir)
        {
            var files = Directory.GetFiles(dir);
            Array.Sort(files, StringComparer.Ordinal);
            foreach (var f in files)
                if (!f.EndsWith(".meta", StringComparison.OrdinalIgnoreCase))
                    yield return Path.GetRelativePath(projectRoot, f).Replace('\\', '/');
            var dirs = Directory.GetDirectories(dir);
            Array.Sort(dirs, StringComparer.Ordinal);
            foreach (var d in dirs)
            {
                var name = Path.GetFileName(d);
                // Unity ignores hidden folders and ones ending in '~'.
                if (name.StartsWith(".", StringComparison.Ordinal) || name.EndsWith("~", StringComparison.Ordinal)) continue;
                foreach (var f in Walk(projectRoot, d)) yield return f;
            }
        }
    }
}
