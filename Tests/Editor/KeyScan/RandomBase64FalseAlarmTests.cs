using System;
using System.Text;
using NUnit.Framework;
using Parley.Editor.KeyScan;

namespace Parley.Tests.Editor.KeyScan
{
    /// <summary>
    /// No false alarm on 50 MB of random base64 (standard and URL-safe alphabets, lines of random length, seeded),
    /// which by chance holds the prefixes: "sk-" about 95 times in the URL-safe half (25 MB / 64^3), "AIza" about 3 times.
    /// Inside a run a prefix is no key (no boundary before it); at the start of a line it has one, and about 1 seed in 20
    /// has a URL-safe line starting "sk-" by chance (some 12,000 lines, each 1 in 64^3). So the noise gets such lines
    /// on purpose, whatever the seed: the scanner must tell them from keys by the keys' shapes. The limit (in
    /// Documentation~/security.md): a run of exactly 51 characters "sk-" + 48 letters and digits is the legacy key shape.
    /// </summary>
    public class RandomBase64FalseAlarmTests
    {
        const int Megabytes = 50;

        const int ForcedLines = 200;

        /// <param name="prefixed">Every this many lines, one starts with a key prefix (alternately "sk-" and "AIza"); 0 = none.</param>
        static string RandomBase64(int seed, int chars, int prefixed = 0)
        {
            var r = new Random(seed);
            var sb = new StringBuilder(chars + chars / 32);
            var bytes = new byte[3 * 1024];
            var half = chars / 2;
            var line = 0;
            while (sb.Length < chars)
            {
                r.NextBytes(bytes);
                var b64 = Convert.ToBase64String(bytes, 0, 3 * r.Next(16, 1024));
                // The second half URL-safe (base64url, as JWTs and some audio payloads use): '-' and '_' occur.
                if (sb.Length >= half) b64 = b64.Replace('+', '-').Replace('/', '_');
                if (prefixed > 0 && ++line % prefixed == 0) b64 = (line / prefixed % 2 == 0 ? "sk-" : "AIza") + b64.Substring(4);
                sb.Append(b64).Append('\n');
            }
            return sb.ToString();
        }

        static int LinesStartingWith(string text, string prefix)
        {
            var n = text.StartsWith(prefix, StringComparison.Ordinal) ? 1 : 0;
            return n + Count(text, "\n" + prefix);
        }

        static int Count(string text, string prefix)
        {
            var n = 0;
            for (var i = text.IndexOf(prefix, StringComparison.Ordinal); i >= 0; i = text.IndexOf(prefix, i + 1, StringComparison.Ordinal)) n++;
            return n;
        }

        [Test]
        public void Fifty_megabytes_of_random_base64_hold_no_key()
        {
            // About 24,000 lines: one in 120 starts with a prefix, 200 in all, half of them in the URL-safe half.
            var text = RandomBase64(20261130, Megabytes * 1000 * 1000, prefixed: 120);
            // The prefixes do occur by chance inside runs, and at line starts on purpose: the test is about telling them from keys.
            Assert.That(Count(text, "sk-"), Is.GreaterThan(50 + ForcedLines / 2));
            Assert.That(LinesStartingWith(text, "sk-"), Is.GreaterThanOrEqualTo(ForcedLines / 2 - 10));
            Assert.That(LinesStartingWith(text, "AIza"), Is.GreaterThanOrEqualTo(ForcedLines / 2 - 10));
            Assert.That(KeyScanner.ScanText(text, "noise.txt"), Is.Empty);
        }

        [Test]
        public void A_base64url_line_starting_with_sk_is_no_key_but_a_legacy_key_on_its_own_line_is()
        {
            var r = new Random(3);
            const string urlSafe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            const string alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            var prefix = "s" + "k-";
            // Random base64url after the prefix, with a '-' or '_' in it, or letters and digits beyond 48: not the legacy shape.
            var withDash = prefix + GeneratedKeys.Chars(r, alnum, 30) + "-" + GeneratedKeys.Chars(r, urlSafe, 61);
            var longer = prefix + GeneratedKeys.Chars(r, alnum, 61);
            var legacy = prefix + GeneratedKeys.Chars(r, alnum, 48);
            Assert.That(KeyScanner.ScanText(withDash + "\n" + longer + "\n", "noise.txt"), Is.Empty);
            var f = KeyScanner.ScanText("x\n" + legacy + "\n", "noise.txt");
            Assert.That(f, Has.Count.EqualTo(1));
            Assert.That(f[0].Line, Is.EqualTo(2));
            Assert.That(f[0].Masked, Is.EqualTo(GeneratedKeys.Masked(legacy)));
        }

        [Test]
        public void A_key_on_its_own_line_in_the_same_noise_is_found()
        {
            var key = new GeneratedKeys(5)["{{OPENAI_PROJECT_KEY}}"];
            var noise = RandomBase64(7, 2 * 1000 * 1000);
            var at = noise.IndexOf('\n', noise.Length / 2) + 1;
            var text = noise.Substring(0, at) + "apiKey: " + key + "\n" + noise.Substring(at);
            var f = KeyScanner.ScanText(text, "noise.txt");
            Assert.That(f, Has.Count.EqualTo(1));
            Assert.That(f[0].Field, Is.EqualTo("apiKey"));
        }
    }
}
