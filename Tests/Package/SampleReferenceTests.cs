using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.Package
{
    /// <summary>
    /// Every scene, prefab and ScriptableObject asset the samples ship resolves as Unity would resolve it
    /// (<see cref="SerializedReferences"/>): scripts by the GUIDs of their .meta files, classes by file name.
    /// </summary>
    public class SampleReferenceTests
    {
        static List<string> SerializedFiles() =>
            Directory.GetFiles(Path.Combine(PackagePaths.Root, "Samples~"), "*", SearchOption.AllDirectories)
                .Select(PackageLayout.Relative)
                .Where(p => PackageLayout.ImportedWithSample(p) && PackageLayout.IsSerializedAsset(p))
                .OrderBy(p => p, System.StringComparer.Ordinal).ToList();

        [Test]
        public void Every_script_reference_in_the_samples_resolves_to_a_script_whose_class_matches_its_file()
        {
            var index = SerializedReferences.FromPackage(PackagePaths.Root);
            var files = SerializedFiles();
            var problems = new List<string>();
            foreach (var f in files) problems.AddRange(index.Check(f, File.ReadAllText(Path.Combine(PackagePaths.Root, f))));
            Assert.That(files.Count(f => f.EndsWith(".unity")), Is.GreaterThanOrEqualTo(3), "the samples' scenes");
            Assert.That(index.ScriptReferences, Is.GreaterThanOrEqualTo(files.Count), "one script reference per file at least");
            Assert.That(problems, Is.Empty);
        }

        [Test]
        public void Every_sample_scene_holds_one_bootstrap_object()
        {
            foreach (var scene in SerializedFiles().Where(f => f.EndsWith(".unity")))
            {
                var text = File.ReadAllText(Path.Combine(PackagePaths.Root, scene));
                Assert.That(text.Split('\n').Count(l => l.StartsWith("--- !u!1 &")), Is.EqualTo(1), scene + ": one GameObject");
                Assert.That(text.Split('\n').Count(l => l.StartsWith("--- !u!114 &")), Is.EqualTo(1), scene + ": one MonoBehaviour");
            }
        }

        // The checker itself, on a known-good document and on each way hand-written YAML goes wrong.
        const string ScriptGuid = "0123456789abcdef0123456789abcdef";
        const string OtherGuid = "fedcba9876543210fedcba9876543210";

        static SerializedReferences Index(string source)
        {
            var index = new SerializedReferences();
            index.PathByGuid[ScriptGuid] = "Samples~/A/Scripts/Boot.cs";
            index.SourceByPath["Samples~/A/Scripts/Boot.cs"] = source;
            index.PathByGuid[OtherGuid] = "Samples~/B/Profile.asset";
            return index;
        }

        static string Scene(string guid = ScriptGuid, string fields = "  speed: 2\n", string component = "1002") =>
            "%YAML 1.1\n%TAG !u! tag:unity3d.com,2011:\n" +
            "--- !u!1 &1001\nGameObject:\n  m_Component:\n  - component: {fileID: " + component + "}\n  m_Name: Boot\n" +
            "--- !u!114 &1002\nMonoBehaviour:\n  m_GameObject: {fileID: 1001}\n  m_Enabled: 1\n" +
            "  m_Script: {fileID: 11500000, guid: " + guid + ", type: 3}\n  m_Name: \n  m_EditorClassIdentifier: \n" + fields;

        const string Good = "namespace S { public sealed class Boot : UnityEngine.MonoBehaviour { [SerializeField] float speed = 1; } }";

        [Test]
        public void The_checker_passes_a_correct_scene_and_names_each_mistake()
        {
            Assert.That(Index(Good).Check("Samples~/A/A.unity", Scene()), Is.Empty);

            Assert.That(Index(Good).Check("Samples~/A/A.unity", Scene(guid: "00000000000000000000000000000001")),
                Has.Some.Contains("m_Script guid 00000000000000000000000000000001 is no C# file"));
            Assert.That(Index(Good.Replace("class Boot", "class Bootstrap")).Check("Samples~/A/A.unity", Scene()),
                Has.Some.Contains("declares no class Boot"));
            Assert.That(Index(Good.Replace("UnityEngine.MonoBehaviour", "UnityEngine.ScriptableObject")).Check("Samples~/A/A.unity", Scene()),
                Has.Some.Contains("Boot is not a MonoBehaviour"));
            Assert.That(Index(Good).Check("Samples~/A/A.unity", Scene(fields: "  sped: 2\n")),
                Has.Some.Contains("has no serialized field 'sped'"));
            Assert.That(Index(Good).Check("Samples~/A/A.unity", Scene(component: "1003")),
                Has.Some.Contains("{fileID: 1003} names no document"));
            Assert.That(Index(Good).Check("Samples~/A/A.unity", Scene(fields: "  speed: 2\n  profile: {fileID: 11400000, guid: " + OtherGuid + ", type: 2}\n")),
                Has.Some.Contains("is in another sample"));
            Assert.That(Index(Good).Check("Samples~/A/A.unity", Scene().Replace("%TAG !u! tag:unity3d.com,2011:\n", "")),
                Has.Some.Contains("two YAML header lines"));
        }
    }
}
