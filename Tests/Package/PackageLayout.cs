using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
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

        /// <summary>
        /// A sample (Samples~/NAME) is imported on its own by the Package Manager, so what is inside it is judged by
        /// the same rules from the sample's folder (its scenes hold its scripts' GUIDs); Samples~ and NAME need no meta.
        /// </summary>
        public static bool IsHiddenFromUnity(string relative)
        {
            if (relative == "Samples~" || relative.StartsWith("Samples~/", StringComparison.Ordinal))
            {
                var parts = relative.Split('/');
                if (parts.Length <= 2) return true;
                relative = string.Join("/", parts.Skip(2));
            }
            return relative.Split('/').Any(part => part.StartsWith(".") || part.EndsWith("~") || part.Equals("cvs", StringComparison.OrdinalIgnoreCase))
                || relative.EndsWith(".tmp", StringComparison.Ordinal);
        }

        /// <summary>Samples~ and a sample's own folder: hidden themselves, but their contents are imported.</summary>
        static bool HoldsSamples(string relative) =>
            relative == "Samples~" || (relative.StartsWith("Samples~/", StringComparison.Ordinal) && relative.Split('/').Length == 2);

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
                if (HoldsSamples(rel)) { Walk(d, files, folders); continue; }
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
