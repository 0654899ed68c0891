using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace Parley.Editor.KeyScan
{
    /// <summary>
    /// The key shapes the scanner looks for, each bounded on both sides by a character no key or base64 run contains
    /// (so a prefix that happens to occur inside base64 audio, a hash or a GUID is not a key), and the masking rule.
    /// </summary>
    public static class KeyPatterns
    {
        public const string OpenAI = "OpenAI";
        public const string Google = "Google";
        public const string Nvidia = "NVIDIA";
        public const string Bearer = "bearer";

        // Not preceded / followed by anything a key or a base64 (standard or URL-safe) run is made of ('=' only ends
        // base64, so `NAME=key` and `?key=` still count).
        const string Before = @"(?<![A-Za-z0-9_+/-])";
        const string After = @"(?![A-Za-z0-9_+/=-])";

        // Compiled: the scanner reads whole projects, and the editor and the .NET host both compile regexes to IL.
        const RegexOptions Options = RegexOptions.Compiled;

        // Token shapes: sk-proj-/sk-svcacct-/sk-admin-/sk-None- project, service-account, admin and unnamed-project keys
        // (20 or more URL-safe characters after the prefix), and legacy keys, sk- then exactly 48 letters and digits (no
        // '-' or '_'). Not "sk-" then any 20 URL-safe characters: base64url text has a line or run starting "sk-" once in
        // 64^3, and such a run goes on with '-'/'_' or past 48 characters; AIza + 35 (Google API keys are 39 characters);
        // nvapi- + 64 (NGC/build.nvidia.com keys).
        static readonly Regex s_OpenAI = new Regex(Before + @"(sk-(?:(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9]{48}))" + After,
            RegexOptions.CultureInvariant | Options);
        static readonly Regex s_Google = new Regex(Before + @"(AIza[0-9A-Za-z_-]{35})" + After, RegexOptions.CultureInvariant | Options);
        static readonly Regex s_Nvidia = new Regex(Before + @"(nvapi-[A-Za-z0-9_-]{30,})" + After, RegexOptions.CultureInvariant | Options);
        // "Bearer <token>" anywhere, and an Authorization header or field whose value is a bare token ("Basic"/"Token" schemes too).
        static readonly Regex s_Bearer = new Regex(@"(?<![A-Za-z0-9])[Bb]earer[ \t]+([A-Za-z0-9._~+/-]{16,}=*)(?![A-Za-z0-9._~+/=-])", RegexOptions.CultureInvariant | Options);
        static readonly Regex s_Authorization = new Regex(
            @"(?<![A-Za-z0-9])[Aa]uthorization[""']?[ \t]*[:=][ \t]*[""']?(?:(?:Basic|Token|token)[ \t]+)?([A-Za-z0-9._~+/-]{16,}=*)(?![A-Za-z0-9._~+/=-])",
            RegexOptions.CultureInvariant | Options);

        /// <summary>A key found in a text: who issued it and where it is (start index and length of the key itself).</summary>
        public struct Hit
        {
            public string Provider;
            public int Index;
            public int Length;
        }

        /// <summary>Every key in <paramref name="text"/>, in order, each once: a vendor key after "Bearer" counts as the vendor's.</summary>
        public static List<Hit> Find(string text)
        {
            var hits = new List<Hit>();
            Add(hits, s_OpenAI, text, OpenAI, false);
            Add(hits, s_Google, text, Google, false);
            Add(hits, s_Nvidia, text, Nvidia, false);
            Add(hits, s_Bearer, text, Bearer, true);
            Add(hits, s_Authorization, text, Bearer, true);
            hits.Sort((a, b) => a.Index.CompareTo(b.Index));
            return hits;
        }

        static void Add(List<Hit> hits, Regex regex, string text, string provider, bool generic)
        {
            for (var m = regex.Match(text); m.Success; m = m.NextMatch())
            {
                var g = m.Groups[1];
                // A generic token must look like a secret (letters and digits), not "Bearer YOUR_API_KEY_PLACEHOLDER".
                if (generic && !LooksLikeSecret(text, g.Index, g.Length)) continue;
                if (Overlaps(hits, g.Index, g.Length)) continue;
                hits.Add(new Hit { Provider = provider, Index = g.Index, Length = g.Length });
            }
        }

        static bool LooksLikeSecret(string text, int index, int length)
        {
            bool letter = false, digit = false;
            for (var i = index; i < index + length; i++)
            {
                var c = text[i];
                if (c >= '0' && c <= '9') digit = true;
                else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) letter = true;
            }
            return letter && digit;
        }

        static bool Overlaps(List<Hit> hits, int index, int length)
        {
            foreach (var h in hits)
                if (index < h.Index + h.Length && h.Index < index + length) return true;
            return false;
        }

        /// <summary>The first four and last two characters, every other one '*' (shorter keys: all '*').</summary>
        public static string Mask(string key)
        {
            if (string.IsNullOrEmpty(key)) return string.Empty;
            if (key.Length <= 8) return new string('*', key.Length);
            return key.Substring(0, 4) + new string('*', key.Length - 6) + key.Substring(key.Length - 2);
        }
    }
}
