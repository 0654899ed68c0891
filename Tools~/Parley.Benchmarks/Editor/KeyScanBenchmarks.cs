using System;
using System.Text;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using Parley.Editor.KeyScan;

namespace Parley.Benchmarks.Editor
{
    /// <summary>
    /// The key scanner over 8 MB of random base64 text (half standard, half URL-safe, lines of 64-4096 characters):
    /// against one compiled regex of the repository's own key check (`git grep -E`), which has no boundaries and so
    /// also reports chance prefixes inside base64 (its match count is printed by the setup).
    /// </summary>
    [MemoryDiagnoser]
    public class KeyScanBenchmarks
    {
        string _text;
        static readonly Regex GitGrepPattern = new Regex(@"sk-(proj-)?[A-Za-z0-9_-]{24,}|AIza[0-9A-Za-z_-]{35}|nvapi-[A-Za-z0-9_-]{30,}", RegexOptions.Compiled | RegexOptions.CultureInvariant);

        [GlobalSetup]
        public void Setup()
        {
            var r = new Random(2026);
            var sb = new StringBuilder();
            var bytes = new byte[3 * 1024];
            const int chars = 8 * 1000 * 1000;
            while (sb.Length < chars)
            {
                r.NextBytes(bytes);
                var b64 = Convert.ToBase64String(bytes, 0, 3 * r.Next(16, 1024));
                if (sb.Length >= chars / 2) b64 = b64.Replace('+', '-').Replace('/', '_');
                sb.Append(b64).Append('\n');
            }
            _text = sb.ToString();
            Console.WriteLine("// git grep pattern matches in the noise: " + GitGrepPattern.Matches(_text).Count + "; scanner findings: " + KeyScanner.ScanText(_text, "noise").Count);
        }

        [Benchmark(Baseline = true)]
        public int GitGrepRegex() => GitGrepPattern.Matches(_text).Count;

        [Benchmark]
        public int KeyScannerScanText() => KeyScanner.ScanText(_text, "noise").Count;
    }
}
