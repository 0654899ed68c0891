using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Parley.Audio.Vad;
using Parley.Onnx;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Vad
{
    /// <summary>
    /// Parley's Silero run against the reference run on the same frames: @ricky0123/vad-web 0.0.31's Silero class on
    /// onnxruntime-node 1.30.0 (Tests/Fixtures~/vad/reference/silero-reference.js), over every corpus condition.
    /// </summary>
    public class SileroReferenceTests
    {
        static Dictionary<string, float[]> s_Reference;
        static Dictionary<string, float[]> s_Ours;

        static IEnumerable<string> Conditions() => VadCorpus.Conditions.Select(c => c.Name);

        static float[] Reference(string condition)
        {
            if (s_Reference == null)
            {
                s_Reference = File.ReadAllLines(PackagePaths.Fixture("vad", "reference", "silero-reference.csv")).Skip(1).Where(l => l.Length > 0)
                    .Select(l => l.Split(','))
                    .GroupBy(c => c[0])
                    .ToDictionary(g => g.Key, g => g.OrderBy(c => int.Parse(c[1], CultureInfo.InvariantCulture)).Select(c => float.Parse(c[2], CultureInfo.InvariantCulture)).ToArray());
            }
            return s_Reference[condition];
        }

        static VadEvaluation Ours(string condition)
        {
            if (s_Ours == null) s_Ours = new Dictionary<string, float[]>();
            if (!s_Ours.TryGetValue(condition, out var p))
            {
                using (var d = SileroVoiceActivityDetector.FromFile(SileroModel.BundledPath))
                    p = VadEvaluation.Run(d, VadCorpus.Build().Mixes[condition], VadSettings.Default).Probabilities;
                s_Ours[condition] = p;
            }
            return VadEvaluation.FromProbabilities(p, 32, VadSettings.Default);
        }

        [TestCaseSource(nameof(Conditions))]
        public void Probabilities_match_the_reference_run_frame_by_frame(string condition)
        {
            var ours = Ours(condition).Probabilities;
            var reference = Reference(condition);
            Assert.That(ours.Length, Is.EqualTo(reference.Length));
            var worst = ours.Select((p, k) => Math.Abs(p - reference[k])).Max();
            TestContext.Out.WriteLine("silero " + condition + " max |p - reference| " + worst.ToString("0.0e0"));
            // Same model and frames on two ONNX Runtime builds (NuGet 1.31.1, npm 1.30.0): float rounding only; the
            // reference is written to 6 decimals (measured: ≤ 5.1e-7, the rounding).
            Assert.That(worst, Is.LessThan(1e-4), condition);
        }

        [TestCaseSource(nameof(Conditions))]
        public void Frame_F1_is_within_0_02_of_the_reference(string condition)
        {
            var labels = VadCorpus.Build().FrameLabels(512);
            var ours = Ours(condition);
            var reference = VadEvaluation.FromProbabilities(Reference(condition), 32, VadSettings.Default);
            var f1 = VadEvaluation.F1(ours.SegmentFrames(), labels);
            var f1Reference = VadEvaluation.F1(reference.SegmentFrames(), labels);
            var raw = VadEvaluation.F1(ours.Above(0.5f), labels);
            var rawReference = VadEvaluation.F1(reference.Above(0.5f), labels);
            var onset = VadEvaluation.Median(ours.OnsetDelaysMs(VadCorpus.Build().Onsets));
            TestContext.Out.WriteLine("silero " + condition + " F1 " + f1.ToString("0.000") + " (reference " + f1Reference.ToString("0.000") + "), raw F1 "
                + raw.ToString("0.000") + " (reference " + rawReference.ToString("0.000") + "), median onset " + onset.ToString("0.0") + " ms");
            Assert.That(f1, Is.EqualTo(f1Reference).Within(0.02), condition);
            Assert.That(raw, Is.EqualTo(rawReference).Within(0.02), condition);
            // Guards against agreeing on nonsense: on clean speech Silero is far better than calling every frame speech.
            if (condition == "clean") Assert.That(f1, Is.AtLeast(0.85));
        }
    }
}
