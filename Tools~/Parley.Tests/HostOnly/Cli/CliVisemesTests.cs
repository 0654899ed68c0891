using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Cli
{
    /// <summary>
    /// `parley visemes` as a real process over a committed natural prompt (Allison Smith, 8 kHz) whose pauses are
    /// labelled by a forced alignment (Tests/Fixtures~/lipsync/README.md): the header in each set's own names, a row
    /// per 10 ms hop, and the mouth at rest inside the labelled silences.
    /// </summary>
    public class CliVisemesTests
    {
        const string Prompt = "natural-agent-incorrect";
        /// <summary>Edge of a labelled pause left out: the alignment's 10 ms grid, the release (20 ms) and a breath's onset.</summary>
        const int EdgeMs = 60;
        string _dir;

        [SetUp]
        public void MakeDir()
        {
            _dir = Path.Combine(Path.GetTempPath(), "parley-visemes-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        [TearDown]
        public void Clean()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        static string Wav => PackagePaths.Fixture("lipsync", "natural", Prompt + ".wav");

        // Header names from the issue and the rigs' own conventions (Oculus viseme names, ARKit BlendShapeLocation
        // names, VRM 1.0 vowel presets, Rhubarb's mouth shapes), not read from the presets under test.
        [TestCase("oculus", "sil,PP,FF,TH,DD,kk,CH,SS,nn,RR,aa,E,ih,oh,ou")]
        [TestCase("vrm", "aa,ih,ou,ee,oh")]
        [TestCase("rhubarb", "A,B,C,D,E,F,G,H,X")]
        [TestCase("arkit", "jawOpen,mouthClose,mouthPressLeft,mouthPressRight,mouthRollLower,mouthRollUpper,mouthUpperUpLeft,mouthUpperUpRight,mouthLowerDownLeft,mouthLowerDownRight,mouthFunnel,mouthPucker,mouthStretchLeft,mouthStretchRight,mouthSmileLeft,mouthSmileRight,tongueOut")]
        public void Header_names_a_row_per_hop_and_a_closed_mouth_in_the_labelled_pauses(string set, string names)
        {
            var output = Path.Combine(_dir, set + ".csv");
            var r = CliProcess.Run(new[] { "visemes", "--input", Wav, "--output", output, "--set", set });
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());

            var lines = File.ReadAllLines(output);
            var header = lines[0].Split(',');
            Assert.That(header[0], Is.EqualTo("ms"));
            Assert.That(header.Skip(1), Is.EqualTo(names.Split(',')), "one column per target in the set's own names");

            var rows = lines.Skip(1).Select(l => l.Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray()).ToArray();
            var clip = TestWav.Read(Wav);
            var durationMs = clip.Frames * 1000.0 / clip.SampleRate;
            Assert.That(rows.Length, Is.EqualTo(durationMs / 10).Within(3), "a row per 10 ms hop over " + durationMs + " ms");
            for (var i = 1; i < rows.Length; i++) Assert.That(rows[i][0] - rows[i - 1][0], Is.EqualTo(10).Within(0.05), "row " + i);
            Assert.That(rows.All(row => row.Length == header.Length && row.Skip(1).All(v => v >= 0 && v <= 1)), Is.True, "every weight in 0..1");

            // The mouth at rest, in each set's terms: the closed visemes (sil/PP) carry most weight (oculus), the
            // rest and closed shapes X/A do (rhubarb), the jaw stays nearly shut (arkit), no vowel is formed (vrm).
            Func<double[], bool> closed;
            switch (set)
            {
                case "oculus": closed = row => row[1] + row[2] >= 0.5; break;
                case "rhubarb": closed = row => row[1] + row[9] >= 0.5; break;
                case "arkit": closed = row => row[1] < 0.2; break;
                default: closed = row => row.Skip(1).Max() < 0.3; break;
            }
            var pauses = LabelledPauses(PackagePaths.Fixture("lipsync", "natural", Prompt + ".csv"), durationMs);
            var inPause = rows.Where(row => pauses.Any(p => row[0] >= p.Item1 + EdgeMs && row[0] < p.Item2 - EdgeMs)).ToArray();
            var share = inPause.Count(closed) / (double)inPause.Length;
            TestContext.WriteLine(set + ": " + rows.Length + " rows, " + inPause.Length + " in labelled pauses, closed in " + share.ToString("0.000"));
            Assert.That(inPause.Length, Is.GreaterThanOrEqualTo(20), "the fixture has pauses to check");
            Assert.That(share, Is.GreaterThanOrEqualTo(0.9), "mouth at rest inside the labelled pauses");
        }

        [TestCase("cmu")]
        [TestCase("")]
        public void An_unknown_set_is_one_line_and_exit_2(string set)
        {
            var output = Path.Combine(_dir, "o.csv");
            var r = CliProcess.Run(new[] { "visemes", "--input", Wav, "--output", output, "--set", set });
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.Stderr.Trim().Split('\n').Length, Is.EqualTo(1), r.Stderr);
            Assert.That(r.Stderr, Does.Contain("oculus, arkit, vrm, rhubarb"));
            Assert.That(File.Exists(output), Is.False);
        }

        [Test]
        public void A_missing_input_is_one_line_and_exit_3()
        {
            var output = Path.Combine(_dir, "o.csv");
            var r = CliProcess.Run(new[] { "visemes", "--input", Path.Combine(_dir, "nope.wav"), "--output", output });
            Assert.That(r.ExitCode, Is.EqualTo(3), r.ToString());
            Assert.That(r.Stderr.Trim().Split('\n').Length, Is.EqualTo(1), r.Stderr);
            Assert.That(r.Stderr, Does.Contain("does not exist"));
            Assert.That(File.Exists(output), Is.False);
        }

        /// <summary>(start, end) ms of each `sil` in the `ms,viseme` label file; the last runs to the clip's end.</summary>
        static List<Tuple<double, double>> LabelledPauses(string labels, double durationMs)
        {
            var rows = File.ReadAllLines(labels).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToArray();
            var pauses = new List<Tuple<double, double>>();
            for (var i = 0; i < rows.Length; i++)
                if (rows[i][1] == "sil")
                    pauses.Add(Tuple.Create(double.Parse(rows[i][0], CultureInfo.InvariantCulture),
                        i + 1 < rows.Length ? double.Parse(rows[i + 1][0], CultureInfo.InvariantCulture) : durationMs));
            return pauses;
        }
    }
}
