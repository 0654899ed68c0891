using NUnit.Framework;
using Parley.Audio;
using Parley.Audio.Kernels;
using Parley.Session.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Audio
{
    /// <summary>
    /// The echo guard at 16 kHz (Gemini Live, Riva and MiniCPM-o take 16 kHz): it judges the guard's view, the plainer
    /// suppression its bars are learnt on at 24 kHz, while the provider hears the stronger one. Echo-only replies of the
    /// barge-in sweep (8 s, no player) that interrupted the agent while the guard judged the output, against that control
    /// (the canceller's suppression set as it was before stop 67: one set of gains, 8 times, with the gauge's residual and
    /// the expected miss); and the output, which is still that suppression. Host-only: the control sets the canceller's
    /// state.
    /// </summary>
    public class EchoGuardSixteenKilohertzTests
    {
        const int Rate = 16000;

        // Seeds and phases as EchoGuardSweep.EchoOnly draws them (seed 100 + the room's index + the seed offset).
        [TestCase(0.8, 100, -12, 153, 3)]
        [TestCase(0.8, 20, -6, 1150, 3)]
        [TestCase(0.8, 300, -20, 1160, 1)]
        [TestCase(0.6, 300, 0, 1147, 2)]
        public void The_agents_own_reply_raises_no_barge_in_where_judging_the_output_did(double rt60, double delayMs, double echoDb, int seed, int phase)
        {
            var scene = DuplexScenes.Late(DuplexScenes.Make(8, rt60, delayMs, echoDb, seed), phase, seed);
            int raised, control;
            using (var f = DuplexScenes.EnergyFrontEnd(Rate)) raised = DuplexScenes.Run(f, scene).Raised;
            using (var f = DuplexScenes.EnergyFrontEnd(Rate))
            {
                JudgeTheOutput(f);
                control = DuplexScenes.Run(f, scene).Raised;
            }
            var report = $"{rt60} s / {delayMs} ms / {echoDb} dB, seed {seed}, phase {phase}: barge-ins raised {raised}, judging the output {control}";
            TestContext.Out.WriteLine(report);
            Assert.That(control, Is.GreaterThan(0), "the control interrupts the agent: " + report);
            Assert.That(raised, Is.EqualTo(0), report);
        }

        // What the provider hears is the one suppression of before, sample for sample: a reply with the player twice, whose
        // canceller judges the path moved 9.6 s in (the expected miss's window), and the same through a second room.
        [TestCase(0.6, 200, -12, 31)]
        [TestCase(0.8, 300, -20, 41)]
        public void The_output_is_the_one_suppression_of_before_sample_for_sample(double rt60, double delayMs, double echoDb, int seed)
        {
            var far = EchoScenes.FarSpeech(Rate, 10);
            var echo = EchoScenes.Echo(far, EchoScenes.RoomImpulse(Rate, rt60, delayMs, seed), echoDb);
            var mic = EchoScenes.Sum(echo, EchoScenes.Noise(far.Length, -60, seed + 1), EchoScenes.NearClipsAt(Rate, far.Length, new[] { 4.0, 6.6 }));
            var view = new float[mic.Length];
            var output = EchoScenes.Stream(new EchoCanceller(Rate), mic, far, view);
            var before = new EchoCanceller(Rate);
            OneSuppression(ref before.State);
            var control = EchoScenes.Stream(before, mic, far);
            Assert.That(Signals.FirstDifference(output, control), Is.EqualTo(-1), "the output against the one suppression of before");
            Assert.That(Signals.FirstDifference(view, control), Is.Not.EqualTo(-1), "the guard's view is another suppression");
        }

        /// <summary>One suppression, as at 16 kHz before stop 67: the guard and the VAD judge what the provider hears.</summary>
        static void JudgeTheOutput(DuplexFrontEnd f) => OneSuppression(ref f.EchoCanceller.State);

        static void OneSuppression(ref EchoState s)
        {
            s.OverSubtraction = 8f;
            s.GaugeLeakWeight = 3f;
            s.MissWeight = 4f;
            s.SendOverSubtraction = 0f;
            s.SendGaugeLeakWeight = 0f;
            s.SendMissWeight = 0f;
        }
    }
}
