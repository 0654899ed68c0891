using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Parley.Editor.Build;
using Parley.Simulation;
using Parley.StandIn;
using Parley.Tests.Editor.KeyScan;
using UnityEditor;
using UnityEditor.Build;

namespace Parley.Tests.HostOnly.Editor
{
    /// <summary>
    /// The build preprocessor itself, as Unity calls it before a player build: the stand-in's Build Settings list the
    /// scenes, its asset database knows what references what, and the working directory is the project folder (as in
    /// Unity). The project is the key-scanner fixtures materialised with keys generated for this run.
    /// </summary>
    public class KeyBuildPreprocessorTests
    {
        GeneratedKeys _keys;
        string _root, _cwd;
        EditorBuildSettingsScene[] _scenes;

        [SetUp]
        public void Make()
        {
            _keys = new GeneratedKeys(23);
            _root = UnityAssetFixtures.Materialize(_keys);
            _cwd = Directory.GetCurrentDirectory();
            _scenes = EditorBuildSettings.scenes;
            EditorBuildSimulation.References.Clear();
            SimulatedConsole.Clear();
        }

        [TearDown]
        public void Clean()
        {
            Directory.SetCurrentDirectory(_cwd);
            EditorBuildSettings.scenes = _scenes;
            EditorBuildSimulation.References.Clear();
            UnityAssetFixtures.Delete(_root);
        }

        void Build(params string[] scenes)
        {
            EditorBuildSettings.scenes = scenes.Select(s => new EditorBuildSettingsScene(s, true))
                .Append(new EditorBuildSettingsScene("Assets/Scenes/Disabled.unity", false)).ToArray();
            Directory.SetCurrentDirectory(_root);
            new KeyBuildPreprocessor().OnPreprocessBuild(EditorBuildSimulation.Report(BuildTarget.StandaloneWindows64, "Builds/Game.exe"));
        }

        void Write(string rel, string text)
        {
            var p = Path.Combine(_root, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(p));
            File.WriteAllText(p, text);
        }

        static IEnumerable<string> Lines(IEnumerable<string> expected, params string[] files) => expected.Where(l => files.Any(f => l.StartsWith(f + ":", StringComparison.Ordinal)));

        [Test]
        public void A_key_in_what_the_build_includes_fails_it_naming_asset_field_and_line_with_the_key_masked()
        {
            EditorBuildSimulation.References["Assets/Scenes/Tavern.unity"] = new[] { "Assets/Prefabs/Blacksmith.prefab" };
            var failure = Assert.Throws<BuildFailedException>(() => Build("Assets/Scenes/Tavern.unity"));

            var expected = UnityAssetFixtures.ExpectedLines(_keys);
            var included = Lines(expected, "Assets/Scenes/Tavern.unity", "Assets/Prefabs/Blacksmith.prefab", "Assets/Resources/dev-keys.txt",
                "Assets/StreamingAssets/voice-config.json").ToList();
            Assert.That(included.Count, Is.EqualTo(6), "the fixtures' keys in the scene, what it references, Resources and StreamingAssets");
            var lines = failure.Message.Split('\n');
            Assert.That(lines[0], Does.StartWith("Parley build check: 6 keys in what this build includes."));
            Assert.That(lines.Skip(1), Is.EquivalentTo(included), "path:line: provider key (field) masked, one a finding");
            Assert.That(failure.Message, Does.Not.Contain("GeminiProfile.asset"), "an asset nothing in the build references is not in it");
            foreach (var key in _keys.ByPlaceholder.Values) Assert.That(failure.Message, Does.Not.Contain(key));
            foreach (var line in SimulatedConsole.Snapshot())
                foreach (var key in _keys.ByPlaceholder.Values) Assert.That(line, Does.Not.Contain(key));
        }

        [Test]
        public void A_clean_project_builds_and_the_check_says_what_it_scanned()
        {
            foreach (var f in new[] { "Assets/Resources/dev-keys.txt", "Assets/StreamingAssets/voice-config.json", "Assets/Scenes/Tavern.unity",
                         "Assets/Prefabs/Blacksmith.prefab", "Assets/Settings/GeminiProfile.asset" })
                File.Delete(Path.Combine(_root, f));
            // The menu references the base64 audio clip: no false alarm on it.
            EditorBuildSimulation.References["Assets/Scenes/CleanMenu.unity"] = new[] { "Assets/Audio/CleanGreeting.asset" };

            Assert.DoesNotThrow(() => Build("Assets/Scenes/CleanMenu.unity"));
            var bytes = new FileInfo(Path.Combine(_root, "Assets/Scenes/CleanMenu.unity")).Length + new FileInfo(Path.Combine(_root, "Assets/Audio/CleanGreeting.asset")).Length;
            Assert.That(SimulatedConsole.Snapshot(), Does.Contain("Log: Parley build check: no keys in 2 of 2 included files (" + bytes + " bytes)."));
        }

        [Test]
        public void A_key_in_a_package_the_build_uses_is_found_through_the_packages_path()
        {
            foreach (var f in new[] { "Assets/Resources/dev-keys.txt", "Assets/StreamingAssets/voice-config.json" })
                File.Delete(Path.Combine(_root, f));
            // An embedded package (under Packages/, where Path.GetFullPath resolves it here as in Unity).
            var key = _keys["{{GOOGLE_KEY}}"];
            Write("Packages/com.example.lore/Runtime/Lore.asset", "%YAML 1.1\n--- !u!114 &11400000\nMonoBehaviour:\n  m_Name: Lore\n  geminiKey: " + key + "\n");
            EditorBuildSimulation.References["Assets/Scenes/CleanMenu.unity"] = new[] { "Packages/com.example.lore/Runtime/Lore.asset" };

            var failure = Assert.Throws<BuildFailedException>(() => Build("Assets/Scenes/CleanMenu.unity"));
            Assert.That(failure.Message.Split('\n').Skip(1), Is.EqualTo(new[]
            {
                "Packages/com.example.lore/Runtime/Lore.asset:5: Google key (MonoBehaviour.geminiKey) " + GeneratedKeys.Masked(key),
            }));
        }
    }
}
