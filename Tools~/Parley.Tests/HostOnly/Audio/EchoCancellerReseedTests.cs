using NUnit.Framework;
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
            const int rate = 24000;
            var scene = EchoPathScenes.JumpScene.Make(rate, (400, 120, 0.6, -12), 40);
            var settled = EchoScenes.Stream(new EchoCanceller(rate), scene.SettledMic, scene.Far);
            var matched = new EchoCanceller(rate);
            var strongest = new EchoCanceller(rate);
            strongest.State.ReseedMatched = 0f;
            var outMatched = EchoScenes.Stream(matched, scene.Mic, scene.Far);
            var outStrongest = EchoScenes.Stream(strongest, scene.Mic, scene.Far);
            var tMatched = EchoPathScenes.ReconvergenceToSettled(scene, outMatched, settled, rate, 3);
            var tStrongest = EchoPathScenes.ReconvergenceToSettled(scene, outStrongest, settled, rate, 3);
            var report = $"matched: {matched.State.Reseeds} re-seeds, {tMatched:0.00} s to a settled canceller's level; "
                + $"strongest tap: {strongest.State.Reseeds} re-seeds, {tStrongest:0.00} s";
            TestContext.WriteLine(report);
            Assert.That(matched.State.Reseeds, Is.GreaterThanOrEqualTo(1), report);
            Assert.That(tMatched, Is.LessThanOrEqualTo(2.0), report);
            Assert.That(strongest.State.Reseeds, Is.EqualTo(0), "the control: " + report);
            Assert.That(tStrongest, Is.GreaterThan(2.0), "the control: " + report);
        }
    }
}
