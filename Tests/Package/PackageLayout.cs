using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Parley.Tests.Support;

namespace Parley.Tests.Package
{
    /// <summary>
    /// What Unity's AssetDatabase sees of the package: every file and folder outside hidden (`.x`) and
    /// `x~` folders (PVS Verifier PathEntry rules, shared/unity/upm-conventions.md §4).
    /// </summary>
    static class PackageLayout
    {
        public static string Relative(string full) =>
            full.Substring(PackagePaths.Root.Length).TrimStart(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Replace('\\', '/');

        /// <summary>Outside Unity's view: any part starting with `.` or ending with `~` (so all of Samples~), `cvs`, `*.tmp`.</summary>
        public static bool IsHiddenFromUnity(string relative) =>
            relative.Split('/').Any(part => part.StartsWith(".") || part.EndsWith("~") || part.Equals("cvs", StringComparison.OrdinalIgnoreCase))
            || relative.EndsWith(".tmp", StringComparison.Ordinal);

        /// <summary>The sample folder ("Samples~/NAME/") a path lies in, or null.</summary>
        public static string SampleOf(string relative)
        {
            var parts = relative.Split('/');
            return parts.Length > 2 && parts[0] == "Samples~" ? parts[0] + "/" + parts[1] + "/" : null;
        }

        /// <summary>A file Unity imports once its sample is copied into Assets/ (hidden parts inside the sample stay hidden).</summary>
        public static bool ImportedWithSample(string relative)
        {
            var sample = SampleOf(relative);
            return sample != null && !IsHiddenFromUnity(relative.Substring(sample.Length));
        }

        static readonly Regex YamlGuid = new Regex(@"guid: ([0-9a-f]{32})");
        static readonly Regex MetaGuid = new Regex("^guid: ([0-9a-f]{32})$", RegexOptions.Multiline);

        /// <summary>
        /// Metas a sample ships although Samples~ is hidden: only those whose GUID the sample's own scenes, prefabs
        /// or assets refer to. The Package Manager copies a sample into Assets/ and Unity imports it there; a script
        /// or asset a scene names by GUID must arrive with that GUID (any other file gets a fresh meta on import).
        /// </summary>
        public static List<string> SampleGuidAnchors()
        {
            var anchors = new List<string>();
            var samples = Path.Combine(PackagePaths.Root, "Samples~");
            if (!Directory.Exists(samples)) return anchors;
            foreach (var sample in Directory.GetDirectories(samples).OrderBy(x => x, StringComparer.Ordinal))
            {
                var referenced = new HashSet<string>();
                foreach (var yaml in Directory.EnumerateFiles(sample, "*", SearchOption.AllDirectories).Where(IsSerializedAsset))
                    foreach (Match m in YamlGuid.Matches(File.ReadAllText(yaml))) referenced.Add(m.Groups[1].Value);
                foreach (var meta in Directory.EnumerateFiles(sample, "*.meta", SearchOption.AllDirectories).OrderBy(x => x, StringComparer.Ordinal))
                {
                    var m = MetaGuid.Match(File.ReadAllText(meta));
                    if (m.Success && referenced.Contains(m.Groups[1].Value)) anchors.Add(Relative(meta));
                }
            }
            return anchors;
        }

        /// <summary>A text-serialized Unity file that can name other assets by GUID: scene, prefab, asset.</summary>
        public static bool IsSerializedAsset(string path) =>
            path.EndsWith(".unity", StringComparison.Ordinal) || path.EndsWith(".prefab", StringComparison.Ordinal) || path.EndsWith(".asset", StringComparison.Ordinal);

        /// <summary>Files and folders Unity imports (relative paths, folders end without a slash), metas excluded.</summary>
        public static List<string> ImportedAssets(out List<string> folders)
        {
            var files = new List<string>();
            folders = new List<string>();
            Walk(PackagePaths.Root, files, folders);
            return files;
        }

        /// <summary>Every .meta file anywhere under the package, hidden folders included.</summary>
        public static List<string> AllMetaFiles() =>
            Directory.EnumerateFiles(PackagePaths.Root, "*.meta", SearchOption.AllDirectories)
                .Select(Relative).Where(r => !r.StartsWith(".git/")).OrderBy(r => r, StringComparer.Ordinal).ToList();

        static void Walk(string dir, List<string> files, List<string> folders)
        {
            foreach (var f in Directory.GetFiles(dir).OrderBy(x => x, StringComparer.Ordinal))
            {
                var rel = Relative(f);
                if (IsHiddenFromUnity(rel) || rel.EndsWith(".meta", StringComparison.Ordinal)) continue;
                files.Add(rel);
            }
            foreach (var d in Directory.GetDirectories(dir).OrderBy(x => x, StringComparer.Ordinal))
            {
                var rel = Relative(d);
                if (IsHiddenFromUnity(rel)) continue;
                folders.Add(rel);
                Walk(d, files, folders);
            }
        }

        /// <summary>The importer Unity uses for an asset (first YAML key after the guid), by file kind.</summary>
        public static string ExpectedImporter(string relative, bool isFolder)
        {
            if (isFolder) return "DefaultImporter";
            var name = Path.GetFileName(relative);
            if (relative == "package.json") return "PackageManifestImporter";
            switch (Path.GetExtension(name).ToLowerInvariant())
            {
                case ".cs": return "MonoImporter";
                case ".asmdef": return "AssemblyDefinitionImporter";
                case ".asmref": return "AssemblyDefinitionReferenceImporter";
                case ".md": case ".txt": case ".json": case ".csv": case ".xml": case ".bytes": return "TextScriptImporter";
                case ".dll": case ".jslib": case ".jspre": case ".so": case ".dylib": return "PluginImporter";
                case ".wav": case ".ogg": case ".mp3": return "AudioImporter";
                case ".onnx": return "ScriptedImporter";
                case ".asset": return "NativeFormatImporter";      // a ScriptableObject asset (mainObjectFileID 11400000)
                case ".prefab": return "PrefabImporter";
                case ".unity": return "DefaultImporter";           // scenes: SceneAsset through the default importer
                default: return "DefaultImporter";
            }
        }
    }
}
