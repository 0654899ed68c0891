using System;
using NUnit.Framework;
using Parley.Audio;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Audio
{
    /// <summary>
    /// The cold start's replay (<c>EchoReplayKernel</c>): a room whose echo lies past the filter's first window is learnt,
    /// when the matcher first moves the alignment there, from the microphone already heard. Against the same scene with
    /// the replay off (no blocks kept), the control that shows what it adds. Host-only: it reads the canceller's state.
    /// </summary>
    public class EchoCancellerColdStartTests
    {
        const double NoiseDbfs = -60;

        // The barge-in sweep's 200 ms / −12 dB rooms (its cold players 1 s into a first reply: BENCHMARKS.md).
        [TestCase(24000, 0.2, 200, -12, 301)]
        [TestCase(24000, 0.6, 200, -12, 307)]
        [TestCase(24000, 0.4, 200, -12, 304)]
        public void A_room_past_the_first_window_is_learnt_from_the_microphone_already_heard(int rate, double rt60, double delayMs, double echoDb, int seed)
        {
            var far = EchoScenes.FarSpeech(rate, 4);
            var echo = EchoScenes.Echo(far, EchoScenes.RoomImpulse(rate, rt60, delayMs, seed), echoDb);
            var mic = EchoScenes.Sum(echo, EchoScenes.Noise(far.Length, NoiseDbfs, seed + 1));
            var replayed = LinearAfterFirstMove(rate, mic, far, true, out var movedAt, out var blocks);
            var control = LinearAfterFirstMove(rate, mic, far, false, out var controlMovedAt, out _);
            TestContext.Out.WriteLine($"{rt60} s / {delayMs} ms / {echoDb} dB: moved at {movedAt:0.000} s, replayed {blocks} blocks; linear ERLE over the next 250 ms {replayed:0.0} dB, without the replay {control:0.0} dB");
            Assert.That(controlMovedAt, Is.EqualTo(movedAt), "the replay comes after the move: both runs move at the same block");
            Assert.That(blocks, Is.GreaterThan(0), "blocks replayed");
            Assert.That(replayed, Is.GreaterThan(control + 2), "linear ERLE dB over the control (measured +2.1 to +6.7 dB)");
        }

        [TestCase(16000)]
        [TestCase(8000)]
        public void At_the_tuned_block_nothing_is_kept(int rate)
        {
            // 16 kHz (and 8 and 32 kHz) keep no blocks: there the replay changed how a later move went (BENCHMARKS.md).
            var aec = new EchoCanceller(rate);
            Assert.That(aec.State.ReplayBlocks, Is.EqualTo(0));
            Assert.That(new EchoCanceller(24000).State.ReplayBlocks, Is.EqualTo(75), "400 ms of 128-sample blocks at 24 kHz");
        }

        /// <summary>Linear ERLE (microphone over the foreground's error) over the 250 ms after the alignment first moved.</summary>
        static double LinearAfterFirstMove(int rate, float[] mic, float[] far, bool replay, out double movedAt, out int replayedBlocks)
        {
            var aec = new EchoCanceller(rate);
            aec.ColdStartReplay = replay;
            var block = aec.BlockSize;
            var output = new float[block];
            double m = 0, e = 0;
            long moved = -1;
            var span = rate / 4;
            for (var s = 0; s + block <= mic.Length; s += block)
            {
                aec.Process(mic.AsSpan(s, block), far.AsSpan(s, block), output);
                if (moved < 0 && aec.State.Delay > 0) moved = s;
                if (moved < 0 || s - moved >= span) continue;
                var lin = aec.LinearError;
                for (var i = 0; i < block; i++) { m += (double)mic[s + i] * mic[s + i]; e += (double)lin[i] * lin[i]; }
            }
            movedAt = moved / (double)rate;
            replayedBlocks = aec.State.ReplayedBlocks;
            Assert.That(moved, Is.GreaterThanOrEqualTo(0), "the matcher moved the alignment");
            return 10 * Math.Log10((m + 1e-12) / (e + 1e-12));
        }
    }
}
