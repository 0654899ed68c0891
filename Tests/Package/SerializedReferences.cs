using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Parley.Tests.Package
{
    /// <summary>
    /// Checks hand-written, text-serialized Unity files (scenes, prefabs, ScriptableObject assets) the way the editor
    /// would resolve them: every MonoBehaviour's <c>m_Script: {fileID: 11500000, guid: G, type: 3}</c> must name the
    /// .meta GUID of a C# file whose class is named after the file (Unity finds a MonoScript's class by its file
    /// name) and derives from MonoBehaviour (a scene object) or ScriptableObject (an asset), directly or through
    /// package classes; every serialized key must be a field of that class or its bases; every other GUID must be an
    /// asset the importer can see; local <c>{fileID: N}</c> references must name a document of the same file.
    /// </summary>
    sealed class SerializedReferences
    {
        static readonly Regex Header = new Regex(@"^--- !u!(\d+) &(-?\d+)( stripped)?\s*$", RegexOptions.Multiline);
        static readonly Regex Reference = new Regex(@"\{fileID: (-?\d+)(?:, guid: ([0-9a-f]{32}), type: (\d))?\}");
        static readonly Regex ScriptRef = new Regex(@"^  m_Script: \{fileID: 11500000, guid: ([0-9a-f]{32}), type: 3\}\s*$", RegexOptions.Multiline);
        static readonly Regex ClassDecl = new Regex(@"\bclass\s+(\w+)\s*(?::\s*([\w.]+))?");
        static readonly string[] BuiltinGuids = { "0000000000000000f000000000000000", "0000000000000000e000000000000000" };

        /// <summary>Assets by GUID (package-relative path), and the C# source of each script.</summary>
        public readonly Dictionary<string, string> PathByGuid = new Dictionary<string, string>();
        public readonly Dictionary<string, string> SourceByPath = new Dictionary<string, string>();

        public int ScriptReferences { get; private set; }

        /// <summary>Every .meta Unity would read, and the .cs files they describe.</summary>
        public static SerializedReferences FromPackage(string root)
        {
            var index = new SerializedReferences();
            foreach (var meta in Directory.GetFiles(root, "*.meta", SearchOption.AllDirectories))
            {
                var rel = PackageLayout.Relative(meta);
                if (rel.StartsWith(".git/", StringComparison.Ordinal) || (PackageLayout.IsHiddenFromUnity(rel) && PackageLayout.SampleOf(rel) == null)) continue;
                var guid = Regex.Match(File.ReadAllText(meta), "^guid: ([0-9a-f]{32})$", RegexOptions.Multiline).Groups[1].Value;
                var asset = rel.Substring(0, rel.Length - ".meta".Length);
                index.PathByGuid[guid] = asset;
                if (asset.EndsWith(".cs", StringComparison.Ordinal)) index.SourceByPath[asset] = File.ReadAllText(Path.Combine(root, asset));
            }
            return index;
        }

        /// <summary>Problems in one file (<paramref name="path"/> package-relative); empty when Unity would resolve everything.</summary>
        public List<string> Check(string path, string yaml)
        {
            var problems = new List<string>();
            yaml = yaml.Replace("\r\n", "\n");
            if (!yaml.StartsWith("%YAML 1.1\n%TAG !u! tag:unity3d.com,2011:\n", StringComparison.Ordinal))
                problems.Add(path + ": does not start with Unity's two YAML header lines");
            var headers = Header.Matches(yaml).Cast<Match>().ToList();
            if (headers.Count == 0) { problems.Add(path + ": no '--- !u!CLASS &ID' document"); return problems; }
            var ids = new HashSet<string>();
            foreach (var h in headers)
                if (!ids.Add(h.Groups[2].Value)) problems.Add(path + ": two documents are &" + h.Groups[2].Value);

            for (var d = 0; d < headers.Count; d++)
            {
                var start = headers[d].Index + headers[d].Length;
                var end = d + 1 < headers.Count ? headers[d + 1].Index : yaml.Length;
                var doc = yaml.Substring(start, end - start);
                var where = path + " &" + headers[d].Groups[2].Value;

                foreach (Match r in Reference.Matches(doc))
                {
                    var fileId = r.Groups[1].Value;
                    if (!r.Groups[2].Success)
                    {
                        if (fileId != "0" && !ids.Contains(fileId)) problems.Add(where + ": {fileID: " + fileId + "} names no document of this file");
                        continue;
                    }
                    var guid = r.Groups[2].Value;
                    if (BuiltinGuids.Contains(guid)) continue;
                    if (!PathByGuid.TryGetValue(guid, out var target)) { problems.Add(where + ": guid " + guid + " is no asset of the package"); continue; }
                    var sample = PackageLayout.SampleOf(path);
                    if (sample != null && PackageLayout.SampleOf(target) != null && PackageLayout.SampleOf(target) != sample)
                        problems.Add(where + ": " + target + " is in another sample (samples are imported one by one)");
                }

                var kind = headers[d].Groups[1].Value;
                var script = ScriptRef.Match(doc);
                if (kind != "114" || headers[d].Groups[3].Success) continue;
                if (!script.Success) { problems.Add(where + ": a MonoBehaviour without m_Script {fileID: 11500000, guid, type: 3}"); continue; }
                ScriptReferences++;
                var isAsset = Regex.IsMatch(doc, @"^  m_GameObject: \{fileID: 0\}\s*$", RegexOptions.Multiline);
                CheckScript(where, script.Groups[1].Value, isAsset ? "ScriptableObject" : "MonoBehaviour", FieldsOf(doc), problems);
            }
            return problems;
        }

        void CheckScript(string where, string guid, string root, List<string> fields, List<string> problems)
        {
            if (!PathByGuid.TryGetValue(guid, out var path) || !SourceByPath.TryGetValue(path, out var source))
            {
                problems.Add(where + ": m_Script guid " + guid + " is no C# file of the package");
                return;
            }
            if (path.StartsWith("Editor/", StringComparison.Ordinal) || path.Contains("/Editor/"))
                problems.Add(where + ": " + path + " is editor code, absent from players");
            var name = Path.GetFileNameWithoutExtension(path);
            var chain = new List<string>();
            var current = name;
            var currentSource = source;
            while (true)
            {
                var decl = ClassDecl.Matches(currentSource).Cast<Match>().FirstOrDefault(m => m.Groups[1].Value == current);
                if (decl == null)
                {
                    problems.Add(where + ": " + (chain.Count == 0 ? path + " declares no class " + name + " (Unity needs the class named after its file)" : "base class " + current + " not found in the package"));
                    return;
                }
                chain.Add(currentSource);
                var baseName = decl.Groups[2].Success ? decl.Groups[2].Value.Split('.').Last() : null;
                if (baseName == root) break;
                if (baseName == null || baseName == "MonoBehaviour" || baseName == "ScriptableObject")
                {
                    problems.Add(where + ": " + name + " is not a " + root);
                    return;
                }
                var next = SourceByPath.FirstOrDefault(kv => Path.GetFileNameWithoutExtension(kv.Key) == baseName);
                current = baseName;
                currentSource = next.Value ?? string.Empty;
            }
            foreach (var field in fields)
                if (!chain.Any(src => Regex.IsMatch(src, @"\b" + Regex.Escape(field) + @"\s*(=[^=>]|;)")))
                    problems.Add(where + ": " + name + " has no serialized field '" + field + "'");
        }

        /// <summary>The keys after m_EditorClassIdentifier at the document's top indentation: the script's serialized fields.</summary>
        static List<string> FieldsOf(string doc)
        {
            var fields = new List<string>();
            var after = false;
            foreach (var line in doc.Split('\n'))
            {
                if (line.StartsWith("  m_EditorClassIdentifier:", StringComparison.Ordinal)) { after = true; continue; }
                if (!after) continue;
                var m = Regex.Match(line, @"^  (\w+):");
                if (m.Success) fields.Add(m.Groups[1].Value);
            }
            return fields;
        }
    }
}
