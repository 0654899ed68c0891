using System.IO;
using System.Linq;
using NUnit.Framework;
using Parley.Editor.Build;
using Parley.Tests.Editor.KeyScan;

namespace Parley.Tests.Editor.Build
{
    /// <summary>
    /// The build check's selection on the key-scanner fixtures laid out as a Unity project, with .meta files giving the
    /// GUIDs the fixture scenes reference, plus files a build leaves out (Editor folders, unreferenced assets).
    /// </summary>
    public class BuildContentsTests
    {
        GeneratedKeys _keys;
        string _root;

        [SetUp]
        public void Make()
        {
            _keys = new GeneratedKeys(7);
            _root = UnityAssetFixtures.Materialize(_keys);
            // CleanMenu.unity instantiates the prefab with this GUID (its m_SourcePrefab); Tavern's script GUID goes nowhere.
            Meta("Assets/Prefabs/Blacksmith.prefab", "8a4c2e6f0b1d4f3a9c7e5b3d1f9a7c5e");
            Meta("Assets/Settings/GeminiProfile.asset", "0123456789abcdef0123456789abcdef");
            Meta("Assets/Scenes/CleanMenu.unity", "fedcba9876543210fedcba9876543210");
            var openai = _keys["{{OPENAI_KEY}}"];
            Write("Assets/Scripts/Npc.cs", "class Npc { const string Key = \"" + openai + "\"; }\n");
            Write("Assets/Editor/DevTools.cs", "class DevTools { const string Key = \"" + openai + "\"; }\n");
            Write("Assets/Editor/Resources/editor-only.txt", "OPENAI_API_KEY=" + openai + "\n");
            Write("Assets/Plugins/Android/AndroidManifest.xml", "<manifest/>\n");
            Write("Assets/StreamingAssets/Editor/copied-anyway.txt", "token: none\n");
            File.WriteAllBytes(Path.Combine(_root, "Assets", "Resources", "Binary.asset"), new byte[] { 0x00, 0x01, 0x02, 0x03, 0x10, 0x00 });
        }

        [TearDown]
        public void Clean() => UnityAssetFixtures.Delete(_root);

        void Write(string rel, string text)
        {
            var p = Path.Combine(_root, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(p));
            File.WriteAllText(p, text);
        }

        void Meta(string rel, string guid) => Write(rel + ".meta", "fileFormatVersion: 2\nguid: " + guid + "\n");

        [Test]
        public void Selects_enabled_scenes_what_they_reference_Resources_StreamingAssets_and_runtime_scripts()
        {
            var deps = new GuidDependencies(_root);
            var selected = BuildContents.Select(_root, new[] { "Assets/Scenes/CleanMenu.unity" }, deps.Resolve);
            Assert.That(selected, Is.EqualTo(new[]
            {
                "Assets/Prefabs/Blacksmith.prefab",
                "Assets/Resources/Binary.asset",
                "Assets/Resources/dev-keys.txt",
                "Assets/Scenes/CleanMenu.unity",
                "Assets/Scripts/Npc.cs",
                "Assets/StreamingAssets/Editor/copied-anyway.txt",
                "Assets/StreamingAssets/voice-config.json",
            }));
        }

        [Test]
        public void The_scan_of_the_selection_names_asset_field_and_line_with_keys_masked_and_lists_binary_assets()
        {
            var selected = BuildContents.Select(_root, new[] { "Assets/Scenes/CleanMenu.unity" }, new GuidDependencies(_root).Resolve);
            var report = BuildContents.Scan(_root, selected);
            var expected = UnityAssetFixtures.ExpectedLines(_keys)
                .Where(l => l.StartsWith("Assets/Prefabs/") || l.StartsWith("Assets/Resources/") || l.StartsWith("Assets/StreamingAssets/")).ToList();
            expected.Add("Assets/Scripts/Npc.cs:1: OpenAI key (no field) " + GeneratedKeys.Masked(_keys["{{OPENAI_KEY}}"]));
            Assert.That(report.Findings.Select(f => f.ToString()), Is.EquivalentTo(expected));
            Assert.That(report.NotScanned.Select(u => u.Path), Is.EqualTo(new[] { "Assets/Resources/Binary.asset" }));

            var message = BuildKeyCheck.FailureMessage(report);
            Assert.That(message.Split('\n').Skip(1), Is.EquivalentTo(expected));
            Assert.That(message, Does.StartWith("Parley build check: " + expected.Count + " keys"));
            foreach (var key in _keys.ByPlaceholder.Values) Assert.That(message, Does.Not.Contain(key));
            Assert.That(BuildKeyCheck.NotScannedMessage(report), Does.Contain("Assets/Resources/Binary.asset: not scanned (binary-serialized Unity asset"));
        }

        [Test]
        public void A_build_of_only_clean_content_passes()
        {
            File.Delete(Path.Combine(_root, "Assets", "Resources", "dev-keys.txt"));
            File.Delete(Path.Combine(_root, "Assets", "StreamingAssets", "voice-config.json"));
            File.Delete(Path.Combine(_root, "Assets", "Scripts", "Npc.cs"));
            File.Delete(Path.Combine(_root, "Assets", "Prefabs", "Blacksmith.prefab"));
            var selected = BuildContents.Select(_root, new[] { "Assets/Scenes/CleanMenu.unity" }, new GuidDependencies(_root).Resolve);
            var report = BuildContents.Scan(_root, selected);
            Assert.That(BuildKeyCheck.FailureMessage(report), Is.Null);
            Assert.That(report.FilesScanned, Is.EqualTo(2), "the scene and the StreamingAssets text");
            Assert.That(BuildKeyCheck.CleanSummary(report, selected.Count), Does.Contain("no keys in 2 of 3"));
        }

        [Test]
        public void A_scene_outside_the_build_and_unreferenced_assets_are_not_selected()
        {
            var selected = BuildContents.Select(_root, new string[0], new GuidDependencies(_root).Resolve);
            Assert.That(selected, Has.None.StartsWith("Assets/Scenes/"));
            Assert.That(selected, Has.None.EqualTo("Assets/Settings/GeminiProfile.asset"));
            Assert.That(selected, Has.None.Contains("/Editor/DevTools.cs"));
            Assert.That(selected, Has.None.Contains("editor-only"));
        }

        [Test]
        public void Dependencies_follow_guids_recursively_and_include_the_given_paths()
        {
            // The prefab references a script GUID no .meta declares: it resolves to nothing, not an error.
            Write("Assets/Settings/Chain.asset", "%YAML 1.1\n--- !u!114 &1\nMonoBehaviour:\n  profile: {fileID: 11400000, guid: 0123456789abcdef0123456789abcdef, type: 2}\n");
            Meta("Assets/Settings/Chain.asset", "11111111111111111111111111111111");
            Write("Assets/Settings/Root.asset", "%YAML 1.1\n--- !u!114 &1\nMonoBehaviour:\n  next: {fileID: 11400000, guid: 11111111111111111111111111111111, type: 2}\n");
            var deps = new GuidDependencies(_root).Resolve(new[] { "Assets/Settings/Root.asset" });
            Assert.That(deps, Is.EquivalentTo(new[] { "Assets/Settings/Root.asset", "Assets/Settings/Chain.asset", "Assets/Settings/GeminiProfile.asset" }));
        }

        [Test]
        public void A_package_file_is_read_where_the_resolver_finds_it_and_named_by_its_Packages_path()
        {
            // A registry package: Unity keeps it in Library/PackageCache/<name>@<version>, not under Packages/.
            var key = _keys["{{NVIDIA_KEY}}"];
            Write("Library/PackageCache/com.example.lore@1.2.3/Runtime/Lore.asset",
                "%YAML 1.1\n--- !u!114 &11400000\nMonoBehaviour:\n  m_Name: Lore\n  nvidiaKey: " + key + "\n");
            var files = new[] { "Packages/com.example.lore/Runtime/Lore.asset" };

            var joined = BuildContents.Scan(_root, files);
            Assert.That(joined.Findings, Is.Empty, "joined onto the project folder, the package file is not there");
            Assert.That(joined.NotScanned.Select(u => u.Path), Is.EqualTo(files));

            const string prefix = "Packages/com.example.lore/";
            string Physical(string p) => p.StartsWith(prefix, System.StringComparison.Ordinal)
                ? Path.Combine(_root, "Library", "PackageCache", "com.example.lore@1.2.3", p.Substring(prefix.Length))
                : Path.Combine(_root, p);
            var resolved = BuildContents.Scan(_root, files, Physical);
            Assert.That(resolved.Findings.Select(f => f.ToString()), Is.EqualTo(new[]
            {
                "Packages/com.example.lore/Runtime/Lore.asset:5: NVIDIA key (MonoBehaviour.nvidiaKey) " + GeneratedKeys.Masked(key),
            }));
            Assert.That(resolved.NotScanned, Is.Empty);
        }
    }
}
