using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Cli
{
    /// <summary>Every user mistake ends with one line saying what to do, a specific exit code and no stack trace.</summary>
    public class CliBadInputTests
    {
        string _dir;

        [OneTimeSetUp]
        public void MakeFiles()
        {
            _dir = Path.Combine(Path.GetTempPath(), "parley-cli-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
            File.WriteAllText(Path.Combine(_dir, "text.wav"), "this is not audio");
            // A real WAV header for G.711 A-law (format 6): valid RIFF, unsupported encoding.
            using (var w = new BinaryWriter(File.Create(Path.Combine(_dir, "alaw.wav"))))
            {
                var data = new byte[8000];
                w.Write(Encoding.ASCII.GetBytes("RIFF")); w.Write(36 + 2 + data.Length); w.Write(Encoding.ASCII.GetBytes("WAVE"));
                w.Write(Encoding.ASCII.GetBytes("fmt ")); w.Write(18); w.Write((short)6); w.Write((short)1); w.Write(8000); w.Write(8000);
                w.Write((short)1); w.Write((short)8); w.Write((short)0);
                w.Write(Encoding.ASCII.GetBytes("data")); w.Write(data.Length); w.Write(data);
            }
            File.WriteAllText(Path.Combine(_dir, "tools.json"), "{\"name\":\"x\"}");
        }

        [OneTimeTearDown]
        public void Clean()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        static IEnumerable<TestCaseData> Cases()
        {
            yield return new TestCaseData(new[] { "talk", "--provider", "skynet" }, 2, "Unknown provider 'skynet'").SetName("UnknownProvider");
            yield return new TestCaseData(new[] { "talk", "--input", "{dir}/missing.wav" }, 3, "does not exist").SetName("MissingWav");
            yield return new TestCaseData(new[] { "talk", "--input", "{dir}/text.wav" }, 3, "not a readable WAV").SetName("NotAWav");
            yield return new TestCaseData(new[] { "talk", "--input", "{dir}/alaw.wav" }, 3, "ALaw").SetName("UnsupportedWavFormat");
            yield return new TestCaseData(new[] { "talk", "--input", "{dir}" }, 3, "is a folder").SetName("FolderAsWav");
            yield return new TestCaseData(new[] { "talk", "--provider", "openai", "--api-key-env", "PARLEY_TEST_NO_SUCH_KEY" }, 4,
                "PARLEY_TEST_NO_SUCH_KEY is not set").SetName("MissingKeyVariable");
            yield return new TestCaseData(new[] { "talk", "--provider", "openai", "--url", "ws://192.0.2.10:8080/v1/realtime", "--api-key-env", "PATH" }, 5,
                "Refusing plain-text").SetName("PlainTextToRemoteHost");
            yield return new TestCaseData(new[] { "talk", "--provider", "openai", "--url", "not a url" }, 2, "is not a ws://").SetName("MalformedUrl");
            yield return new TestCaseData(new[] { "talk", "--barge-in-at", "soon" }, 2, "--barge-in-at must be a whole number").SetName("BadNumber");
            yield return new TestCaseData(new[] { "talk", "--tools", "{dir}/tools.json" }, 3, "must hold a JSON array").SetName("ToolsNotAnArray");
            yield return new TestCaseData(new[] { "talk", "--outptu", "x.wav" }, 2, "Unknown option --outptu").SetName("MistypedOption");
            yield return new TestCaseData(new[] { "dance" }, 2, "unknown command 'dance'").SetName("UnknownCommand");
            yield return new TestCaseData(new[] { "emulator", "--port", "0", "--host", "0.0.0.0" }, 2, "loopback").SetName("EmulatorOnNetworkAddress");
            yield return new TestCaseData(new[] { "talk", "--provider", "replay", "--replay", "{dir}/text.wav" }, 3, "not a Parley recording").SetName("ReplayOfNonRecording");
            yield return new TestCaseData(new[] { "talk", "--provider", "riva", "--riva-transport", "websocket", "--asr-function-id", "x" }, 2, "use them with --riva-transport grpc").SetName("FunctionIdWithoutGrpc");
            yield return new TestCaseData(new[] { "talk", "--provider", "riva", "--asr-url", "http://127.0.0.1:1" }, 2, "needs --asr-url, --tts-url and --llm-url").SetName("RivaWithoutAllUrls");
        }

        [TestCaseSource(nameof(Cases))]
        public void FailsWithOneClearLine(string[] args, int exitCode, string message)
        {
            var a = Array.ConvertAll(args, x => x.Replace("{dir}", _dir));
            var r = CliProcess.Run(a, env: new Dictionary<string, string> { ["PARLEY_TEST_NO_SUCH_KEY"] = "" });
            Assert.That(r.ExitCode, Is.EqualTo(exitCode), r.ToString());
            Assert.That(r.Stderr, Does.Contain(message), r.ToString());
            var lines = r.Stderr.Trim().Split('\n');
            Assert.That(lines.Length, Is.EqualTo(1), "one line: " + r.Stderr);
            Assert.That(r.Stderr, Does.Not.Contain("   at "), "no stack trace without --verbose");
        }

        [Test]
        public void VerboseAddsTheStackTrace()
        {
            var r = CliProcess.Run(new[] { "talk", "--input", Path.Combine(_dir, "text.wav"), "--verbose" });
            Assert.That(r.ExitCode, Is.EqualTo(3));
            Assert.That(r.Stderr, Does.Contain("   at "));
        }

        [Test]
        public void HelpListsTheCommandsAndTalkOptions()
        {
            var r = CliProcess.Run(new[] { "--help" });
            Assert.That(r.ExitCode, Is.EqualTo(0));
            Assert.That(r.Stdout, Does.Contain("talk").And.Contain("resample").And.Contain("emulator"));
            var t = CliProcess.Run(new[] { "talk", "--help" });
            Assert.That(t.ExitCode, Is.EqualTo(0));
            foreach (var opt in new[] { "--provider", "--url", "--model", "--voice", "--instructions", "--api-key-env", "--token-url", "--tools",
                         "--asr-url", "--tts-url", "--llm-url", "--llm-model", "--riva-transport", "--barge-in-at", "--output", "--events", "--metrics", "--fast" })
                Assert.That(t.Stdout, Does.Contain(opt));
        }
    }
}
