using System;
using System.IO;
using NUnit.Framework;
using Parley.Lipsync;
using Parley.Tests.Support;

namespace Parley.Tests.Lipsync
{
    public class VisemeTrackTests
    {
        [TestCase("oculus", "ms,sil,PP,FF,TH,DD,kk,CH,SS,nn,RR,aa,E,ih,oh,ou")]
        [TestCase("vrm", "ms,aa,ih,ou,ee,oh")]
        [TestCase("rhubarb", "ms,A,B,C,D,E,F,G,H,X")]
        public void CsvHasTheSetsNamesAndARowPerHop(string set, string header)
        {
            var clip = TestWav.Speech("user-interrupt", 16000);
            var track = VisemeTrack.Analyse(clip.Samples, 16000);
            var writer = new StringWriter();
            track.WriteCsv(writer, VisemeMapping.Preset(set));
            var lines = writer.ToString().TrimEnd('\n').Split('\n');
            Assert.That(lines[0], Is.EqualTo(header));
            var durationMs = clip.Samples.Length * 1000.0 / 16000;
            // One row per 10 ms hop whose window centre lies inside the clip.
            Assert.That(lines.Length - 1, Is.EqualTo(track.Frames));
            Assert.That(track.Frames, Is.EqualTo((int)Math.Floor((durationMs - 12.5) / 10) + 1));
            var first = lines[1].Split(',');
            var second = lines[2].Split(',');
            Assert.That(first.Length, Is.EqualTo(header.Split(',').Length));
            Assert.That(double.Parse(first[0], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(12.5));
            Assert.That(double.Parse(second[0], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(22.5));
        }

        [Test]
        public void ClipShorterThanAWindowGivesNoRows()
        {
            var track = VisemeTrack.Analyse(new float[100], 16000);
            Assert.That(track.Frames, Is.EqualTo(0));
        }
    }
}
