using NUnit.Framework;
using Parley.Session.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.Session
{
    /// <summary>
    /// The first frames of a conversation. Every stage in front of the local VAD starts from zeros: the engine-rate
    /// resampler, the canceller's first outputs after its latency line and the resampler to the VAD's rate. Together they
    /// made the VAD's first 16 ms frame read about 3.5 dB under the microphone's noise, the VAD seeded its noise floor
    /// there, and the noise after it scored as speech (issue 13; BENCHMARKS.md, "Inside Unity", stop 47).
    /// </summary>
    public class DuplexFrontEndStartTests
    {
        /// <summary>
        /// RT60 0.8 s / 200 ms / 0 dB at seeds +3000 (<c>EchoGuardSweep</c>'s fresh draw), block phases 3 and 5: the
        /// echo-only room raised an onset 40 ms into the scene, long before its echo can reach the microphone (200 ms). The
        /// energy VAD now seeds its floor from the louder of its first two frames: no speech before the echo arrives, and
        /// no raise in the whole reply.
        /// </summary>
        [TestCase(3)]
        [TestCase(5)]
        public void The_start_of_a_conversation_is_not_taken_for_the_player(int phase)
        {
            const double rt60 = 0.8, delayMs = 200, echoDb = 0;
            var scene = DuplexScenes.EchoOnly((rt60, delayMs, echoDb), 3000, phase);
            using (var f = DuplexScenes.EnergyFrontEnd(24000))
            {
                var firstSpeechMs = -1.0;
                f.LocalVad.SpeechStarted += ms => { if (firstSpeechMs < 0) firstSpeechMs = ms; };
                var r = DuplexScenes.Run(f, scene);
                TestContext.WriteLine("phase " + phase + ": the VAD first heard speech at " + firstSpeechMs.ToString("0") + " ms, " + r.Raised + " raised");
                Assert.That(r.Raised, Is.EqualTo(0), "self-interruptions");
                Assert.That(firstSpeechMs < 0 || firstSpeechMs >= phase * 10 + delayMs - 16, Is.True, "the VAD's first speech, ms: " + firstSpeechMs);
            }
        }
    }
}
