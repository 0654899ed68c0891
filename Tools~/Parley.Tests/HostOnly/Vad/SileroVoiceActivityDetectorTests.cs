using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;
using NUnit.Framework;
using Parley.Audio;
using Parley.Audio.Vad;
using Parley.Onnx;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Vad
{
    public class SileroVoiceActivityDetectorTests
    {
        static byte[] Model => File.ReadAllBytes(SileroModel.BundledPath);

        [Test]
        public void The_shipped_model_is_the_recorded_file()
        {
            using (var sha = SHA256.Create())
            {
                var hash = BitConverter.ToString(sha.ComputeHash(File.ReadAllBytes(Path.Combine(PackagePaths.Root, "Runtime", "Onnx", "Models", SileroModel.FileName)))).Replace("-", "").ToLowerInvariant();
                Assert.That(hash, Is.EqualTo("2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f"));
                StringAssert.Contains(hash, File.ReadAllText(Path.Combine(PackagePaths.Root, "Runtime", "Onnx", "Models", "README.md")));
            }
        }

        [Test]
        public void Frames_and_context_follow_the_rate()
        {
            using (var d16 = new SileroVoiceActivityDetector(Model, 16000))
            using (var d8 = new SileroVoiceActivityDetector(Model, 8000))
            {
                Assert.That((d16.FrameSamples, d16.ContextSamples), Is.EqualTo((512, 64)));
                Assert.That((d8.FrameSamples, d8.ContextSamples), Is.EqualTo((256, 32)));
            }
        }

        [Test]
        public void At_8_kHz_it_finds_the_same_speech()
        {
            var corpus = VadCorpus.Build();
            var clean = corpus.Mixes["clean"];
            var at8 = new Resampler(16000, 8000).ConvertClip(clean);
            using (var d = new SileroVoiceActivityDetector(Model, 8000))
            {
                var e = VadEvaluation.Run(d, at8, VadSettings.Default);
                var labels = corpus.FrameLabels(512);
                // 256 samples at 8 kHz are the same 32 ms as 512 at 16 kHz, so the 16 kHz labels apply frame for frame.
                var f1 = VadEvaluation.F1(e.SegmentFrames(), labels);
                TestContext.Out.WriteLine("silero 8 kHz clean F1 " + f1.ToString("0.000"));
                Assert.That(f1, Is.AtLeast(0.85));
            }
        }

        [Test]
        public void Reset_replays_a_stream_exactly()
        {
            var mix = VadCorpus.Build().Mixes["pink-10"];
            using (var d = new SileroVoiceActivityDetector(Model))
            {
                var first = VadEvaluation.Run(d, mix, VadSettings.Default).Probabilities;
                var second = VadEvaluation.Run(d, mix, VadSettings.Default).Probabilities; // Run resets first
                Assert.That(second, Is.EqualTo(first));
            }
        }

        [Test]
        public void Non_finite_samples_do_not_poison_the_state()
        {
            var mix = VadCorpus.Build().Mixes["clean"];
            using (var d = new SileroVoiceActivityDetector(Model))
            {
                var bad = new float[512];
                bad[10] = float.NaN;
                bad[11] = float.PositiveInfinity;
                Assert.That(float.IsNaN(d.Process(bad)), Is.False);
                var later = Enumerable.Range(0, 200).Select(k => d.Process(new ReadOnlySpan<float>(mix, k * 512, 512))).ToArray();
                Assert.That(later.All(p => p >= 0f && p <= 1f), Is.True);
                Assert.That(later.Max(), Is.GreaterThan(0.9f), "still hears speech afterwards");
            }
        }

        [Test]
        public void Bad_input_gets_typed_errors()
        {
            Assert.Throws<ArgumentException>(() => new SileroVoiceActivityDetector(null));
            Assert.Throws<ArgumentOutOfRangeException>(() => new SileroVoiceActivityDetector(Model, 48000));
            Assert.Throws<OnnxRuntimeException>(() => new SileroVoiceActivityDetector(new byte[] { 1, 2, 3, 4 }));
            var d = new SileroVoiceActivityDetector(Model);
            Assert.Throws<ArgumentException>(() => d.Process(new float[480]));
            d.Dispose();
            d.Dispose();
            Assert.Throws<ObjectDisposedException>(() => d.Process(new float[512]));
        }

        [Test]
        public void Offline_silero_segments_of_the_conversation_match_its_labelled_turns()
        {
            var clip = TestWav.Read(PackagePaths.Fixture("audio", "conversation", "user-turns-48k.wav"));
            var segments = VadEngines.Detect(clip.Samples, clip.SampleRate, VadEngine.Silero);
            var turns = VadCorpus.ConversationTurns();
            Assert.That(segments.Count, Is.EqualTo(turns.Count), string.Join("; ", segments));
            for (var i = 0; i < turns.Count; i++)
            {
                // Silero reacts two to three 32 ms frames after an onset (BENCHMARKS.md), later still on the weak
                // fricative of "Thank you" (turn 1): four frames.
                Assert.That(segments[i].StartMs, Is.EqualTo(turns[i].Start).Within(128), "turn " + i);
                Assert.That(segments[i].EndMs, Is.EqualTo(turns[i].End).Within(160), "turn " + i);
            }
        }
    }
}
