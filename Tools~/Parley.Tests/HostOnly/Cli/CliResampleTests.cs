using System;
using System.IO;
using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Cli
{
    /// <summary>`parley resample` over the speech fixtures, measured against sox's resampling of the same source.</summary>
    public class CliResampleTests
    {
        string _dir;

        [SetUp]
        public void MakeDir()
        {
            _dir = Path.Combine(Path.GetTempPath(), "parley-resample-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        [TearDown]
        public void Clean()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        [TestCase("default")]
        [TestCase("high")]
        public void Speech_at_48k_to_16k_keeps_length_level_and_timing(string quality)
        {
            var input = PackagePaths.Fixture("audio", "speech", "npc-greeting-48k.wav");
            var output = Path.Combine(_dir, "out.wav");
            var r = CliProcess.Run(new[] { "resample", "--input", input, "--rate", "16000", "--output", output, "--quality", quality });
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());

            var source = TestWav.Read(input);
            var result = TestWav.Read(output);
            Assert.That(result.SampleRate, Is.EqualTo(16000));
            Assert.That(result.Channels, Is.EqualTo(1));
            // The filter's delay is removed: one output frame per three input frames, give or take the last one.
            Assert.That(result.Frames, Is.EqualTo(source.Frames / 3.0).Within(1));
            // Speech has almost no energy above 7.2 kHz, so the level is kept.
            var levelDb = TalkRun.RmsDb(result.Samples, 0, result.Frames) - TalkRun.RmsDb(source.Samples, 0, source.Frames);
            Assert.That(levelDb, Is.EqualTo(0).Within(0.1));

            // Against sox's 16 kHz rendering of the same speech: sample-aligned (no delay left) and close in content.
            var sox = TestWav.Speech("npc-greeting", 16000);
            var n = Math.Min(sox.Frames, result.Frames);
            var best = 0; var bestCorr = double.MinValue;
            for (var lag = -8; lag <= 8; lag++)
            {
                double c = 0;
                for (var i = 8; i < n - 8; i++) c += result.Samples[i] * sox.Samples[i + lag];
                if (c > bestCorr) { bestCorr = c; best = lag; }
            }
            Assert.That(best, Is.EqualTo(0), "no delay between ours and sox's");
            double err = 0, sig = 0;
            for (var i = 0; i < n; i++) { var d = result.Samples[i] - sox.Samples[i]; err += d * d; sig += sox.Samples[i] * sox.Samples[i]; }
            TestContext.WriteLine("level change " + levelDb.ToString("0.000") + " dB, difference from sox " + (10 * Math.Log10(err / sig)).ToString("0.0") + " dB");
            Assert.That(10 * Math.Log10(err / sig), Is.LessThan(-30), "difference from sox, dB below the signal");
            Assert.That(r.Stdout, Does.Contain("48000 Hz -> 16000 Hz"));
        }

        [Test]
        public void A_missing_input_is_one_line_and_exit_3()
        {
            var r = CliProcess.Run(new[] { "resample", "--input", Path.Combine(_dir, "nope.wav"), "--rate", "16000", "--output", Path.Combine(_dir, "o.wav") });
            Assert.That(r.ExitCode, Is.EqualTo(3), r.ToString());
            Assert.That(r.Stderr.Trim().Split('\n').Length, Is.EqualTo(1), r.Stderr);
            Assert.That(r.Stderr, Does.Contain("does not exist"));
            Assert.That(File.Exists(Path.Combine(_dir, "o.wav")), Is.False);
        }

        [TestCase("7000")]
        [TestCase("384000")]
        [TestCase("16k")]
        public void An_unsupported_rate_is_one_line_and_exit_2(string rate)
        {
            var r = CliProcess.Run(new[] { "resample", "--input", PackagePaths.Fixture("audio", "speech", "npc-greeting-48k.wav"), "--rate", rate, "--output", Path.Combine(_dir, "o.wav") });
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.Stderr.Trim().Split('\n').Length, Is.EqualTo(1), r.Stderr);
            Assert.That(r.Stderr, Does.Contain("--rate"));
            Assert.That(File.Exists(Path.Combine(_dir, "o.wav")), Is.False);
        }

        [Test]
        public void An_unknown_quality_is_one_line_and_exit_2()
        {
            var r = CliProcess.Run(new[] { "resample", "--input", PackagePaths.Fixture("audio", "speech", "npc-greeting-48k.wav"), "--rate", "16000", "--output", Path.Combine(_dir, "o.wav"), "--quality", "ultra" });
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.Stderr, Does.Contain("--quality must be fast, default or high"));
        }
    }
}
