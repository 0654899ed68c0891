using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.Package
{
    /// <summary>
    /// Unity compiles each test folder's asmdef as its own assembly, and only InternalsVisibleTo attributes in the
    /// package's source reach it. Every test asmdef must therefore be compiled here too, under its own name, against
    /// the projects of the assemblies its asmdef references, with no .NET project granting that name internals: then an
    /// internal it uses builds only when the source grants it (Runtime/Core, Runtime/Unity, Editor AssemblyInfo.cs).
    /// </summary>
    public class TestAssemblyGrantTests
    {
        static string Tools => Path.Combine(PackagePaths.Root, "Tools~");

        static IEnumerable<(string Path, XDocument Project)> Projects() =>
            Directory.GetFiles(Tools, "*.csproj", SearchOption.AllDirectories)
                .Where(p => !p.Replace('\\', '/').Contains("/.build/"))
                .Select(p => (p, XDocument.Load(p)));

        static string AssemblyName(string path, XDocument project) =>
            project.Descendants("AssemblyName").Select(e => e.Value).FirstOrDefault() ?? Path.GetFileNameWithoutExtension(path);

        static IEnumerable<(string Folder, string Name, string[] References)> TestAsmdefs() =>
            Directory.GetFiles(Path.Combine(PackagePaths.Root, "Tests"), "*.asmdef", SearchOption.AllDirectories)
                .Select(p =>
                {
                    var json = JObject.Parse(File.ReadAllText(p));
                    var folder = Path.GetRelativePath(Path.Combine(PackagePaths.Root, "Tests"), Path.GetDirectoryName(p)).Replace('\\', '/');
                    return (folder, (string)json["name"], ((JArray)json["references"]).Select(t => (string)t).ToArray());
                });

        static IEnumerable<string> References(string path) =>
            XDocument.Load(path).Descendants("ProjectReference")
                .Select(r => ((string)r.Attribute("Include")).Replace("$(PackageRoot)", PackagePaths.Root + "/").Replace('\\', '/'))
                .Select(include => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path), include)));

        /// <summary>The project and every project it references, directly or not.</summary>
        static HashSet<string> Closure(string root)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>(new[] { root });
            while (pending.Count > 0)
            {
                var project = pending.Pop();
                if (!seen.Add(project)) continue;
                foreach (var next in References(project)) pending.Push(next);
            }
            return seen;
        }

        [Test]
        public void Every_test_asmdef_builds_under_its_name_with_only_source_granted_internals()
        {
            var projects = Projects().ToList();
            var asmdefs = TestAsmdefs().ToList();
            Assert.That(asmdefs.Select(a => a.Name), Is.SupersetOf(new[] { "Parley.Core.Tests", "Parley.Editor.Tests", "Parley.Package.Tests", "Parley.Tests" }));
            var built = projects.Select(p => AssemblyName(p.Path, p.Project)).ToHashSet(StringComparer.Ordinal);
            var host = Path.GetFullPath(Path.Combine(Tools, "Parley.Tests", "Parley.Tests.csproj"));
            var builtWithTests = Closure(host);

            foreach (var (folder, name, references) in asmdefs)
            {
                var checks = projects.Where(p => AssemblyName(p.Path, p.Project) == name && p.Project.Descendants("Compile")
                    .Select(c => ((string)c.Attribute("Include") ?? "").Replace('\\', '/'))
                    .Any(i => i == "$(PackageRoot)Tests/" + folder + "/**/*.cs" || i == "$(PackageRoot)Tests/**/*.cs")).ToList();
                Assert.That(checks, Is.Not.Empty, $"no project compiles Tests/{folder} as {name}");

                // The stand-ins' grants are their simulation hooks (Unity's own assemblies grant Parley nothing): not counted.
                var granting = projects.Where(p => !p.Path.Replace('\\', '/').Contains("/UnityStandIn/"))
                    .Where(p => p.Project.Descendants("InternalsVisibleTo").Any(e => (string)e.Attribute("Include") == name))
                    .Select(p => Path.GetFileName(p.Path));
                Assert.That(granting, Is.Empty, $"a .NET project grants {name} internals that Unity would not");

                foreach (var (path, project) in checks)
                {
                    Assert.That(builtWithTests, Does.Contain(Path.GetFullPath(path)), $"building the tests does not build {Path.GetFileName(path)}");
                    var referenced = References(path).Select(p => AssemblyName(p, XDocument.Load(p))).ToHashSet(StringComparer.Ordinal);
                    // The project over all of Tests/ holds the referenced test assemblies' sources itself.
                    var compilesAll = project.Descendants("Compile").Any(c => ((string)c.Attribute("Include") ?? "").Replace('\\', '/') == "$(PackageRoot)Tests/**/*.cs");
                    foreach (var reference in references.Where(built.Contains).Where(r => !(compilesAll && asmdefs.Any(a => a.Name == r))))
                        Assert.That(referenced, Does.Contain(reference), $"{Path.GetFileName(path)} compiles {name} without {reference}");
                }
            }
        }

        [Test]
        public void Source_grants_name_only_test_asmdefs()
        {
            var names = TestAsmdefs().Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
            var files = new[] { "Runtime/Core", "Runtime/Unity", "Editor" }.Select(d => Path.Combine(PackagePaths.Root, d, "AssemblyInfo.cs")).ToList();
            var granted = files.SelectMany(f => Regex.Matches(File.ReadAllText(f), @"InternalsVisibleTo\(""([^""]+)""\)").Select(m => m.Groups[1].Value)).ToList();
            Assert.That(granted, Does.Contain("Parley.Editor.Tests"), "Tests/Editor reads Parley.Editor's SerializedStrings");
            Assert.That(granted.Except(names), Is.Empty, "a grant to an assembly that is no test asmdef");
        }
    }
}
