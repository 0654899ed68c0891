using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Audio.Vad;
using Parley.Onnx;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Vad
{
    /// <summary>Silero with the energy VAD's onsets, against Silero alone on the same corpus.</summary>
    public class OnsetAssistedSileroTests
    {
        static IEnumerable<string> Conditions() => VadCorpus.Conditions.Select(c => c.Name);

        [TestCaseSource(nameof(Conditions))]
        public void Keeps_silero_F1_and_meets_the_onset_target_down_to_10_dB(string condition)
        {
            var corpus = VadCorpus.Build();
            var labels = corpus.FrameLabels(512);
            VadEvaluation assisted, alone;
            using (var d = VadEngines.CreateSileroWithEnergyOnset())
                assisted = VadEvaluation.Run(d, corpus.Mixes[condition], VadSettings.Default);
            using (var d = VadEngines.Create(VadEngine.Silero))
                alone = VadEvaluation.Run(d, corpus.Mixes[condition], VadSettings.Default);
            var f1 = VadEvaluation.F1(assisted.SegmentFrames(), labels);
            var f1Alone = VadEvaluation.F1(alone.SegmentFrames(), labels);
            var onset = VadEvaluation.Median(assisted.OnsetDelaysMs(corpus.Onsets));
            TestContext.Out.WriteLine("silero+energy-onset " + condition + " F1 " + f1.ToString("0.000") + " (silero " + f1Alone.ToString("0.000") + "), median onset " + onset.ToString("0.0") + " ms");
            Assert.That(f1, Is.AtLeast(f1Alone - 0.02), condition);
            if (VadCorpus.Conditions.Single(c => c.Name == condition).SnrDb >= 10) Assert.That(onset, Is.AtMost(64.0), condition);
        }
    }
}
