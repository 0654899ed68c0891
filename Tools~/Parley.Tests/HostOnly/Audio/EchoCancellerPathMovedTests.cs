using System;
using NUnit.Framework;
using Parley.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Audio
{
    /// <summary>
    /// For 3 s after the echo path moves (a converged foreground dropped, a re-seed installed), the send suppression also
    /// removes the echo the Kalman update expects the re-learning filter still to miss (<c>EchoState.SendMissWeight</c>).
    /// Measured against a control without it on the 24 kHz jump that took longest (aec-robust seed 47, 250 → 30 ms):
    /// the output's time to a settled canceller's level, the guard's view (unchanged), and the player's voice spoken in
    /// the window (what it costs). Host-only: it sets the canceller's internal state.
    /// </summary>
    public class EchoCancellerPathMovedTests
    {
        const int Rate = 24000;
        static readonly (double, double, double, double) Path = (250, 30, 0.4, -6);

        [Test]
        public void After_the_path_moves_the_output_is_back_at_a_settled_cancellers_level_within_two_seconds()
        {
            var scene = EchoPathScenes.JumpScene.Make(Rate, Path, 47);
            var settled = EchoScenes.Stream(new EchoCanceller(Rate), scene.SettledMic, scene.Far);
            var aec = new EchoCanceller(Rate);
            var view = new float[scene.Mic.Length];
            var output = EchoScenes.Stream(aec, scene.Mic, scene.Far, view);
            var control = Control();
            var controlView = new float[scene.Mic.Length];
            var controlOutput = EchoScenes.Stream(control, scene.Mic, scene.Far, controlView);
            var t = EchoPathScenes.ReconvergenceToSettled(scene, output, settled, Rate, 3);
            var tControl = EchoPathScenes.ReconvergenceToSettled(scene, controlOutput, settled, Rate, 3);
            var report = $"with the expected miss {t:0.00} s to a settled canceller's level (every 1 s span within 3 dB), without {tControl:0.00} s; re-seeds {aec.State.Reseeds}";
            TestContext.WriteLine(report);
            Assert.That(t, Is.LessThanOrEqualTo(2.0), report);
            Assert.That(tControl, Is.GreaterThan(2.0), "the control: " + report);
            // The guard's view (its bars, its barge-ins) does not see the send suppression.
            Assert.That(Signals.FirstDifference(view, controlView), Is.EqualTo(-1), "the guard's view against the control's");
            // Only the 3 s window's output differs (plus the comfort noise's one-block overlap after it).
            var first = Signals.FirstDifference(output, controlOutput);
            Assert.That(first, Is.GreaterThanOrEqualTo(scene.Jump), "the output differs before the jump");
            var windowEnd = scene.Jump + 6 * Rate;
            Assert.That(Signals.FirstDifference(output, controlOutput, windowEnd), Is.EqualTo(-1), "the output differs 6 s after the jump");
        }

        /// <summary>
        /// The player speaks 0.5 s and 1.7 s after the jump (2.2 and 2.7 s of speech; in this double talk the re-seed that
        /// opens the window comes at 2.36 s): the output keeps their voice within 2 dB of the control's. Measured: 0.06 and
        /// 0.52 dB less (3.25 / 3.31 dB and 8.34 / 8.86 dB).
        /// </summary>
        [Test]
        public void The_player_speaking_while_the_filter_relearns_costs_under_2_dB()
        {
            var scene = EchoPathScenes.JumpScene.Make(Rate, Path, 47);
            var jump = scene.Jump / (double)Rate;
            var at = new[] { jump + 0.5, jump + 1.7 };
            var near = EchoScenes.NearClipsAt(Rate, scene.Mic.Length, at);
            var mic = EchoScenes.Sum(scene.Mic, near);
            var output = EchoScenes.Stream(new EchoCanceller(Rate), mic, scene.Far);
            var controlOutput = EchoScenes.Stream(Control(), mic, scene.Far);
            var snr = new double[at.Length];
            var snrControl = new double[at.Length];
            var report = "near end (dB), with / without the expected miss:";
            for (var i = 0; i < at.Length; i++)
            {
                var start = (int)(at[i] * Rate);
                var end = Math.Min(start + EchoScenes.NearClip(i, Rate).Length, mic.Length);
                snr[i] = EchoScenes.NearEndSnrDb(near, output, start, end, Rate * 3 / 100);
                snrControl[i] = EchoScenes.NearEndSnrDb(near, controlOutput, start, end, Rate * 3 / 100);
                report += $" +{at[i] - jump:0.0} s {snr[i]:0.00} / {snrControl[i]:0.00};";
            }
            TestContext.WriteLine(report);
            for (var i = 0; i < at.Length; i++) Assert.That(snr[i], Is.GreaterThan(snrControl[i] - 2), report);
        }

        static EchoCanceller Control()
        {
            var aec = new EchoCanceller(Rate);
            aec.State.SendMissWeight = 0f;
            return aec;
        }
    }
}
