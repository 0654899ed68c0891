using System;
using System.Collections.Generic;
using System.IO;
using Parley.Tests.Support;

namespace Parley.Tests.Editor.KeyScan
{
    /// <summary>
    /// Tests/Fixtures~/unity-assets copied into a temporary Unity project with its placeholders replaced by generated keys
    /// (and base64 of a real speech recording), and the findings a scan of it must produce, read from the fixtures.
    /// </summary>
    public static class UnityAssetFixtures
    {
        public static string Source => PackagePaths.Fixture("unity-assets");

        /// <summary>Where each key goes: file, placeholder, provider, field (as the fixtures' README documents them).</summary>
        public static readonly string[][] Expected =
        {
            new[] { "Assets/Resources/dev-keys.txt", "{{OPENAI_SVCACCT_KEY}}", "OpenAI", "OPENAI_API_KEY" },
            new[] { "Assets/Prefabs/Blacksmith.prefab", "{{NVIDIA_KEY}}", "NVIDIA", "MonoBehaviour.nvidiaApiKey" },
            new[] { "Assets/Scenes/Tavern.unity", "{{OPENAI_PROJECT_KEY}}", "OpenAI", "MonoBehaviour.apiKey" },
            new[] { "Assets/Scenes/Tavern.unity", "{{BEARER_TOKEN}}", "bearer", "MonoBehaviour.extraHeaders.value" },
            new[] { "Assets/Settings/GeminiProfile.asset", "{{GOOGLE_KEY}}", "Google", "MonoBehaviour.apiKey" },
            new[] { "Assets/StreamingAssets/voice-config.json", "{{OPENAI_KEY}}", "OpenAI", "apiKey" },
            new[] { "Assets/StreamingAssets/voice-config.json", "{{BEARER_TOKEN}}", "bearer", "Authorization" },
        };

        /// <summary>A new folder laid out as a Unity project: the fixtures' Assets/ with keys and audio filled in.</summary>
        public static string Materialize(GeneratedKeys keys)
        {
            var root = Path.Combine(Path.GetTempPath(), "parley-keyscan-" + Guid.NewGuid().ToString("N"));
            var audio = Convert.ToBase64String(File.ReadAllBytes(PackagePaths.Fixture("audio", "speech", "npc-greeting-16k.wav")));
            foreach (var file in Directory.GetFiles(Path.Combine(Source, "Assets"), "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(root, Path.GetRelativePath(Source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target));
                var text = File.ReadAllText(file).Replace("{{BASE64_AUDIO}}", audio);
                foreach (var kv in keys.ByPlaceholder) text = text.Replace(kv.Key, kv.Value);
                File.WriteAllText(target, text);
            }
            Directory.CreateDirectory(Path.Combine(root, "ProjectSettings"));
            File.WriteAllText(Path.Combine(root, "ProjectSettings", "ProjectVersion.txt"), "m_EditorVersion: 2021.3.45f1\n");
            return root;
        }

        /// <summary>
        /// The lines a scan must print, from the fixtures themselves: the 1-based line of each placeholder in its file,
        /// the documented provider and field, the generated key masked.
        /// </summary>
        public static List<string> ExpectedLines(GeneratedKeys keys)
        {
            var lines = new List<string>();
            foreach (var e in Expected)
            {
                var text = File.ReadAllLines(Path.Combine(Source, e[0]));
                var line = Array.FindIndex(text, l => l.Contains(e[1])) + 1;
                lines.Add(e[0] + ":" + line + ": " + e[2] + " key (" + e[3] + ") " + GeneratedKeys.Masked(keys[e[1]]));
            }
            return lines;
        }

        public static void Delete(string root)
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
    }
}
