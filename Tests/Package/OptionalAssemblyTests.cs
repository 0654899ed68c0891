using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.Package
{
    /// <summary>
    /// Each optional part compiles only when what it needs is in the project (Documentation~/optional-assemblies.md):
    /// a whole assembly behind a define constraint (gRPC Riva, ONNX VAD), or code in the Unity assembly behind
    /// <c>#if</c> (NativeWebSocket, Burst). A define that a UPM package brings is set by a versionDefine naming that
    /// package; gRPC's NuGet DLLs are no UPM package, so its define is the user's (Scripting Define Symbols).
    /// </summary>
    public class OptionalAssemblyTests
    {
        public sealed class Part
        {
            public string Name, Asmdef, Define, Package, MinVersion;
            public string[] References = new string[0], Precompiled = new string[0];
            public bool WholeAssembly, WebGL;
            /// <summary>A whole assembly that needs UnityEngine (Burst's installs its kernels at start-up), unlike the engine-free ones.</summary>
            public bool UsesEngine;
            /// <summary>What only this part's code may name (C# outside comments).</summary>
            public Regex Names;
            public override string ToString() => Name;
        }

        // Expected values come from the packages themselves: asmdef names from their repositories' asmdef files
        // (endel/NativeWebSocket tags 1.1.6-2.0.4, asus4/onnxruntime-unity, com.unity.burst), package names from
        // their package.json files, DLL names from the NuGet packages the .NET build restores.
        public static readonly Part[] Parts =
        {
            new Part
            {
                Name = "gRPC Riva", Asmdef = "Parley.RivaGrpc", Define = "PARLEY_GRPC", Package = null, WholeAssembly = true,
                Precompiled = new[] { "Grpc.Net.Client.dll", "Grpc.Core.Api.dll", "Google.Protobuf.dll" }, WebGL = false,
                Names = new Regex(@"\bParley\.RivaGrpc\b|\bRivaGrpc(Asr|Tts|Options)\b|\busing Grpc\.|\bGrpcChannel\b"),
            },
            new Part
            {
                Name = "ONNX VAD", Asmdef = "Parley.Onnx", Define = "PARLEY_ONNXRUNTIME", Package = "com.github.asus4.onnxruntime",
                MinVersion = "0.4.9", WholeAssembly = true, References = new[] { "com.github.asus4.onnxruntime" }, WebGL = false,
                Names = new Regex(@"\bParley\.Onnx\b|\bSileroVoiceActivityDetector\b|\busing Microsoft\.ML\.OnnxRuntime"),
            },
            new Part
            {
                Name = "NativeWebSocket", Asmdef = "Parley", Define = "PARLEY_NATIVEWEBSOCKET", Package = "com.endel.nativewebsocket",
                MinVersion = "", References = new[] { "endel.nativewebsocket", "colyseus.nativewebsocket" }, WebGL = true,
                Names = new Regex(@"\bNativeWebSocket\.(WebSocket|WebSocketState|WebSocketCloseCode)\b|\busing NativeWebSocket;|\bNativeWebSocketTransport\b"),
            },
            new Part
            {
                Name = "Burst", Asmdef = "Parley.Burst", Define = "PARLEY_BURST", Package = "com.unity.burst", MinVersion = "1.6.0",
                WholeAssembly = true, UsesEngine = true, References = new[] { "Unity.Burst" }, WebGL = true,
                Names = new Regex(@"\bParley\.Burst\b|\busing Unity\.Burst;|\[BurstCompile\b|\bBurstAudioKernels\b|\bBurstFrameKernels\b"),
            },
        };

        static Dictionary<string, JObject> Asmdefs() =>
            Directory.GetFiles(PackagePaths.Root, "*.asmdef", SearchOption.AllDirectories)
                .Where(p => !PackageLayout.IsHiddenFromUnity(PackageLayout.Relative(p)))
                .ToDictionary(p => PackageLayout.Relative(p), p => JObject.Parse(File.ReadAllText(p)));

        static string[] Strings(JToken array) => ((JArray)array).Select(t => (string)t).ToArray();

        [TestCaseSource(nameof(Parts))]
        public void Its_define_is_set_only_when_what_it_needs_is_present(Part part)
        {
            var all = Asmdefs();
            var asmdef = all.Values.Single(a => (string)a["name"] == part.Asmdef);
            var setting = ((JArray)asmdef["versionDefines"]).Where(v => (string)v["define"] == part.Define).ToList();
            if (part.Package == null)
            {
                Assert.That(setting, Is.Empty, part + ": no UPM package brings it, so the user sets " + part.Define);
            }
            else
            {
                Assert.That(setting.Count, Is.EqualTo(1), part + ": one versionDefine sets " + part.Define);
                Assert.That((string)setting[0]["name"], Is.EqualTo(part.Package), part + ": the package it needs");
                Assert.That((string)setting[0]["expression"], Is.EqualTo(part.MinVersion), part + ": the oldest version it compiles with");
            }
            // Nothing outside its own assembly (and the tests of it) may switch its code on.
            foreach (var kv in all.Where(a => (string)a.Value["name"] != part.Asmdef && !((string)a.Value["name"]).EndsWith(".Tests", StringComparison.Ordinal)))
                Assert.That(((JArray)kv.Value["versionDefines"]).Select(v => (string)v["define"]), Has.No.Member(part.Define), kv.Key);
        }

        [TestCaseSource(nameof(Parts))]
        public void Its_assembly_references_what_it_compiles_against(Part part)
        {
            var asmdef = Asmdefs().Values.Single(a => (string)a["name"] == part.Asmdef);
            Assert.That(Strings(asmdef["references"]), Is.SupersetOf(part.References), part.ToString());
            if (part.Precompiled.Length > 0)
            {
                Assert.That((bool)asmdef["overrideReferences"], Is.True, part + ": only the listed DLLs, not every DLL in the project");
                Assert.That(Strings(asmdef["precompiledReferences"]), Is.SupersetOf(part.Precompiled), part.ToString());
            }
            if (part.WholeAssembly)
            {
                Assert.That(Strings(asmdef["defineConstraints"]), Is.EqualTo(new[] { part.Define }), part + ": compiled only with " + part.Define);
                Assert.That((bool)asmdef["noEngineReferences"], Is.EqualTo(!part.UsesEngine), part + (part.UsesEngine ? ": needs the engine" : ": engine-free like the core"));
            }
            else
            {
                Assert.That(Strings(asmdef["defineConstraints"]), Has.No.Member(part.Define), part + ": the Unity assembly itself is not optional");
            }
            Assert.That(Strings(asmdef["excludePlatforms"]).Contains("WebGL"), Is.EqualTo(!part.WebGL), part + ": WebGL");
        }

        /// <summary>Every mention of a part's types outside its own assembly's guarded code sits inside <c>#if DEFINE</c>.</summary>
        [TestCaseSource(nameof(Parts))]
        public void Code_naming_it_compiles_only_under_its_define(Part part)
        {
            // A whole optional assembly is checked from outside; code-level parts everywhere, their own assembly too.
            var sources = PackageLayout.ImportedAssets(out _).Where(f => f.EndsWith(".cs", StringComparison.Ordinal))
                .Where(f => !f.StartsWith("Tests/", StringComparison.Ordinal))
                .Where(f => !(part.WholeAssembly && OwnerOf(f) == part.Asmdef))
                .ToList();
            Assert.That(sources.Count, Is.GreaterThan(10));
            var unguarded = new List<string>();
            var mentions = 0;
            foreach (var file in sources)
                foreach (var (line, number, guards) in Lines(Path.Combine(PackagePaths.Root, file)))
                {
                    if (!part.Names.IsMatch(line)) continue;
                    mentions++;
                    if (!guards.Contains(part.Define)) unguarded.Add(file + ":" + number + ": " + line.Trim());
                }
            if (!part.WholeAssembly) Assert.That(mentions, Is.GreaterThan(0), part + ": the check sees its code");
            Assert.That(unguarded, Is.Empty, part + " named outside #if " + part.Define);
        }

        [TestCaseSource(nameof(Parts))]
        public void The_docs_say_how_to_get_it(Part part)
        {
            var doc = File.ReadAllText(Path.Combine(PackagePaths.Root, "Documentation~", "optional-assemblies.md"));
            Assert.That(doc, Does.Contain(part.Define));
            if (part.Package != null) Assert.That(doc, Does.Contain(part.Package));
            foreach (var dll in part.Precompiled) Assert.That(doc, Does.Contain(Path.GetFileNameWithoutExtension(dll)), part.ToString());
        }

        static string OwnerOf(string file)
        {
            var owner = Asmdefs().Where(kv => file.StartsWith(kv.Key.Substring(0, kv.Key.LastIndexOf('/') + 1), StringComparison.Ordinal))
                .OrderByDescending(kv => kv.Key.Length).FirstOrDefault();
            return owner.Value == null ? null : (string)owner.Value["name"];
        }

        static readonly Regex StringLiteral = new Regex(@"@?""(?:[^""\\]|\\.)*""");

        /// <summary>Code lines (comments and string literals dropped) with the symbols of the <c>#if</c>s around them.</summary>
        static IEnumerable<(string line, int number, HashSet<string> guards)> Lines(string path)
        {
            var stack = new List<string>();
            var number = 0;
            foreach (var raw in File.ReadLines(path))
            {
                number++;
                var line = raw.Trim();
                if (line.StartsWith("#if ", StringComparison.Ordinal)) { stack.Add(line.Substring(4)); continue; }
                if (line.StartsWith("#elif ", StringComparison.Ordinal) || line.StartsWith("#else", StringComparison.Ordinal))
                {
                    stack[stack.Count - 1] = "!(" + stack[stack.Count - 1] + ")"; continue;
                }
                if (line.StartsWith("#endif", StringComparison.Ordinal)) { stack.RemoveAt(stack.Count - 1); continue; }
                // String literals go first: a type named in a string (a reflection probe) is no compile-time dependency.
                var code = StringLiteral.Replace(line, "\"\"");
                var comment = code.IndexOf("//", StringComparison.Ordinal);
                code = comment >= 0 ? code.Substring(0, comment) : code;
                if (code.Length == 0) continue;
                // A symbol guards the line when some enclosing #if requires it: "A", "A && B" (not "!A", not "A || B").
                var guards = new HashSet<string>(stack.Where(c => !c.Contains("||") && !c.StartsWith("!", StringComparison.Ordinal))
                    .SelectMany(c => c.Split(new[] { "&&" }, StringSplitOptions.None)).Select(s => s.Trim()).Where(s => !s.StartsWith("!", StringComparison.Ordinal)));
                yield return (code, number, guards);
            }
        }
    }
}
