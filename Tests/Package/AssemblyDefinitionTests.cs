using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.Package
{
    /// <summary>asmdef files against Unity's CustomScriptAssemblyData model and PVS US-0038 (upm-conventions.md §2-3).</summary>
    public class AssemblyDefinitionTests
    {
        static readonly string[] Known =
        {
            "name", "rootNamespace", "references", "includePlatforms", "excludePlatforms", "allowUnsafeCode",
            "overrideReferences", "precompiledReferences", "autoReferenced", "defineConstraints", "versionDefines",
            "noEngineReferences",
        };

        static Dictionary<string, JObject> All() =>
            Directory.GetFiles(PackagePaths.Root, "*.asmdef", SearchOption.AllDirectories)
                .Where(p => !PackageLayout.IsHiddenFromUnity(PackageLayout.Relative(p)))
                .ToDictionary(p => PackageLayout.Relative(p), p => JObject.Parse(File.ReadAllText(p)));

        static JObject Named(string name) => All().Values.Single(a => (string)a["name"] == name);

        [Test]
        public void Every_asmdef_is_well_formed_and_named_after_its_file()
        {
            foreach (var kv in All())
            {
                var a = kv.Value;
                Assert.That((string)a["name"], Is.EqualTo(Path.GetFileNameWithoutExtension(kv.Key)), kv.Key);
                Assert.That(a.Properties().Select(p => p.Name), Is.SubsetOf(Known), kv.Key);
                var include = (JArray)a["includePlatforms"];
                var exclude = (JArray)a["excludePlatforms"];
                Assert.That(include.Count > 0 && exclude.Count > 0, Is.False, kv.Key + ": include and exclude are exclusive");
                foreach (var vd in (JArray)a["versionDefines"])
                    Assert.That(((string)vd["name"]).Length > 0 && ((string)vd["define"]).Length > 0, Is.True, kv.Key);
            }
        }

        [Test]
        public void Core_has_no_engine_references_and_runtime_references_it()
        {
            var core = Named("Parley.Core");
            Assert.That((bool)core["noEngineReferences"], Is.True);
            Assert.That(((JArray)core["precompiledReferences"]).Select(t => (string)t), Does.Contain("Newtonsoft.Json.dll"));
            var runtime = Named("Parley");
            Assert.That(((JArray)runtime["references"]).Select(t => (string)t), Does.Contain("Parley.Core"));
            Assert.That((bool)runtime["noEngineReferences"], Is.False);
        }

        [Test]
        public void Optional_packages_sit_behind_version_defines()
        {
            var defines = new Dictionary<string, string>();
            foreach (var v in All().Values.SelectMany(a => (JArray)a["versionDefines"]))
                defines[(string)v["define"]] = (string)v["name"];
            Assert.That(defines["PARLEY_NATIVEWEBSOCKET"], Is.EqualTo("com.endel.nativewebsocket"));
            Assert.That(defines["PARLEY_BURST"], Is.EqualTo("com.unity.burst"));
            Assert.That(defines["PARLEY_ONNXRUNTIME"], Is.EqualTo("com.github.asus4.onnxruntime"));
        }

        [Test]
        public void Onnx_assembly_compiles_only_with_an_onnx_runtime_package()
        {
            // com.github.asus4.onnxruntime compiles ONNX Runtime's managed API (namespace Microsoft.ML.OnnxRuntime) in an
            // assembly of the same name (its Runtime/com.github.asus4.onnxruntime.asmdef, asus4/onnxruntime-unity 0f33a05).
            var onnx = Named("Parley.Onnx");
            Assert.That(((JArray)onnx["references"]).Select(t => (string)t), Is.EquivalentTo(new[] { "Parley.Core", "com.github.asus4.onnxruntime" }));
            Assert.That(((JArray)onnx["defineConstraints"]).Select(t => (string)t), Is.EqualTo(new[] { "PARLEY_ONNXRUNTIME" }));
            var define = ((JArray)onnx["versionDefines"]).Single();
            Assert.That((string)define["name"], Is.EqualTo("com.github.asus4.onnxruntime"));
            Assert.That((string)define["define"], Is.EqualTo("PARLEY_ONNXRUNTIME"));
            Assert.That((bool)onnx["noEngineReferences"], Is.True);
            Assert.That(((JArray)onnx["excludePlatforms"]).Select(t => (string)t), Does.Contain("WebGL"), "no ONNX Runtime for WebGL in that package");
            // Core must not need it: the energy VAD is the fallback everywhere.
            Assert.That(((JArray)Named("Parley.Core")["references"]).Select(t => (string)t), Has.No.Member("com.github.asus4.onnxruntime"));
        }

        [Test]
        public void Burst_entry_points_compile_only_with_the_burst_package()
        {
            // com.unity.burst's runtime assembly is Unity.Burst (needle-mirror/com.unity.burst Runtime/Unity.Burst.asmdef).
            var burst = Named("Parley.Burst");
            Assert.That(((JArray)burst["references"]).Select(t => (string)t), Is.EquivalentTo(new[] { "Parley.Core", "Unity.Burst" }));
            Assert.That(((JArray)burst["defineConstraints"]).Select(t => (string)t), Is.EqualTo(new[] { "PARLEY_BURST" }));
            var define = ((JArray)burst["versionDefines"]).Single();
            Assert.That((string)define["name"], Is.EqualTo("com.unity.burst"));
            Assert.That((string)define["define"], Is.EqualTo("PARLEY_BURST"));
            // Nothing else needs Burst: without the package every other assembly still compiles.
            foreach (var kv in All().Where(a => (string)a.Value["name"] != "Parley.Burst" && !((string)a.Value["name"]).EndsWith(".Tests", StringComparison.Ordinal)))
                Assert.That(((JArray)kv.Value["references"]).Select(t => (string)t), Has.No.Member("Unity.Burst"), kv.Key);
        }

        /// <summary>
        /// NativeWebSocket's asmdef is `endel.nativewebsocket` in 1.x and 2.0.0 and `colyseus.nativewebsocket` from
        /// 2.0.2 (endel/NativeWebSocket tags 1.1.6, 2.0.0, 2.0.2-2.0.4). Only the assembly that references it may
        /// define PARLEY_NATIVEWEBSOCKET: Parley.Core (no references, no engine) must not (issue 10, failure 5).
        /// </summary>
        [Test]
        public void NativeWebSocket_is_referenced_by_every_name_and_only_from_the_Unity_assembly()
        {
            var runtime = Named("Parley");
            Assert.That(((JArray)runtime["references"]).Select(t => (string)t),
                Is.SupersetOf(new[] { "endel.nativewebsocket", "colyseus.nativewebsocket" }));
            Assert.That(((JArray)runtime["versionDefines"]).Select(v => (string)v["define"]), Does.Contain("PARLEY_NATIVEWEBSOCKET"));
            foreach (var kv in All().Where(a => (string)a.Value["name"] != "Parley"))
            {
                Assert.That(((JArray)kv.Value["versionDefines"]).Select(v => (string)v["define"]), Does.Not.Contain("PARLEY_NATIVEWEBSOCKET"), kv.Key);
                Assert.That(((JArray)kv.Value["references"]).Select(t => (string)t).Where(r => r.EndsWith("nativewebsocket", StringComparison.Ordinal)), Is.Empty, kv.Key);
            }
            var core = Path.Combine(PackagePaths.Root, "Runtime", "Core");
            var naming = Directory.GetFiles(core, "*.cs", SearchOption.AllDirectories)
                .Where(f => File.ReadAllText(f).Contains("NativeWebSocket.")).Select(PackageLayout.Relative).ToList();
            Assert.That(naming, Is.Empty, "Parley.Core cannot see NativeWebSocket's types");
        }

        [Test]
        public void Editor_assembly_is_editor_only()
        {
            var editor = Named("Parley.Editor");
            Assert.That(((JArray)editor["includePlatforms"]).Select(t => (string)t), Is.EqualTo(new[] { "Editor" }));
        }

        [Test]
        public void Test_assemblies_follow_the_test_framework_recipe()
        {
            var tests = All().Values.Where(a => ((string)a["name"]).EndsWith(".Tests", StringComparison.Ordinal)).ToList();
            Assert.That(tests.Count, Is.AtLeast(3));
            foreach (var t in tests)
            {
                var name = (string)t["name"];
                Assert.That(((JArray)t["defineConstraints"]).Select(x => (string)x), Does.Contain("UNITY_INCLUDE_TESTS"), name);
                Assert.That(((JArray)t["precompiledReferences"]).Select(x => (string)x), Does.Contain("nunit.framework.dll"), name);
                Assert.That((bool)t["overrideReferences"], Is.True, name);
                Assert.That((bool)t["autoReferenced"], Is.False, name);
                Assert.That(((JArray)t["references"]).Select(x => (string)x), Is.SupersetOf(new[] { "UnityEngine.TestRunner", "UnityEditor.TestRunner" }), name);
            }
        }

        [Test]
        public void Every_script_unity_imports_is_covered_by_an_asmdef()
        {
            var files = PackageLayout.ImportedAssets(out _);
            var asmdefDirs = All().Keys.Select(k => Path.GetDirectoryName(k).Replace('\\', '/') + "/").ToList();
            var uncovered = files.Where(f => f.EndsWith(".cs", StringComparison.Ordinal))
                .Where(f => !asmdefDirs.Any(d => f.StartsWith(d, StringComparison.Ordinal))).ToList();
            Assert.That(files.Count(f => f.EndsWith(".cs", StringComparison.Ordinal)), Is.GreaterThan(3));
            Assert.That(uncovered, Is.Empty, "scripts outside every asmdef would land in Assembly-CSharp");
        }
    }
}
