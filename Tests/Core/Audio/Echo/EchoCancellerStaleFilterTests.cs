using System;
using NUnit.Framework;
using Parley.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.Core.Audio.Echo
{
    /// <summary>
    /// A converged filter whose echo goes away at once (headphones plugged in, the speaker muted, a microphone that
    /// delivers digital silence): until the canceller drops its foreground, the echo estimate is subtracted from a
    /// microphone that no longer carries it. The canceller must not put out what it subtracts: no 10 ms frame of the
    /// output louder than the microphone it came from, or than the noise floor it had before (comfort noise fills a
    /// microphone gone silent at that floor, 1.5 × its power). The stale estimate would be the agent's own voice, which
    /// the echo guard and the provider would hear: before the canceller put out the microphone for such blocks, frames
    /// 130 ms after the cut (the path's delay and a block) were 26 dB (16 kHz) and 33 dB (24 kHz) over the microphone.
    /// </summary>
    public class EchoCancellerStaleFilterTests
    {
        [TestCase(16000, -6.0, -60.0)]
        [TestCase(24000, -6.0, -60.0)]
        [TestCase(24000, -12.0, -200.0)]   // the microphone falls to digital silence with the echo
        public void The_output_is_never_louder_than_the_microphone_when_the_echo_goes_away(int rate, double echoDb, double noiseAfterDbfs)
        {
            var far = EchoScenes.FarSpeech(rate, 8);
            var echo = EchoScenes.Echo(far, EchoScenes.RoomImpulse(rate, 0.4, 100, 41), echoDb);
            var noise = EchoScenes.Noise(far.Length, -60, 42);
            var cut = 5 * rate;
            var mic = new float[far.Length];
            var after = noiseAfterDbfs <= -150 ? 0f : (float)Math.Pow(10, (noiseAfterDbfs + 60) / 20);
            for (var i = 0; i < mic.Length; i++) mic[i] = i < cut ? echo[i] + noise[i] : noise[i] * after;
            var aec = new EchoCanceller(rate);
            var output = EchoScenes.Stream(aec, mic, far);

            var frame = rate / 100;
            var floor = Math.Pow(10, -60 / 10.0) * frame;
            double worst = double.NegativeInfinity, worstAt = 0, before = EchoScenes.ErleDb(mic, output, echo, noise, rate, 3 * rate, cut);
            // From the second frame: the block the cut falls in still carries the echo (the canceller decides per 5.3–8 ms
            // block), so what it puts out after the cut is measured against a microphone that no longer has it.
            double first = 0;
            for (var at = cut; at + frame <= mic.Length; at += frame)
            {
                double o = 0, m = 0;
                for (var i = at; i < at + frame; i++)
                {
                    o += (double)output[i] * output[i];
                    m += (double)mic[i] * mic[i];
                }
                var louder = 10 * Math.Log10((o + 1e-20) / Math.Max(m, floor));
                if (at == cut) { first = louder; continue; }
                if (louder > worst) { worst = louder; worstAt = (at - cut) * 1000.0 / rate; }
            }
            var report = $"ERLE before the cut {before:0.0} dB; after it the loudest frame against the microphone (or −60 dBFS) {worst:0.0} dB, {worstAt:0} ms after the cut (the frame of the cut {first:0.0} dB)";
            TestContext.WriteLine(report);
            Assert.That(before, Is.GreaterThan(20), report);
            Assert.That(worst, Is.LessThan(2.5), report);
        }
    }
}
