using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace Parley.Editor.KeyScan
{
    /// <summary>
    /// The field a key sits under: the JSON key of the string holding it, else the YAML mapping key of its line (with
    /// its parents, `MonoBehaviour.profile.apiKey`, in a YAML document), else a `NAME=` or `Header:` at the line's start.
    /// </summary>
    public static class KeyFieldLocator
    {
        // A mapping key, an env assignment or a header at the start of a line (a YAML sequence dash allowed).
        static readonly Regex s_LineKey = new Regex(@"^[ \t]*(?:-[ \t]+)?(?:export[ \t]+)?[""']?([A-Za-z_][A-Za-z0-9_.\-]*)[""']?[ \t]*[:=]", RegexOptions.CultureInvariant);

        /// <summary>The field for the key at <paramref name="index"/> on the 0-based line <paramref name="line"/>, or null.</summary>
        public static string Locate(string text, LineIndex lines, int line, int index, bool yaml)
        {
            var json = JsonKey(text, index, lines.Start(line));
            if (json != null) return json;
            var own = LineKey(text, lines, line, out var indent);
            if (own == null && yaml)
            {
                // A key on a continuation line of a multi-line scalar: the field is the nearest less-indented key above.
                indent = Indent(text, lines, line);
                for (var l = line - 1; l >= 0 && own == null; l--)
                {
                    if (IsBlank(text, lines, l)) continue;
                    var k = LineKey(text, lines, l, out var i);
                    if (k != null && i < indent) { own = k; indent = i; line = l; }
                    else if (i < indent && k == null) break;
                }
            }
            if (own == null || !yaml) return own;
            return YamlPath(text, lines, line, indent, own);
        }

        /// <summary>Parents of a YAML key: each nearer line with less indentation, up to the document's root (`--- !u!` separates documents).</summary>
        static string YamlPath(string text, LineIndex lines, int line, int indent, string own)
        {
            var path = new List<string> { own };
            for (var l = line - 1; l >= 0 && indent > 0; l--)
            {
                if (IsBlank(text, lines, l)) continue;
                if (text.Length > lines.Start(l) + 2 && string.CompareOrdinal(text, lines.Start(l), "---", 0, 3) == 0) break;
                var k = LineKey(text, lines, l, out var i);
                if (k != null && i < indent) { path.Insert(0, k); indent = i; }
            }
            return string.Join(".", path);
        }

        static string LineKey(string text, LineIndex lines, int line, out int indent)
        {
            indent = Indent(text, lines, line);
            var start = lines.Start(line);
            var m = s_LineKey.Match(text, start, System.Math.Min(lines.End(line) - start, 256));
            if (!m.Success || m.Index != start) return null;
            return m.Groups[1].Value;
        }

        static int Indent(string text, LineIndex lines, int line)
        {
            var i = lines.Start(line);
            var end = lines.End(line);
            while (i < end && (text[i] == ' ' || text[i] == '-' && i + 1 < end && text[i + 1] == ' ')) i++;
            return i - lines.Start(line);
        }

        static bool IsBlank(string text, LineIndex lines, int line)
        {
            for (var i = lines.Start(line); i < lines.End(line); i++)
                if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r') return false;
            return true;
        }

        /// <summary>`"name": "…key…"`: back from the key to its string's opening quote, then over `:` to the name.</summary>
        static string JsonKey(string text, int index, int lineStart)
        {
            var i = index - 1;
            // Inside the same string: no unescaped quote between the opening quote and the key (bounded look-back).
            var limit = System.Math.Max(0, index - 4096);
            while (i >= limit && text[i] != '"' && text[i] != '\n') i--;
            if (i < limit || text[i] != '"') return null;
            i--;
            while (i >= 0 && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) i--;
            if (i < 0 || text[i] != ':') return null;
            i--;
            while (i >= 0 && (text[i] == ' ' || text[i] == '\t')) i--;
            if (i < 0 || text[i] != '"') return null;
            var end = i;
            i--;
            while (i >= 0 && text[i] != '"' && text[i] != '\n' && end - i < 200) i--;
            if (i < 0 || text[i] != '"') return null;
            return text.Substring(i + 1, end - i - 1);
        }
    }
}
