using System.IO;
using System.Linq;
using NUnit.Framework;
using Parley.Editor.KeyScan;

namespace Parley.Tests.Editor.KeyScan
{
    /// <summary>The scanner over real text-serialized Unity assets (Tests/Fixtures~/unity-assets) holding generated keys.</summary>
    public class KeyScannerFixtureTests
    {
        string _root;
        GeneratedKeys _keys;

        [SetUp]
        public void Make()
        {
            _keys = new GeneratedKeys(1201);
            _root = UnityAssetFixtures.Materialize(_keys);
        }

        [TearDown]
        public void Clean() => UnityAssetFixtures.Delete(_root);

        [Test]
        public void Every_injected_key_is_found_with_its_file_line_provider_field_and_mask_and_nothing_else()
        {
            var report = KeyScanner.ScanDirectory(_root);
            var lines = report.Findings.Select(f => f.ToString()).ToList();
            Assert.That(lines, Is.EquivalentTo(UnityAssetFixtures.ExpectedLines(_keys)), string.Join("\n", lines));
            Assert.That(report.NotScanned, Is.Empty);
            // Seven asset files, the project's version file.
            Assert.That(report.FilesScanned, Is.EqualTo(8));
        }

        [Test]
        public void No_finding_contains_the_key_itself()
        {
            var report = KeyScanner.ScanDirectory(_root);
            Assert.That(report.Findings.Count, Is.EqualTo(UnityAssetFixtures.Expected.Length), "every planted key found, so the check below has something to check");
            foreach (var f in report.Findings)
                foreach (var key in _keys.ByPlaceholder.Values)
                    Assert.That(f.ToString(), Does.Not.Contain(key.Substring(4, key.Length - 6)), f.ToString());
        }

        [TestCase("Assets/Scenes/CleanMenu.unity")]
        [TestCase("Assets/Audio/CleanGreeting.asset")]
        public void Guids_file_ids_hashes_and_base64_audio_are_not_keys(string file)
        {
            var path = Path.Combine(_root, file);
            var text = File.ReadAllText(path);
            Assert.That(text, Does.Contain("guid: "));
            Assert.That(text, Does.Contain("Hash: "));
            Assert.That(KeyScanner.ScanText(text, file), Is.Empty);
        }

        [Test]
        public void The_base64_audio_asset_really_holds_the_recording()
        {
            var text = File.ReadAllText(Path.Combine(_root, "Assets/Audio/CleanGreeting.asset"));
            var line = text.Split('\n').Single(l => l.StartsWith("  wavBase64: "));
            var bytes = System.Convert.FromBase64String(line.Substring("  wavBase64: ".Length).Trim());
            Assert.That(bytes.Length, Is.GreaterThan(30000), "a second or more of 16 kHz speech");
            Assert.That(System.Text.Encoding.ASCII.GetString(bytes, 0, 4), Is.EqualTo("RIFF"));
        }

        [Test]
        public void Library_temp_obj_and_git_folders_are_skipped()
        {
            var key = _keys["{{OPENAI_KEY}}"];
            foreach (var dir in new[] { "Library", "Temp", "obj", ".git", "Assets/.git" })
            {
                Directory.CreateDirectory(Path.Combine(_root, dir));
                File.WriteAllText(Path.Combine(_root, dir, "cache.json"), "{\"apiKey\": \"" + key + "\"}\n");
            }
            // A folder named Library below the top is an ordinary folder of assets: scanned.
            Directory.CreateDirectory(Path.Combine(_root, "Assets", "Library"));
            File.WriteAllText(Path.Combine(_root, "Assets", "Library", "books.json"), "{\"apiKey\": \"" + key + "\"}\n");
            var found = KeyScanner.ScanDirectory(_root).Findings.Where(f => f.Masked == GeneratedKeys.Masked(key)).Select(f => f.Path).ToList();
            Assert.That(found, Is.EquivalentTo(new[] { "Assets/StreamingAssets/voice-config.json", "Assets/Library/books.json" }));
        }
    }
}
