using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.Package
{
    /// <summary>package.json against the rules Unity's Package Validation Suite applies (upm-conventions.md §1).</summary>
    public class PackageManifestTests
    {
        static JObject Manifest => JObject.Parse(File.ReadAllText(Path.Combine(PackagePaths.Root, "package.json")));

        [Test]
        public void Name_and_display_name_follow_the_naming_rules()
        {
            var name = (string)Manifest["name"];
            Assert.That(name, Is.EqualTo("com.parley.voice"));
            Assert.That(Regex.IsMatch(name, "^[a-z0-9][a-z0-9-._]{0,213}$"), Is.True);
            Assert.That(name, Does.Not.Contain("unity"));
            var display = (string)Manifest["displayName"];
            Assert.That(display, Is.EqualTo("Parley Voice Agents"));
            Assert.That(Regex.IsMatch(display, "^[a-zA-Z0-9 ]+$") && display.Length <= 50, Is.True);
        }

        [Test]
        public void Version_unity_and_description_are_valid()
        {
            var m = Manifest;
            Assert.That(Regex.IsMatch((string)m["version"], @"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$"), Is.True, "SemVer");
            Assert.That((string)m["unity"], Is.EqualTo("2021.3"));
            Assert.That(((string)m["description"]).Length, Is.AtLeast(50));
            Assert.That((string)m["license"], Is.EqualTo("MIT"));
            Assert.That((string)m["author"]["name"], Is.Not.Empty);
            Assert.That(((JArray)m["keywords"]).Count, Is.AtLeast(3));
        }

        [Test]
        public void Dependencies_are_exact_versions_of_the_packages_we_need()
        {
            var deps = (JObject)Manifest["dependencies"];
            Assert.That((string)deps["com.unity.nuget.newtonsoft-json"], Is.EqualTo("3.2.1"));
            Assert.That((string)deps["com.unity.modules.audio"], Is.EqualTo("1.0.0"));
            foreach (var p in deps.Properties())
                Assert.That(Regex.IsMatch((string)p.Value, @"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$"), Is.True, p.Name + " must be an exact version");
        }

        [Test]
        public void Every_samples_folder_has_an_entry_and_every_entry_exists()
        {
            var samples = (JArray)Manifest["samples"];
            var paths = samples.Select(s => (string)s["path"]).ToList();
            foreach (var s in samples)
            {
                Assert.That((string)s["displayName"], Is.Not.Empty);
                var path = (string)s["path"];
                Assert.That(path, Does.StartWith("Samples~/"));
                Assert.That(path, Does.Not.Contain(".."));
                Assert.That(Directory.Exists(Path.Combine(PackagePaths.Root, path)), Is.True, path);
            }
            var folders = Directory.GetDirectories(Path.Combine(PackagePaths.Root, "Samples~"))
                .Select(d => "Samples~/" + Path.GetFileName(d));
            Assert.That(paths, Is.EquivalentTo(folders));
        }

        [Test]
        public void Required_top_level_files_exist_and_no_visible_Samples_folder()
        {
            foreach (var f in new[] { "README.md", "CHANGELOG.md", "LICENSE.md", "Documentation~/architecture.md" })
                Assert.That(File.Exists(Path.Combine(PackagePaths.Root, f)), Is.True, f);
            foreach (var d in new[] { "Runtime", "Editor", "Tests", "Samples~", "Documentation~" })
                Assert.That(Directory.Exists(Path.Combine(PackagePaths.Root, d)), Is.True, d);
            Assert.That(Directory.Exists(Path.Combine(PackagePaths.Root, "Samples")), Is.False, "PVS US-0116: Samples and Samples~ must not both exist");
            Assert.That(File.ReadAllText(Path.Combine(PackagePaths.Root, "CHANGELOG.md")), Does.Contain("## [Unreleased]"), "Keep a Changelog");
        }
    }
}
