using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Parley.Editor.Build;
using Parley.Tests.Support;

namespace Parley.Tests.Editor.Build
{
    /// <summary>Agents without a token source in what a build includes, read from scenes and prefabs as Unity 2021.3 writes them (Force Text).</summary>
    public class BuildAgentCheckTests
    {
        const string OpenAIProfileGuid = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1";
        const string MiniCpmoProfileGuid = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2";
        string _root;

        [SetUp]
        public void Make() => _root = Path.Combine(Path.GetTempPath(), "parley-agents-" + Guid.NewGuid().ToString("N"));

        [TearDown]
        public void Clean()
        {
            try { Directory.Delete(_root, true); } catch (IOException) { }
        }

        void Write(string rel, string text)
        {
            var p = Path.Combine(_root, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(p));
            File.WriteAllText(p, text);
        }

        static string MetaGuid(params string[] path) =>
            File.ReadAllLines(Path.Combine(PackagePaths.Root, Path.Combine(path)) + ".meta").Single(l => l.StartsWith("guid: ")).Substring(6).Trim();

        const string Header = "%YAML 1.1\n%TAG !u! tag:unity3d.com,2011:\n";

        static string Profile(string scriptGuid, string name) => Header +
            "--- !u!114 &11400000\nMonoBehaviour:\n  m_ObjectHideFlags: 0\n  m_CorrespondingSourceObject: {fileID: 0}\n  m_PrefabInstance: {fileID: 0}\n" +
            "  m_PrefabAsset: {fileID: 0}\n  m_GameObject: {fileID: 0}\n  m_Enabled: 1\n  m_EditorHideFlags: 0\n" +
            "  m_Script: {fileID: 11500000, guid: " + scriptGuid + ", type: 3}\n  m_Name: " + name + "\n  m_EditorClassIdentifier: \n" +
            "  model: \n  voice: \n  language: en-US\n  instructions: You are a blacksmith.\n";

        static void Agent(StringBuilder s, int id, string name, string profile, string url)
        {
            s.Append("--- !u!1 &").Append(id).Append("\nGameObject:\n  m_ObjectHideFlags: 0\n  serializedVersion: 6\n  m_Component:\n")
             .Append("  - component: {fileID: ").Append(id + 1).Append("}\n  m_Layer: 0\n  m_Name: ").Append(name).Append("\n  m_TagString: Untagged\n  m_IsActive: 1\n");
            s.Append("--- !u!114 &").Append(id + 1).Append("\nMonoBehaviour:\n  m_ObjectHideFlags: 0\n  m_CorrespondingSourceObject: {fileID: 0}\n")
             .Append("  m_PrefabInstance: {fileID: 0}\n  m_PrefabAsset: {fileID: 0}\n  m_GameObject: {fileID: ").Append(id).Append("}\n  m_Enabled: 1\n")
             .Append("  m_EditorHideFlags: 0\n  m_Script: {fileID: 11500000, guid: ").Append(BuildAgentCheck.VoiceAgentScriptGuid).Append(", type: 3}\n")
             .Append("  m_Name: \n  m_EditorClassIdentifier: \n  profile: ").Append(profile).Append("\n  tokenSource:\n    url: ").Append(url)
             .Append("\n  turnTaking: 0\n  bargeIn: 1\n  startOnEnable: 0\n  openingPrompt: \n");
        }

        [Test]
        public void The_script_guids_are_the_packages_own()
        {
            Assert.That(BuildAgentCheck.VoiceAgentScriptGuid, Is.EqualTo(MetaGuid("Runtime", "Unity", "Agent", "VoiceAgent.cs")));
            Assert.That(BuildAgentCheck.CredentialProfileScriptGuids, Is.EquivalentTo(new[]
            {
                MetaGuid("Runtime", "Unity", "Profiles", "OpenAIRealtimeProfile.cs"), MetaGuid("Runtime", "Unity", "Profiles", "GeminiLiveProfile.cs"),
            }));
            Assert.That(BuildAgentCheck.KeylessProfileScriptGuids, Is.EqualTo(new[] { MetaGuid("Runtime", "Unity", "Profiles", "MiniCpmoProfile.cs") }));
            Assert.That(BuildAgentCheck.RivaProfileScriptGuid, Is.EqualTo(MetaGuid("Runtime", "Unity", "Profiles", "RivaCascadeProfile.cs")));
        }

        [Test]
        public void A_Riva_agent_without_a_token_source_is_flagged_only_when_its_profile_uses_NVIDIA_hosted_endpoints()
        {
            // The Self-hosted sample's asset as shipped (three loopback servers), and the same asset pointed at NVIDIA's hosted LLM.
            var local = File.ReadAllText(Path.Combine(PackagePaths.Root, "Samples~", "SelfHosted", "Profiles", "RivaCascadeLocal.asset"));
            Assert.That(local, Does.Contain("  llmUrl: http://127.0.0.1:8000/v1"));
            Write("Assets/Profiles/RivaLocal.asset", local);
            Write("Assets/Profiles/RivaHosted.asset", local.Replace("  llmUrl: http://127.0.0.1:8000/v1", "  llmUrl: https://integrate.api.nvidia.com/v1"));
            const string localGuid = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa3", hostedGuid = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa4";
            var scene = new StringBuilder(Header);
            Agent(scene, 100, "Hermit", "{fileID: 11400000, guid: " + localGuid + ", type: 2}", "");
            Agent(scene, 200, "Oracle", "{fileID: 11400000, guid: " + hostedGuid + ", type: 2}", "");
            Agent(scene, 300, "Sage", "{fileID: 11400000, guid: " + hostedGuid + ", type: 2}", "https://game.example/token");
            Write("Assets/Scenes/Temple.unity", scene.ToString());
            var paths = new Dictionary<string, string> { [localGuid] = "Assets/Profiles/RivaLocal.asset", [hostedGuid] = "Assets/Profiles/RivaHosted.asset" };

            var issues = BuildAgentCheck.Check(_root, new[] { "Assets/Scenes/Temple.unity" }, g => paths.TryGetValue(g, out var p) ? p : "");

            var lines = File.ReadAllLines(Path.Combine(_root, "Assets/Scenes/Temple.unity"));
            var oracleLine = Enumerable.Range(0, lines.Length).Where(i => lines[i] == "    url: ").ElementAt(1) + 1;
            Assert.That(issues.Select(i => i.Message), Is.EqualTo(new[]
            {
                "Assets/Scenes/Temple.unity:" + oracleLine + ": agent 'Oracle' has no token source and its Riva profile Assets/Profiles/RivaHosted.asset uses NVIDIA-hosted endpoints (NVCF), which need a credential: in this build it refuses to start unless code sets TokenSource.Callback.",
            }));
        }

        [Test]
        public void Warns_for_each_agent_whose_profile_needs_a_credential_and_that_has_no_token_source()
        {
            Write("Assets/Profiles/Smith.asset", Profile(BuildAgentCheck.CredentialProfileScriptGuids[0], "Smith"));
            Write("Assets/Profiles/Local.asset", Profile(BuildAgentCheck.KeylessProfileScriptGuids[0], "Local"));
            var scene = new StringBuilder(Header);
            var openai = "{fileID: 11400000, guid: " + OpenAIProfileGuid + ", type: 2}";
            Agent(scene, 100, "Blacksmith", openai, "");
            Agent(scene, 200, "Guard", openai, "https://game.example/token");
            Agent(scene, 300, "Hermit", "{fileID: 11400000, guid: " + MiniCpmoProfileGuid + ", type: 2}", "");
            Agent(scene, 400, "Unfinished", "{fileID: 0}", "");
            Write("Assets/Scenes/Village.unity", scene.ToString());
            var prefab = new StringBuilder(Header);
            Agent(prefab, 500, "Bard", "{fileID: 11400000, guid: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, type: 2}", "''");
            Write("Assets/Prefabs/Bard.prefab", prefab.ToString());
            var paths = new Dictionary<string, string> { [OpenAIProfileGuid] = "Assets/Profiles/Smith.asset", [MiniCpmoProfileGuid] = "Assets/Profiles/Local.asset" };

            var issues = BuildAgentCheck.Check(_root, new[] { "Assets/Prefabs/Bard.prefab", "Assets/Scenes/Village.unity", "Assets/Profiles/Smith.asset" },
                g => paths.TryGetValue(g, out var p) ? p : "");
            // The line of the (first) empty url field in each file, counted from the files as written.
            var bardLine = Array.FindIndex(File.ReadAllLines(Path.Combine(_root, "Assets/Prefabs/Bard.prefab")), l => l == "    url: ''") + 1;
            var blacksmithLine = Array.FindIndex(File.ReadAllLines(Path.Combine(_root, "Assets/Scenes/Village.unity")), l => l == "    url: ") + 1;
            Assert.That(bardLine, Is.GreaterThan(0));
            Assert.That(issues.Select(i => i.Message), Is.EqualTo(new[]
            {
                "Assets/Prefabs/Bard.prefab:" + bardLine + ": agent 'Bard' has no token source and its profile bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb may need a credential: in this build it refuses to start unless code sets TokenSource.Callback.",
                "Assets/Scenes/Village.unity:" + blacksmithLine + ": agent 'Blacksmith' has no token source and its profile Assets/Profiles/Smith.asset needs a credential: in this build it refuses to start unless code sets TokenSource.Callback.",
            }));
            Assert.That(issues.All(i => i.Code == "no_token_source"));
        }
    }
}
