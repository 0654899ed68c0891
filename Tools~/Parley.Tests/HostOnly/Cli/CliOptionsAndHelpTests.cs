using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Cli
{
    /// <summary>
    /// The option layer: a mistyped option is named as unknown with the option the user meant, and every command's
    /// --help lists each of its options with its default. The expected options and defaults are the ones
    /// Documentation~/cli.md promises, written out here.
    /// </summary>
    public class CliOptionsAndHelpTests
    {
        static IEnumerable<TestCaseData> Typos()
        {
            yield return new TestCaseData(new[] { "talk", "--outptu", "x.wav" }, "--outptu", "--output").SetName("Talk_transposed_letters");
            yield return new TestCaseData(new[] { "talk", "--fsat" }, "--fsat", "--fast").SetName("Talk_flag");
            yield return new TestCaseData(new[] { "talk", "--provder", "openai" }, "--provder", "--provider").SetName("Talk_missing_letter");
            yield return new TestCaseData(new[] { "talk", "--metric", "m.json" }, "--metric", "--metrics").SetName("Talk_singular");
            yield return new TestCaseData(new[] { "resample", "--input", "a.wav", "--rate", "16000", "--output", "out~/b.wav", "--qualty", "high" }, "--qualty", "--quality").SetName("Resample_option");
            yield return new TestCaseData(new[] { "emulator", "--port", "0", "--hots", "127.0.0.1" }, "--hots", "--host").SetName("Emulator_option");
            // A mistyped required option: the typo is named, not the option that is then missing.
            yield return new TestCaseData(new[] { "resample", "--input", "a.wav", "--rat", "16000", "--output", "out~/b.wav" }, "--rat", "--rate").SetName("Resample_required_option");
            yield return new TestCaseData(new[] { "emulator", "--prot", "0" }, "--prot", "--port").SetName("Emulator_required_option");
        }

        [TestCaseSource(nameof(Typos))]
        public void An_unknown_option_is_named_with_the_nearest_valid_one(string[] args, string typed, string meant)
        {
            var r = CliProcess.Run(args);
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.Stderr, Does.Contain("Unknown option " + typed + " for '" + args[0] + "'"), r.ToString());
            Assert.That(r.Stderr, Does.Contain("did you mean " + meant + "?"), r.ToString());
            Assert.That(r.Stderr.Trim().Split('\n').Length, Is.EqualTo(1), "one line: " + r.Stderr);
            Assert.That(r.Stdout, Is.Empty, "nothing ran");
        }

        [Test]
        public void Talk_bogus_is_an_unknown_option_not_a_missing_value()
        {
            var r = CliProcess.Run(new[] { "talk", "--bogus" });
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.Stderr, Does.Contain("Unknown option --bogus for 'talk'; did you mean --"));
            Assert.That(r.Stderr, Does.Not.Contain("needs a value"));
            var suggested = Regex.Match(r.Stderr, "did you mean (--[a-z-]+)\\?").Groups[1].Value;
            Assert.That(Expected["talk"].Keys, Does.Contain(suggested), "the suggestion is one of talk's options");
        }

        static readonly Dictionary<string, string> TalkExpected = new Dictionary<string, string>
        {
            ["--echo"] = null, ["--echo-gain"] = "0", ["--aec"] = "on", ["--vad"] = "server", ["--duplex"] = "full",
            ["--input"] = null, ["--barge-in-at"] = "-1", ["--barge-in-wav"] = null, ["--output"] = null, ["--events"] = null,
            ["--metrics"] = null, ["--record"] = null, ["--replay"] = null, ["--fast"] = null, ["--speed"] = null,
            ["--engine-rate"] = "48000", ["--tail-ms"] = "20000", ["--max-seconds"] = "600", ["--quiet"] = null,
            ["--provider"] = "emulator", ["--url"] = null, ["--model"] = null, ["--voice"] = null, ["--instructions"] = null,
            ["--turn"] = "server-vad", ["--api-key-env"] = null, ["--token-url"] = null, ["--token-auth-env"] = null, ["--tools"] = null,
            ["--asr-url"] = null, ["--tts-url"] = null, ["--llm-url"] = null, ["--llm-model"] = null, ["--riva-transport"] = "grpc",
            ["--asr-function-id"] = null, ["--tts-function-id"] = null, ["--insecure"] = null, ["--context-at"] = null,
        };

        /// <summary>Each command's options and their defaults (null: none, the option is off or unset unless given).</summary>
        static readonly Dictionary<string, Dictionary<string, string>> Expected = new Dictionary<string, Dictionary<string, string>>
        {
            ["talk"] = TalkExpected,
            // scene: every option of talk, then the simulated player's.
            ["scene"] = new Dictionary<string, string>(TalkExpected)
            {
                ["--mic-rate"] = "48000", ["--output-rate"] = "48000", ["--dsp-buffer"] = "1024", ["--fps"] = "60", ["--seed"] = "1",
                ["--unplug-at"] = "-1", ["--replug-at"] = "-1", ["--blendshapes"] = null, ["--blendshapes-set"] = "oculus",
                ["--echo-room"] = null,
            },
            ["resample"] = new Dictionary<string, string> { ["--input"] = null, ["--rate"] = null, ["--output"] = null, ["--quality"] = "default" },
            ["aec"] = new Dictionary<string, string> { ["--mic"] = null, ["--ref"] = null, ["--output"] = null, ["--filter-ms"] = "200" },
            ["emulator"] = new Dictionary<string, string> { ["--port"] = null, ["--host"] = "127.0.0.1" },
            // scan-keys (issue 12): DIR is an argument, no options.
            ["scan-keys"] = new Dictionary<string, string>(),
            // vad (issue 12)
            ["vad"] = new Dictionary<string, string> { ["--input"] = null, ["--output"] = null, ["--engine"] = "silero" },
            ["visemes"] = new Dictionary<string, string> { ["--input"] = null, ["--output"] = null, ["--set"] = "oculus" },
        };

        /// <summary>An option's row (a wrapped description's next line is indented further, and may start with an option name).</summary>
        static readonly Regex OptionRow = new Regex(@"^(?: {4}-h, | {8})(?<name>--[a-z-]+)(?: <[A-Z]+>)?\s");

        [TestCase("talk")]
        [TestCase("scene")]
        [TestCase("resample")]
        [TestCase("aec")]
        [TestCase("emulator")]
        [TestCase("scan-keys")]
        [TestCase("vad")]
        [TestCase("visemes")]
        public void Help_lists_every_option_with_its_default(string command)
        {
            var r = CliProcess.Run(new[] { command, "--help" });
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
            var lines = r.Stdout.Replace("\r\n", "\n").Split('\n');
            if (Expected[command].Count == 0)
            {
                // No options (scan-keys takes its folder as an argument): Spectre prints no DEFAULT column, only --help.
                var rows = lines.SkipWhile(l => l.Trim() != "OPTIONS:").Skip(1).TakeWhile(l => l.StartsWith("    ")).ToList();
                Assert.That(rows.Select(l => l.Trim().Split(' ')[0]), Is.EqualTo(new[] { "-h," }), r.Stdout);
                return;
            }
            // The options table: a DEFAULT header, then one row per option with its default in that column (blank: none).
            var header = Array.FindIndex(lines, l => l.Trim() == "DEFAULT");
            Assert.That(header, Is.GreaterThanOrEqualTo(0), "a DEFAULT column in\n" + r.Stdout);
            var column = lines[header].IndexOf("DEFAULT", StringComparison.Ordinal);
            var defaults = new Dictionary<string, string>();
            foreach (var line in lines.Skip(header + 1))
            {
                var m = OptionRow.Match(line);
                if (!m.Success) continue;
                var cell = line.Length > column ? line.Substring(column).Split(new[] { "  " }, StringSplitOptions.None)[0].Trim() : "";
                defaults[m.Groups["name"].Value] = cell.Length > 0 ? cell : null;
            }
            var expected = new Dictionary<string, string>(Expected[command]) { ["--help"] = null };
            Assert.That(defaults, Is.EquivalentTo(expected), r.Stdout);
            if (command == "talk" || command == "scene") Assert.That(r.Stdout, Does.Contain("8 with --fast"), "--speed's default depends on --fast and says so");
        }
    }
}
