using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Parley.Tests.Editor.KeyScan;

namespace Parley.Tests.HostOnly.Cli
{
    /// <summary>`parley scan-keys DIR` as a process over a temporary Unity project holding generated keys.</summary>
    public class CliScanKeysTests
    {
        string _root;
        GeneratedKeys _keys;

        [SetUp]
        public void Make()
        {
            _keys = new GeneratedKeys(4242);
            _root = UnityAssetFixtures.Materialize(_keys);
        }

        [TearDown]
        public void Clean() => UnityAssetFixtures.Delete(_root);

        static string[] Lines(string s) => s.Replace("\r\n", "\n").Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries);

        [Test]
        public void A_project_with_keys_prints_one_masked_line_per_key_and_exits_1()
        {
            // Keys in Unity's generated folders do not count: they are skipped.
            Directory.CreateDirectory(Path.Combine(_root, "Library"));
            File.WriteAllText(Path.Combine(_root, "Library", "LastSceneManagerSetup.txt"), "apiKey: " + _keys["{{OPENAI_KEY}}"] + "\n");
            var r = CliProcess.Run(new[] { "scan-keys", _root });
            Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
            Assert.That(Lines(r.Stdout), Is.EquivalentTo(UnityAssetFixtures.ExpectedLines(_keys)), r.ToString());
            foreach (var key in _keys.ByPlaceholder.Values)
                Assert.That(r.Stdout + r.Stderr, Does.Not.Contain(key.Substring(4, key.Length - 6)), "the key is never printed");
            Assert.That(r.Stderr, Does.Contain("7 finding(s) in 8 file(s)"));
        }

        [Test]
        public void A_clean_project_prints_nothing_on_stdout_and_exits_0()
        {
            foreach (var e in UnityAssetFixtures.Expected) { var p = Path.Combine(_root, e[0]); if (File.Exists(p)) File.Delete(p); }
            var r = CliProcess.Run(new[] { "scan-keys", _root });
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
            Assert.That(r.Stdout.Trim(), Is.Empty);
            Assert.That(r.Stderr, Does.Contain("0 finding(s) in 3 file(s)"), r.Stderr);
        }

        [Test]
        public void Binary_assets_are_listed_as_not_scanned_on_stderr()
        {
            File.WriteAllBytes(Path.Combine(_root, "Assets", "Settings", "Binary.asset"), new byte[] { 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 22 });
            var r = CliProcess.Run(new[] { "scan-keys", _root });
            Assert.That(r.ExitCode, Is.EqualTo(1), r.ToString());
            Assert.That(r.Stderr, Does.Contain("Assets/Settings/Binary.asset: not scanned (binary-serialized Unity asset"));
            Assert.That(Lines(r.Stdout), Has.Length.EqualTo(7));
        }

        [TestCase("missing")]
        [TestCase("file")]
        [TestCase("none")]
        public void Bad_input_is_one_line_and_exit_2(string kind)
        {
            var args = kind == "missing" ? new[] { "scan-keys", Path.Combine(_root, "no-such-folder") }
                : kind == "file" ? new[] { "scan-keys", Path.Combine(_root, "Assets", "Resources", "dev-keys.txt") }
                : new[] { "scan-keys" };
            var r = CliProcess.Run(args);
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(Lines(r.Stderr), Has.Length.EqualTo(1), r.Stderr);
            Assert.That(r.Stderr, Does.StartWith("parley scan-keys: "));
            Assert.That(r.Stdout.Trim(), Is.Empty);
        }
    }
}
