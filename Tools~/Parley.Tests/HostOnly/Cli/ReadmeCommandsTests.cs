using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Cli
{
    /// <summary>
    /// The README's two commands run one after the other (issue 10, failure 4): the main job writes where Unity does
    /// not import and git ignores, `.ci/run` runs exactly the README's main job before exactly its test command, and
    /// the CLI refuses an output that would land in a package's imported folders.
    /// </summary>
    public class ReadmeCommandsTests
    {
        static string Readme => File.ReadAllText(Path.Combine(PackagePaths.Root, "README.md")).Replace("\r\n", "\n");

        /// <summary>The single line of the bash block that follows the paragraph starting with <paramref name="lead"/>.</summary>
        static string CommandAfter(string lead)
        {
            var at = Readme.IndexOf(lead, StringComparison.Ordinal);
            Assert.That(at, Is.GreaterThanOrEqualTo(0), "README has '" + lead + "'");
            var m = new Regex("```bash\n(?<cmd>[^\n]+)\n```").Match(Readme, at);
            Assert.That(m.Success, Is.True, "a bash block after '" + lead + "'");
            return m.Groups["cmd"].Value.Trim();
        }

        static string MainJob => CommandAfter("Run the main job");

        [Test]
        public void Ci_runs_the_readme_main_job_then_the_readme_test_command()
        {
            var ci = File.ReadAllLines(Path.Combine(PackagePaths.Root, ".ci", "run")).Select(l => l.Trim()).ToList();
            var main = ci.FindIndex(l => l == MainJob || l.StartsWith(MainJob + " ", StringComparison.Ordinal));
            var tests = ci.FindIndex(l => l == CommandAfter("Run all tests"));
            Assert.That(main, Is.GreaterThanOrEqualTo(0), ".ci/run runs the README's main job: " + MainJob);
            Assert.That(tests, Is.GreaterThanOrEqualTo(0), ".ci/run runs the README's test command");
            Assert.That(main, Is.LessThan(tests), "the main job runs first, so CI proves its outputs do not break the tests");
        }

        [Test]
        public void The_main_job_writes_into_a_folder_unity_skips_and_git_ignores()
        {
            var outputs = Regex.Matches(MainJob, "--(?:output|events|metrics|record) (?<path>\\S+)").Select(m => m.Groups["path"].Value).ToList();
            Assert.That(outputs, Has.Count.EqualTo(3), MainJob);
            var ignored = File.ReadAllLines(Path.Combine(PackagePaths.Root, ".gitignore")).Select(l => l.Trim().Trim('/')).ToList();
            foreach (var path in outputs)
            {
                var folder = path.Split('/')[0];
                Assert.That(path, Does.Contain("/"), path + " is in a folder, not the package root");
                Assert.That(folder, Does.EndWith("~"), "Unity does not import folders ending in ~");
                Assert.That(ignored, Does.Contain(folder), ".gitignore lists " + folder);
            }
        }

        /// <summary>A stand-in for this repository: a UPM package root (package.json and its .meta) in a temporary folder.</summary>
        static string FakePackage()
        {
            var dir = Path.Combine(Path.GetTempPath(), "parley-pkg-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path.Combine(dir, "Runtime"));
            File.WriteAllText(Path.Combine(dir, "package.json"), "{\"name\":\"com.example.game\",\"version\":\"1.0.0\",\"unity\":\"2021.3\"}");
            File.WriteAllText(Path.Combine(dir, "package.json.meta"), "fileFormatVersion: 2\nguid: 0123456789abcdef0123456789abcdef\n");
            return dir;
        }

        static IEnumerable<TestCaseData> ImportedPlaces()
        {
            yield return new TestCaseData((object)new[] { "talk", "--output", "reply.wav" }).SetName("Talk_output_in_the_root");
            yield return new TestCaseData((object)new[] { "talk", "--events", "Runtime/events.jsonl" }).SetName("Talk_events_in_an_imported_folder");
            yield return new TestCaseData((object)new[] { "talk", "--metrics", "{pkg}/metrics.json" }).SetName("Talk_metrics_by_absolute_path");
            yield return new TestCaseData((object)new[] { "resample", "--input", "{speech}", "--rate", "16000", "--output", "b.wav" }).SetName("Resample_output_in_the_root");
        }

        [TestCaseSource(nameof(ImportedPlaces))]
        public void An_output_unity_would_import_is_refused_before_anything_runs(string[] args)
        {
            var pkg = FakePackage();
            try
            {
                var a = args.Select(x => x.Replace("{pkg}", pkg).Replace("{speech}", PackagePaths.Fixture("audio", "speech", "npc-greeting-48k.wav"))).ToArray();
                var r = CliProcess.Run(a, workingDir: pkg);
                Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
                Assert.That(r.Stderr.Trim().Split('\n').Length, Is.EqualTo(1), r.Stderr);
                Assert.That(r.Stderr, Does.Contain("inside the Unity package").And.Contain("out~/"));
                var written = Directory.GetFiles(pkg, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(pkg, f)).OrderBy(f => f);
                Assert.That(written, Is.EqualTo(new[] { "package.json", "package.json.meta" }), "nothing was written");
            }
            finally { Directory.Delete(pkg, true); }
        }

        [Test]
        public void An_output_under_a_tilde_folder_is_written_and_its_folders_created()
        {
            var pkg = FakePackage();
            try
            {
                var r = CliProcess.Run(new[] { "resample", "--input", PackagePaths.Fixture("audio", "speech", "npc-greeting-48k.wav"), "--rate", "16000", "--output", "out~/nested/b.wav" }, workingDir: pkg);
                Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
                Assert.That(TestWav.Read(Path.Combine(pkg, "out~", "nested", "b.wav")).SampleRate, Is.EqualTo(16000));
            }
            finally { Directory.Delete(pkg, true); }
        }
    }
}
