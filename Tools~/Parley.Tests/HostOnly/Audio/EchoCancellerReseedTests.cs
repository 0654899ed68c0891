using NUnit.Framework;
using NUnit.Framework.Constraints;
using Parley.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Audio
{
    /// <summary>
    /// After a delay jump the saved room is tried where it matches the re-learning background best over the whole
    /// window (<c>EchoState.ReseedMatched</c>). Placed by the background's strongest tap instead (the re-seed until stop
    /// 28), the 24 kHz 400 → 120 ms jump in an RT60 0.6 s room is never re-seeded: half learned, the background's
    /// strongest taps sit on partition edges 3.5 blocks off the new direct path, out of that search's reach. Host-only:
    /// it sets and reads the canceller's internal state.
    /// </summary>
    public class EchoCancellerReseedTests
    {
        [Test]
        public void The_saved_room_is_placed_by_matching_not_by_the_strongest_tap()
        {
            AssertOnlyDefaultBack((400, 120, 0.6, -12), 40, aec => aec.State.ReseedMatched = 0f, "matched", "strongest tap", Is.EqualTo(0));
        }

        /// <summary>
        /// A re-seed whose candidate cancels 20 dB restarts the Kalman variances calm (<c>KalmanReseedCalmShare</c>); one
        /// that cancels less keeps the fresh spread. Each scene (seeds 40–49's jumps at 24 kHz, aec-robust) is within 3 dB
        /// of a settled canceller 2 s after the jump by default, and not with the other choice: the spread let a placed
        /// room's taps wander (1 s spans 6–8 dB under); calm, a half-placed room does not learn what it misses. Seed 46
        /// (20.7 dB) was a third case; since the window copies sooner (stop 51) it is back in 1.00 s either way.
        /// </summary>
        [TestCase(44, 120, 180, 0.3, -6, 1f)]   // its candidate cancels 23.4 dB: calm by default, the control spreads
        [TestCase(43, 120, 180, 0.3, -6, 0f)]   // 13.6 dB: spread by default, the control is calm
        public void A_reseed_restarts_calm_only_when_its_room_already_cancels_20_dB(int seed, double fromMs, double toMs, double rt60, double echoDb, float calmByDefault)
        {
            // The control takes the other branch: every re-seed spreads (share 0) or every re-seed is calm (share 1).
            AssertOnlyDefaultBack((fromMs, toMs, rt60, echoDb), seed, aec => aec.State.KalmanReseedCalmShare = calmByDefault != 0f ? 0f : 1f,
                "default", "control", Is.GreaterThanOrEqualTo(1));
        }

        /// <summary>
        /// A window a re-seed opened copies the background at the usual count, not the window's sooner one
        /// (<c>WindowCopyAfterReseed</c> 0): seed 44's re-seeded room (120 → 180 ms, RT60 0.3 s, −6 dB) is back in 0.50 s in
        /// the guard's view; copied sooner, the relearning background took over the saved room before it was refined.
        /// </summary>
        [Test]
        public void A_window_a_reseed_opened_copies_at_the_usual_count()
        {
            AssertOnlyDefaultBack((120, 180, 0.3, -6), 44, aec => aec.State.WindowCopyAfterReseed = 1, "default", "copying sooner after the re-seed");
        }

        const int Rate = 24000;

        /// <summary>
        /// The jump in the rooms of <paramref name="seed"/>: a default canceller re-seeds and is back within 2 s, the
        /// control (as <paramref name="control"/> sets it; its re-seeds as <paramref name="controlReseeds"/> says) is not.
        /// </summary>
        static void AssertOnlyDefaultBack((double, double, double, double) path, int seed, System.Action<EchoCanceller> control,
            string defaultName, string controlName, IResolveConstraint controlReseeds = null)
        {
            var controlAec = new EchoCanceller(Rate);
            control(controlAec);
            var (byDefault, tDefault, tControl, report) = AgainstSettled(EchoPathScenes.JumpScene.Make(Rate, path, seed), controlAec, defaultName, controlName);
            Assert.That(byDefault.State.Reseeds, Is.GreaterThanOrEqualTo(1), report);
            Assert.That(tDefault, Is.LessThanOrEqualTo(2.0), report);
            if (controlReseeds != null) Assert.That(controlAec.State.Reseeds, controlReseeds, "the control: " + report);
            Assert.That(tControl, Is.GreaterThan(2.0), "the control: " + report);
        }

        /// <summary>
        /// A default canceller and <paramref name="control"/> through the jump: each one's time to a settled canceller's
        /// level (every 1 s span within 3 dB of its), and a report of both with their re-seeds. All three put out the
        /// guard's suppression without the window's share of what the reference explains: the re-seed is the linear
        /// filter's, and the stronger output suppression, held 3 s, covers most of what it misses (the three controls come
        /// back in 0.50–1.00 s with it), as that share does (seeds 46 and 43: 1.00 and 0.50 s).
        /// </summary>
        static (EchoCanceller Default, double DefaultSeconds, double ControlSeconds, string Report) AgainstSettled(
            EchoPathScenes.JumpScene scene, EchoCanceller control, string defaultName, string controlName)
        {
            Linear(control);
            var settled = EchoScenes.Stream(LinearView(), scene.SettledMic, scene.Far);
            var byDefault = LinearView();
            var tDefault = EchoPathScenes.ReconvergenceToSettled(scene, EchoScenes.Stream(byDefault, scene.Mic, scene.Far), settled, Rate, 3);
            var tControl = EchoPathScenes.ReconvergenceToSettled(scene, EchoScenes.Stream(control, scene.Mic, scene.Far), settled, Rate, 3);
            var report = $"{defaultName}: {byDefault.State.Reseeds} re-seeds, {tDefault:0.00} s to a settled canceller's level; "
                + $"{controlName}: {control.State.Reseeds} re-seeds, {tControl:0.00} s";
            TestContext.WriteLine(report);
            return (byDefault, tDefault, tControl, report);
        }

        static EchoCanceller LinearView() => Linear(new EchoCanceller(Rate));

        /// <summary>
        /// The guard's suppression on the output, without the window's share of what the reference explains; the start
        /// without the cold start's replay, and a fine step earlier bringing in a partition with the initial variance
        /// (<c>FineEarlierSure</c> 0), as each jump was chosen on (with the replay seed 43's control came back in time, and
        /// with the sure partition seed 44's two controls, in 0.50 s).
        /// </summary>
        static EchoCanceller Linear(EchoCanceller aec)
        {
            aec.StrongerOutputSuppression = false;
            aec.ColdStartReplay = false;
            aec.State.FineEarlierSure = 0;
            aec.State.RefCoherentWeight = 0f;
            return aec;
        }
    }
}
