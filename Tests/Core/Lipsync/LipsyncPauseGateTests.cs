using System;
using NUnit.Framework;
using Parley.Lipsync;
using Parley.Tests.Support;

namespace Parley.Tests.Lipsync
{
    /// <summary>
    /// The kernel's pause gate: breath-like noise in a pause (recorded speech has it, synthetic speech does not)
    /// rests the mouth, and the next words open it again.
    /// </summary>
    public class LipsyncPauseGateTests
    {
        const int Rate = 16000;

        [Test]
        public void BreathNoiseInAPauseRestsTheMouthAndSpeechReopensIt()
        {
            var speech = TestWav.Speech("user-interrupt", Rate).Samples;
            // Loud speech (loudest 25 ms at −3 dBFS), so a pause 47 dB below it is above the fixed −55 dBFS gate.
            var gain = (float)Math.Pow(10, (-3 - LoudestFrameDb(speech)) / 20);
            for (var i = 0; i < speech.Length; i++) speech[i] *= gain;
            var pause = Rate * 8 / 10;
            var clip = new float[speech.Length * 2 + pause];
            speech.CopyTo(clip, 0);
            speech.CopyTo(clip, speech.Length + pause);
            // Low-passed noise 47 dB below the loudest 25 ms of the speech: a breath or room noise between phrases.
            var noiseDb = LoudestFrameDb(speech) - 47;
            var rnd = new Random(14);
            var lp = new float[pause];
            double y = 0, power = 0;
            for (var i = 0; i < pause; i++)
            {
                y = 0.9 * y + 0.1 * (rnd.NextDouble() * 2 - 1);
                lp[i] = (float)y;
                power += y * y;
            }
            var scale = (float)(Math.Pow(10, noiseDb / 20) / Math.Sqrt(power / pause));
            for (var i = 0; i < pause; i++) clip[speech.Length + i] = lp[i] * scale;
            Assert.That(noiseDb, Is.GreaterThan(-55), "the noise is louder than the fixed level gate");

            var track = VisemeTrack.Analyse(clip, Rate);
            var startMs = speech.Length * 1000.0 / Rate;
            var endMs = startMs + pause * 1000.0 / Rate;
            int inPause = 0, rest = 0, openAfter = 0;
            for (var f = 0; f < track.Frames; f++)
            {
                var t = track.TimesMs[f];
                var closed = track.Weight(f, (int)Viseme.Sil) + track.Weight(f, (int)Viseme.PP);
                // From 200 ms in (the 120 ms run, the 30 ms lookahead and the release) to the pause's end.
                if (t >= startMs + 200 && t < endMs - 20)
                {
                    inPause++;
                    if (track.Weight(f, (int)Viseme.Sil) >= 0.9f) rest++;
                }
                if (t >= endMs && closed < 0.5f) openAfter++;
            }
            TestContext.WriteLine("noise " + noiseDb.ToString("0.0") + " dBFS; pause frames at rest " + rest + "/" + inPause + ", open frames after " + openAfter);
            Assert.That(inPause, Is.GreaterThan(50));
            Assert.That(rest, Is.EqualTo(inPause), "every frame of the noisy pause at rest");
            Assert.That(openAfter, Is.GreaterThan(20), "the next words open the mouth again");
        }

        static double LoudestFrameDb(float[] x)
        {
            var window = Rate / 40;
            var best = double.NegativeInfinity;
            for (var start = 0; start + window <= x.Length; start += Rate / 100)
            {
                double e = 0;
                for (var i = 0; i < window; i++) e += x[start + i] * x[start + i];
                best = Math.Max(best, 10 * Math.Log10(e / window + 1e-10));
            }
            return best;
        }
    }
}
