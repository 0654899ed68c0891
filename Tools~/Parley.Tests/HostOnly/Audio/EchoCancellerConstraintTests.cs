using NUnit.Framework;
using Parley.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Audio
{
    /// <summary>
    /// The Kalman update's CPU is its gradient constraint (2 FFTs a partition). Bounded by the steps each partition took
    /// since its last constraint (<c>EchoState.KalmanWrapDb</c>), a settled filter needs few; constraining every stepped
    /// partition every block (<c>KalmanWrapDb</c> 0, the update as it was until stop 27) is the reference for what it
    /// cancels. Host-only: it reads the canceller's internal state (its counter of constraints).
    /// </summary>
    public class EchoCancellerConstraintTests
    {
        [TestCase(16000)]
        [TestCase(24000)]
        public void A_settled_Kalman_filter_constrains_few_partitions_and_cancels_as_when_it_constrains_all(int rate)
        {
            var far = EchoScenes.FarSpeech(rate, 12);
            var echo = EchoScenes.Echo(far, EchoScenes.RoomImpulse(rate, 0.4, 100, 31), -6);
            var noise = EchoScenes.Noise(far.Length, -60, 32);
            var mic = EchoScenes.Sum(echo, noise);
            var bounded = new EchoCanceller(rate);
            var every = new EchoCanceller(rate);
            every.State.KalmanWrapDb = 0f;
            var outBounded = EchoScenes.Stream(bounded, mic, far);
            var outEvery = EchoScenes.Stream(every, mic, far);
            var parts = bounded.State.Partitions;
            var perBlock = (double)bounded.State.KalmanConstraints / bounded.State.Blocks;
            var perBlockEvery = (double)every.State.KalmanConstraints / every.State.Blocks;
            var erle = EchoScenes.ErleDb(mic, outBounded, echo, noise, rate, 3 * rate);
            var erleEvery = EchoScenes.ErleDb(mic, outEvery, echo, noise, rate, 3 * rate);
            var report = $"{perBlock:0.0} of {parts} partitions a block ({perBlockEvery:0.0} constraining every stepped one); ERLE {erle:0.0} dB ({erleEvery:0.0})";
            TestContext.WriteLine(report);
            // Blocks without far-end speech adapt nothing, so the reference's mean sits under the partition count.
            Assert.That(perBlockEvery, Is.GreaterThan(0.7 * parts), "the reference constrains nearly every partition: " + report);
            Assert.That(perBlock, Is.LessThan(0.5 * perBlockEvery), "constraints: " + report);
            Assert.That(erle, Is.GreaterThan(erleEvery - 1.0), "ERLE: " + report);
        }
    }
}
