using System;
using System.IO;
using NUnit.Framework;

namespace Parley.Tests.Support
{
    /// <summary>
    /// The fixtures are found however Unity installed the package. Each case lays out a Unity project the way the
    /// Package Manager does for that source (Manual: "Package sources"; embedded packages live in Packages/, local
    /// folders stay where manifest.json's file: path points, git/registry/tarball packages are unpacked into
    /// Library/PackageCache/name@…) and checks that the root found holds that copy's Tests/Fixtures~.
    /// </summary>
    public class PackagePathsTests
    {
        string _temp;

        [SetUp]
        public void Create() => _temp = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "parley-paths-" + Guid.NewGuid().ToString("N"))).FullName;

        [TearDown]
        public void Delete() { if (Directory.Exists(_temp)) Directory.Delete(_temp, true); }

        /// <summary>A copy of the package at <paramref name="dir"/> whose fixture marker names it.</summary>
        static string Package(string dir)
        {
            Directory.CreateDirectory(Path.Combine(dir, "Tests", "Fixtures~"));
            File.WriteAllText(Path.Combine(dir, "package.json"), "{\n  \"name\": \"" + PackagePaths.PackageName + "\",\n  \"version\": \"0.1.0\"\n}");
            File.WriteAllText(Path.Combine(dir, "Tests", "Fixtures~", "marker.txt"), dir);
            return Path.GetFullPath(dir);
        }

        string Project(string manifestDependency = null)
        {
            var project = Path.Combine(_temp, "Game");
            Directory.CreateDirectory(Path.Combine(project, "Packages"));
            Directory.CreateDirectory(Path.Combine(project, "Library", "PackageCache"));
            var dependency = manifestDependency == null ? "" : ",\n    \"" + PackagePaths.PackageName + "\": \"" + manifestDependency + "\"";
            File.WriteAllText(Path.Combine(project, "Packages", "manifest.json"),
                "{\n  \"dependencies\": {\n    \"com.unity.modules.audio\": \"1.0.0\"" + dependency + "\n  },\n  \"testables\": [ \"" + PackagePaths.PackageName + "\" ]\n}");
            return project;
        }

        static void AssertFixturesOf(string expectedRoot, string found)
        {
            Assert.That(found, Is.EqualTo(expectedRoot));
            Assert.That(File.ReadAllText(Path.Combine(found, "Tests", "Fixtures~", "marker.txt")), Is.EqualTo(expectedRoot));
        }

        // The editor's working directory is the project; the test assembly lives in Library/ScriptAssemblies.
        string ScriptAssemblies(string project) => Directory.CreateDirectory(Path.Combine(project, "Library", "ScriptAssemblies")).FullName;

        [Test]
        public void Embedded_in_Packages()
        {
            var project = Project();
            var root = Package(Path.Combine(project, "Packages", PackagePaths.PackageName));
            AssertFixturesOf(root, PackagePaths.FindRoot(null, project, ScriptAssemblies(project)));
        }

        [Test]
        public void Local_folder_named_by_a_relative_file_path_in_the_manifest()
        {
            var root = Package(Path.Combine(_temp, "src", "parley"));
            var project = Project("file:../../src/parley");
            AssertFixturesOf(root, PackagePaths.FindRoot(null, project, ScriptAssemblies(project)));
        }

        [Test]
        public void Local_folder_named_by_an_absolute_file_path_in_the_manifest()
        {
            var root = Package(Path.Combine(_temp, "elsewhere", "parley"));
            var project = Project("file:" + root.Replace('\\', '/'));
            AssertFixturesOf(root, PackagePaths.FindRoot(null, project, ScriptAssemblies(project)));
        }

        [Test]
        public void Git_url_unpacked_into_the_package_cache()
        {
            var project = Project("https://example.invalid/parley.git#v0.1.0");
            var root = Package(Path.Combine(project, "Library", "PackageCache", PackagePaths.PackageName + "@4f2c9e1a7b"));
            AssertFixturesOf(root, PackagePaths.FindRoot(null, project, ScriptAssemblies(project)));
        }

        [Test]
        public void Tarball_unpacked_into_the_package_cache()
        {
            var project = Project("file:../parley-0.1.0.tgz");
            File.WriteAllText(Path.Combine(_temp, "parley-0.1.0.tgz"), "not a folder");
            var root = Package(Path.Combine(project, "Library", "PackageCache", PackagePaths.PackageName + "@0.1.0-1c8d3f"));
            AssertFixturesOf(root, PackagePaths.FindRoot(null, project, ScriptAssemblies(project)));
        }

        [Test]
        public void The_package_managers_own_answer_comes_first()
        {
            var project = Project();
            Package(Path.Combine(project, "Packages", PackagePaths.PackageName));
            var resolved = Package(Path.Combine(_temp, "resolved-by-unity"));
            AssertFixturesOf(resolved, PackagePaths.FindRoot(resolved, project, ScriptAssemblies(project)));
        }

        [Test]
        public void A_package_json_that_only_depends_on_the_package_is_not_it()
        {
            var project = Project();
            File.WriteAllText(Path.Combine(project, "package.json"), "{ \"name\": \"com.example.game\", \"dependencies\": { \"" + PackagePaths.PackageName + "\": \"0.1.0\" } }");
            Assert.That(PackagePaths.FindRoot(null, project, ScriptAssemblies(project)), Is.Null);
        }

        [Test]
        public void This_run_finds_the_real_fixtures()
        {
            Assert.That(File.Exists(Path.Combine(PackagePaths.Root, "package.json")), Is.True, PackagePaths.Root);
            Assert.That(Directory.GetFiles(PackagePaths.Fixtures, "*", SearchOption.AllDirectories), Is.Not.Empty, PackagePaths.Fixtures);
        }
    }
}
