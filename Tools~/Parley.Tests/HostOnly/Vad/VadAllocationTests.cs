using System;
using NUnit.Framework;
using Parley.Audio.Vad;
using Parley.Onnx;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Vad
{
    /// <summary>Steady-state scoring allocates nothing, for both engines and through the streaming front.</summary>
    public class VadAllocationTests
    {
        static IVoiceActivityDetector Create(string engine) =>
            engine == "silero" ? SileroVoiceActivityDetector.FromFile(SileroModel.BundledPath)
            : engine == "silero+energy" ? VadEngines.CreateSileroWithEnergyOnset()
            : engine == "energy-8ms" ? new EnergyVoiceActivityDetector(16000, 8.0)
            : (IVoiceActivityDetector)new EnergyVoiceActivityDetector(16000);

        [TestCase("energy")]
        [TestCase("energy-8ms")]
        [TestCase("silero+energy")]
        [TestCase("silero")]
        public void Scoring_frames_allocates_zero_bytes(string engine)
        {
            var mix = VadCorpus.Build().Mixes["white-10"];
            using (var d = Create(engine))
            {
                long allocated = 0;
                var sum = 0f;
                // The first pass JIT-compiles everything (and lets ONNX Runtime size its arena); the least of the three
                // measured passes counts (a tier-up can allocate once on a loaded machine; a per-frame allocation shows in all).
                for (var pass = 0; pass < 4; pass++)
                {
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    for (var k = 0; k < 200; k++) sum += d.Process(new ReadOnlySpan<float>(mix, 16000 + k * d.FrameSamples, d.FrameSamples));
                    d.Reset();
                    var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
                    allocated = pass == 1 ? bytes : Math.Min(allocated, bytes);
                }
                Assert.That(sum, Is.GreaterThan(1f), "scored speech somewhere");
                Assert.That(allocated, Is.EqualTo(0));
            }
        }

        [TestCase("energy")]
        [TestCase("silero+energy")]
        [TestCase("silero")]
        public void Streaming_with_events_allocates_zero_bytes(string engine)
        {
            var mix = VadCorpus.Build().Mixes["pink-10"];
            var events = 0;
            using (var stream = new VoiceActivity(Create(engine), VadSettings.Default))
            {
                stream.SpeechStarted += _ => events++;
                stream.SpeechEnded += _ => events++;
                long allocated = 0;
                for (var pass = 0; pass < 4; pass++)
                {
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    for (var at = 0; at + 480 <= mix.Length; at += 480) stream.Push(new ReadOnlySpan<float>(mix, at, 480));
                    stream.Flush();
                    stream.Reset();
                    var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
                    allocated = pass == 1 ? bytes : Math.Min(allocated, bytes);
                }
                Assert.That(events, Is.GreaterThanOrEqualTo(2 * 2 * 8), "both passes saw the eight utterances start and end");
                Assert.That(allocated, Is.EqualTo(0));
            }
        }
    }
}
