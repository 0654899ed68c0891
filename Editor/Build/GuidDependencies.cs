using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;

namespace Parley.Editor.Build
{
    /// <summary>
    /// What a text-serialized asset references, found the way Unity records it: <c>guid: …</c> in the asset, resolved
    /// through the <c>guid:</c> line of each .meta file under Assets/ and Packages/. Recursive, the given paths
    /// included (as AssetDatabase.GetDependencies answers). A binary-serialized asset yields no references here (the
    /// scan lists it as not scanned). For `parley scan-keys`-style use and tests; the editor asks the AssetDatabase.
    /// </summary>
    public sealed class GuidDependencies
    {
        static readonly Regex s_Guid = new Regex(@"\bguid: ?([0-9a-f]{32})\b", RegexOptions.CultureInvariant);
        readonly string _root;
        readonly Dictionary<string, string> _pathByGuid = new Dictionary<string, string>(StringComparer.Ordinal);

        public GuidDependencies(string projectRoot)
        {
            _root = projectRoot;
            foreach (var top in new[] { "Assets", "Packages" })
            {
                var dir = Path.Combine(projectRoot, top);
                if (!Directory.Exists(dir)) continue;
                foreach (var meta in Directory.GetFiles(dir, "*.meta", SearchOption.AllDirectories))
                {
                    var m = s_Guid.Match(ReadHead(meta));
                    if (m.Success) _pathByGuid[m.Groups[1].Value] = Path.GetRelativePath(projectRoot, meta.Substring(0, meta.Length - 5)).Replace('\\', '/');
                }
            }
        }

        /// <summary>The project-relative path of an asset GUID, or null (as AssetDatabase.GUIDToAssetPath, which answers "").</summary>
        public string PathOf(string guid) => _pathByGuid.TryGetValue(guid, out var p) ? p : null;

        public string[] Resolve(string[] paths)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var order = new List<string>();
            var todo = new Stack<string>(paths);
            while (todo.Count > 0)
            {
                var p = todo.Pop().Replace('\\', '/');
                if (!seen.Add(p)) continue;
                var full = Path.Combine(_root, p);
                if (!File.Exists(full)) continue;   // a .meta left behind by a deleted asset
                order.Add(p);
                string text;
                try { text = File.ReadAllText(full); }
                catch (IOException) { continue; }
                if (!text.StartsWith("%YAML", StringComparison.Ordinal)) continue;
                foreach (Match m in s_Guid.Matches(text))
                    if (_pathByGuid.TryGetValue(m.Groups[1].Value, out var dep) && !seen.Contains(dep)) todo.Push(dep);
            }
            return order.ToArray();
        }

        static string ReadHead(string path)
        {
            using (var r = new StreamReader(path))
            {
                var buffer = new char[512];
                var n = r.ReadBlock(buffer, 0, buffer.Length);
                return new string(buffer, 0, n);
            }
        }
    }
}
