using System;
using System.Collections.Generic;

namespace Parley.Tests.Editor.KeyScan
{
    /// <summary>
    /// Key-shaped strings made when the tests run (seeded random characters after each vendor's prefix), so no key is
    /// ever committed and the repository's own key check stays clean. Each fills one placeholder of the fixtures.
    /// </summary>
    public sealed class GeneratedKeys
    {
        const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        const string UrlSafe = Alnum + "-_";

        /// <summary>Placeholder (`{{OPENAI_KEY}}`...) → generated key.</summary>
        public readonly Dictionary<string, string> ByPlaceholder = new Dictionary<string, string>();

        public GeneratedKeys(int seed)
        {
            var r = new Random(seed);
            // Prefixes are split so this file holds no key-shaped literal.
            ByPlaceholder["{{OPENAI_KEY}}"] = "sk" + "-" + Chars(r, Alnum, 48);
            ByPlaceholder["{{OPENAI_PROJECT_KEY}}"] = "sk" + "-proj-" + Chars(r, UrlSafe, 156);
            ByPlaceholder["{{OPENAI_SVCACCT_KEY}}"] = "sk" + "-svcacct-" + Chars(r, UrlSafe, 156);
            ByPlaceholder["{{GOOGLE_KEY}}"] = "AI" + "za" + Chars(r, UrlSafe, 35);
            ByPlaceholder["{{NVIDIA_KEY}}"] = "nv" + "api-" + Chars(r, UrlSafe, 64);
            // A bearer token must look like a secret to be reported: letters and digits.
            ByPlaceholder["{{BEARER_TOKEN}}"] = "t" + r.Next(10) + Chars(r, Alnum, 38);
        }

        public string this[string placeholder] => ByPlaceholder[placeholder];

        public static string Chars(Random r, string alphabet, int n)
        {
            var c = new char[n];
            for (var i = 0; i < n; i++) c[i] = alphabet[r.Next(alphabet.Length)];
            return new string(c);
        }

        /// <summary>The expected masked form, written out independently of the scanner: first 4, '*'s, last 2.</summary>
        public static string Masked(string key) => key.Substring(0, 4) + new string('*', key.Length - 6) + key.Substring(key.Length - 2);
    }
}
