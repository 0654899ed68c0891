using System;
using System.Text;
using NUnit.Framework;
using Parley.Editor.KeyScan;

namespace Parley.Tests.Editor.KeyScan
{
    /// <summary>
    /// No false alarm on 50 MB of random base64 (standard and URL-safe alphabets, lines of random length, seeded),
    /// which by chance holds the prefixes: "sk-" about 95 times in the URL-safe half (25 MB / 64^3), "AIza" about 3 times.
    /// </summary>
    public class RandomBase64FalseAlarmTests
    {
        const int Megabytes = 50;

        static string RandomBase64(int seed, int chars)
        {
            var r = new Random(seed);
            var sb = new StringBuilder(chars + chars / 32);
            var bytes = new byte[3 * 1024];
            var half = chars / 2;
            while (sb.Length < chars)
            {
                r.NextBytes(bytes);
                var b64 = Convert.ToBase64String(bytes, 0, 3 * r.Next(16, 1024));
                // The second half URL-safe (base64url, as JWTs and some audio payloads use): '-' and '_' occur.
                if (sb.Length >= half) b64 = b64.Replace('+', '-').Replace('/', '_');
                sb.Append(b64).Append('\n');
            }
            return sb.ToString();
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
            var text = RandomBase64(20261130, Megabytes * 1000 * 1000);
            // The prefixes do occur by chance: the test is about telling them from keys.
            Assert.That(Count(text, "sk-"), Is.GreaterThan(50));
            Assert.That(KeyScanner.ScanText(text, "noise.txt"), Is.Empty);
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
