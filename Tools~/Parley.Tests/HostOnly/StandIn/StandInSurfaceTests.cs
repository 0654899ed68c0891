using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.StandIn
{
    /// <summary>
    /// Nothing Unity lacks sits in a Unity namespace (guide; issue 10 failure 6): every public type of the stand-in
    /// assemblies in UnityEngine*/UnityEditor*/Unity.* is declared in api-signatures.md (Tests/Fixtures~/unity) or
    /// cited from UnityCsReference in Tools~/UnityStandIn/cited-types.tsv.
    /// </summary>
    public class StandInSurfaceTests
    {
        static readonly Assembly[] StandIns =
        {
            typeof(global::UnityEngine.Debug).Assembly, typeof(global::UnityEditor.EditorPrefs).Assembly, typeof(global::Unity.Burst.BurstCompileAttribute).Assembly,
            typeof(global::UnityEngine.InputSystem.InputAction).Assembly,
        };

        static bool InUnityNamespace(string ns) =>
            ns != null && (ns == "UnityEngine" || ns.StartsWith("UnityEngine.", StringComparison.Ordinal)
                || ns == "UnityEditor" || ns.StartsWith("UnityEditor.", StringComparison.Ordinal)
                || ns == "Unity" || ns.StartsWith("Unity.", StringComparison.Ordinal));

        /// <summary>(namespace, simple name) of every type api-signatures.md declares inside a `namespace X` block.</summary>
        internal static HashSet<string> DeclaredInNotes()
        {
            var declared = new HashSet<string>(StringComparer.Ordinal);
            string current = null;
            var decl = new Regex(@"\b(?:class|struct|enum|interface)\s+(\w+)|\bdelegate\s+[\w.<>\[\], ]+?\s+(\w+)\s*(?:<[^>]*>)?\s*\(");
            foreach (var line in File.ReadLines(PackagePaths.Fixture("unity", "api-signatures.md")))
            {
                var n = Regex.Match(line, @"^namespace\s+([\w.]+)");
                if (n.Success) { current = n.Groups[1].Value; continue; }
                if (line.StartsWith("```", StringComparison.Ordinal) && line.Trim() == "```") { current = null; continue; }
                if (current == null) continue;
                foreach (Match m in decl.Matches(line))
                    declared.Add(current + "." + (m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value));
            }
            return declared;
        }

        internal static Dictionary<string, string> Cited() =>
            File.ReadLines(Path.Combine(PackagePaths.Root, "Tools~", "UnityStandIn", "cited-types.tsv"))
                .Where(l => l.Length > 0 && l[0] != '#')
                .Select(l => l.Split('\t'))
                .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);

        static string SimpleKey(Type t) => t.Namespace + "." + t.Name.Split('`')[0];

        static string FullName(Type t) => (t.FullName ?? t.Name).Split('`')[0].Replace('+', '.');

        [Test]
        public void The_notes_parser_finds_the_types_the_notes_declare()
        {
            // Independent spot checks read off the notes by hand: a sealed class, a nested delegate, an enum, a struct.
            var declared = DeclaredInNotes();
            Assert.That(declared, Is.SupersetOf(new[]
            {
                "UnityEngine.Microphone", "UnityEngine.PCMReaderCallback", "UnityEngine.AudioSpeakerMode",
                "UnityEngine.AudioConfiguration", "UnityEditor.EditorPrefs", "Unity.Burst.BurstCompileAttribute",
                "UnityEngine.Android.Permission", "Unity.Collections.NativeArray",
            }));
            Assert.That(declared, Does.Not.Contain("UnityEngine.StandIn"));
            Assert.That(declared, Does.Not.Contain("UnityEngine.Console"));
        }

        [Test]
        public void Every_public_type_in_a_Unity_namespace_is_a_Unity_type()
        {
            var declared = DeclaredInNotes();
            var cited = Cited();
            var unknown = StandIns.SelectMany(a => a.GetExportedTypes())
                .Where(t => InUnityNamespace(t.Namespace))
                .Where(t => !declared.Contains(SimpleKey(t)) && !cited.ContainsKey(FullName(t)))
                .Select(FullName).OrderBy(n => n, StringComparer.Ordinal).ToList();
            Assert.That(unknown, Is.Empty, "public types Unity does not have (or not cited) in a Unity namespace");
        }

        [Test]
        public void Every_citation_names_a_source_file_and_a_type_the_stand_in_has()
        {
            var exported = new HashSet<string>(StandIns.SelectMany(a => a.GetExportedTypes()).Select(FullName), StringComparer.Ordinal);
            foreach (var kv in Cited())
            {
                Assert.That(kv.Value, Does.Match(@"\.cs$"), kv.Key);
                Assert.That(exported, Does.Contain(kv.Key), "a citation for a type the stand-in no longer has");
            }
        }

        [Test]
        public void Package_assemblies_use_nothing_of_the_simulation()
        {
            // Parley.Simulation ships inside the stand-in UnityEngine.dll; real Unity has none of it, so package code
            // naming it would compile here and break in Unity.
            foreach (var assembly in new[] { typeof(Parley.Unity.Audio.EngineAudio).Assembly, typeof(Parley.Editor.Keys.EditorKeyStore).Assembly, typeof(Parley.Samples.TalkingNpc.NpcBootstrap).Assembly })
                using (var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(assembly.Location)))
                {
                    var md = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
                    var named = md.TypeReferences.Select(h => md.GetTypeReference(h))
                        .Select(t => md.GetString(t.Namespace) + "." + md.GetString(t.Name)).ToList();
                    Assert.That(named, Is.Not.Empty);
                    Assert.That(named.Where(n => n.StartsWith("Parley.Simulation.", StringComparison.Ordinal)), Is.Empty, assembly.GetName().Name);
                    Assert.That(named, Has.Some.StartsWith("Unity"), "the scan sees the assembly's Unity references");
                }
        }

        [Test]
        public void Internal_stand_in_helpers_stay_out_of_Unity_namespaces_too()
        {
            // Non-public helpers are invisible to package code, but a Unity namespace is still a claim about Unity.
            var declared = DeclaredInNotes();
            var cited = Cited();
            var helpers = StandIns.SelectMany(a => a.GetTypes())
                .Where(t => !t.IsPublic && !t.IsNestedPublic && InUnityNamespace(t.Namespace))
                .Where(t => !t.Name.StartsWith("<", StringComparison.Ordinal) && t.DeclaringType == null)
                .Where(t => !declared.Contains(SimpleKey(t)) && !cited.ContainsKey(FullName(t)))
                .Select(FullName).ToList();
            Assert.That(helpers, Is.Empty);
        }
    }
}
