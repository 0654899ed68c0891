using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Audio.Vad;
using Parley.Tests.Support;

namespace Parley.Tests.Audio
{
    /// <summary>The engine-free VAD on the labelled corpus (VadCorpus) and on level steps.</summary>
    public class EnergyVoiceActivityDetectorTests
    {
        static IEnumerable<string> AllConditions() => VadCorpus.Conditions.Select(c => c.Name);

        // Onset delay target (median ≤ 64 ms) holds down to 5 dB SNR (measured 47-59 ms at 5 dB). At 0 dB it does not with
        // 16 ms frames: 72 ms, because the first phonemes are weak consonants (h, θ, ð: 10-20 dB under the speech's level)
        // that drown, and the first vowel comes 49-91 ms after the labelled onset in five of the eight utterances, so the
        // first whole 16 ms frame of vowel ends 72-73 ms after it (BENCHMARKS.md). With 8 ms hops it does (tested below).
        static IEnumerable<string> OnsetConditions() => VadCorpus.Conditions.Where(c => c.SnrDb >= 5).Select(c => c.Name);
        static IEnumerable<string> ZeroDbConditions() => VadCorpus.Conditions.Where(c => c.SnrDb == 0).Select(c => c.Name);
        static IEnumerable<string> BabbleConditions() => VadCorpus.Conditions.Where(c => c.Noise == "babble").Select(c => c.Name);
        static IEnumerable<string> SteadyNoiseConditions() => VadCorpus.Conditions.Where(c => c.Noise != "babble").Select(c => c.Name);

        static VadEvaluation Run(string condition, out bool[] labels, float? subBandGateDb = null, double hopMs = 16.0)
        {
            var corpus = VadCorpus.Build();
            using (var d = new EnergyVoiceActivityDetector(VadCorpus.Rate, hopMs))
            {
                if (subBandGateDb.HasValue) d.SubBandGateDb = subBandGateDb.Value;
                labels = corpus.FrameLabels(d.FrameSamples);
                return VadEvaluation.Run(d, corpus.Mixes[condition], VadSettings.Default);
            }
        }

        [TestCaseSource(nameof(AllConditions))]
        public void Frame_F1_is_at_least_0_70_and_beats_always_speech(string condition)
        {
            var e = Run(condition, out var labels);
            var f1 = VadEvaluation.F1(e.SegmentFrames(), labels);
            var alwaysSpeech = VadEvaluation.F1(labels.Select(_ => true).ToArray(), labels);
            TestContext.Out.WriteLine("energy " + condition + " F1 " + f1.ToString("0.000") + " (always speech " + alwaysSpeech.ToString("0.000") + "), median onset "
                + VadEvaluation.Median(e.OnsetDelaysMs(VadCorpus.Build().Onsets)).ToString("0.0") + " ms");
            Assert.That(f1, Is.AtLeast(0.70), condition);
            Assert.That(f1, Is.GreaterThan(alwaysSpeech + 0.1), condition + ": no better than calling every frame speech");
        }

        [TestCaseSource(nameof(OnsetConditions))]
        public void Median_onset_delay_is_at_most_64_ms(string condition)
        {
            var e = Run(condition, out _);
            var delays = e.OnsetDelaysMs(VadCorpus.Build().Onsets);
            Assert.That(VadEvaluation.Median(delays), Is.AtMost(64.0), condition + ": " + string.Join(", ", delays));
        }

        [TestCaseSource(nameof(ZeroDbConditions))]
        public void Median_onset_delay_at_0_dB_is_as_measured(string condition)
        {
            // Not the 64 ms target with 16 ms frames (see above): this holds the measured 72.3 ms (white and pink) so it cannot creep up.
            var e = Run(condition, out _);
            var delays = e.OnsetDelaysMs(VadCorpus.Build().Onsets);
            TestContext.Out.WriteLine("energy " + condition + " onsets " + string.Join(" ", delays.Select(d => d.ToString("0"))) + " ms");
            Assert.That(VadEvaluation.Median(delays), Is.AtMost(73.0), condition + ": " + string.Join(", ", delays));
        }

        [TestCaseSource(nameof(ZeroDbConditions))]
        public void Sub_bands_score_better_at_0_dB_than_the_full_band_alone(string condition)
        {
            // 16 ms frames, sub-bands off (the default): F1 0.850 white, 0.894 pink; on (gate 3 dB): 0.922, 0.926.
            var corpus = VadCorpus.Build();
            var on = Run(condition, out var labels, subBandGateDb: 3f);
            var off = Run(condition, out _);
            var f1On = VadEvaluation.F1(on.SegmentFrames(), labels);
            var f1Off = VadEvaluation.F1(off.SegmentFrames(), labels);
            TestContext.Out.WriteLine("energy " + condition + " F1 " + f1On.ToString("0.000") + " with sub-bands, " + f1Off.ToString("0.000") + " without");
            Assert.That(f1On, Is.GreaterThan(f1Off + 0.02), condition);
            var onsetOn = on.OnsetDelaysMs(corpus.Onsets);
            var onsetOff = off.OnsetDelaysMs(corpus.Onsets);
            for (var k = 0; k < onsetOn.Count; k++) Assert.That(onsetOn[k], Is.AtMost(onsetOff[k]), condition + " utterance " + k);
        }

        [TestCaseSource(nameof(BabbleConditions))]
        public void Sub_bands_never_vote_in_babble(string condition)
        {
            // Babble keeps the full band's threshold at 4 dB, above the 3 dB gate: the decisions are the full band's alone.
            var on = Run(condition, out _, subBandGateDb: 3f);
            var off = Run(condition, out _);
            Assert.That(on.Probabilities, Is.EqualTo(off.Probabilities), condition);
        }

        [TestCaseSource(nameof(AllConditions))]
        public void With_8_ms_hops_the_median_onset_is_at_most_64_ms_everywhere_and_F1_holds(string condition)
        {
            // 16 ms windows decided every 8 ms in steady noise, with sub-bands: 0 dB white's middle utterances start on a window
            // half in the first vowel (measured 55.3 ms). F1 on the 16 ms grid against 16 ms frames' (babble: the same windows).
            var corpus = VadCorpus.Build();
            var labels = corpus.FrameLabels(256);
            var hop = Run(condition, out _, hopMs: 8.0);
            var whole = Run(condition, out _);
            var f1Hop = VadEvaluation.F1(hop.SegmentFrames(16.0, labels.Length), labels);
            var f1Whole = VadEvaluation.F1(whole.SegmentFrames(), labels);
            var delays = hop.OnsetDelaysMs(corpus.Onsets);
            TestContext.Out.WriteLine("energy 8 ms hops " + condition + " F1 " + f1Hop.ToString("0.000") + " (16 ms frames " + f1Whole.ToString("0.000") + "), median onset "
                + VadEvaluation.Median(delays).ToString("0.0") + " ms (" + string.Join(" ", delays.Select(d => d.ToString("0"))) + ")");
            Assert.That(hop.FrameMs, Is.EqualTo(8.0));
            Assert.That(VadEvaluation.Median(delays), Is.AtMost(64.0), condition);
            Assert.That(f1Hop, Is.AtLeast(f1Whole - 0.02), condition);
        }

        [TestCaseSource(nameof(SteadyNoiseConditions))]
        public void With_8_ms_hops_no_segment_starts_away_from_speech(string condition)
        {
            var corpus = VadCorpus.Build();
            var e = Run(condition, out _, hopMs: 8.0);
            var stray = e.Segments.Where(s => !corpus.Speech.Any(iv => iv.End > s.StartMs - 50 && iv.Start < s.EndMs + 50)).ToList();
            Assert.That(stray, Is.Empty, condition);
        }

        [TestCaseSource(nameof(SteadyNoiseConditions))]
        public void The_lower_threshold_in_steady_noise_starts_no_segment_away_from_speech(string condition)
        {
            // The threshold falls to 2 dB in white and pink noise: no segment may start in a gap (50 ms from any labelled phoneme).
            var corpus = VadCorpus.Build();
            var e = Run(condition, out _);
            var stray = e.Segments.Where(s => !corpus.Speech.Any(iv => iv.End > s.StartMs - 50 && iv.Start < s.EndMs + 50)).ToList();
            Assert.That(stray, Is.Empty, condition);
        }

        [TestCase("white")]
        [TestCase("pink")]
        public void A_minute_of_steady_noise_starts_at_most_two_segments(string kind)
        {
            // One-frame blips are false barge-ins. Measured over seeds 3-6 (BENCHMARKS.md): 16 ms frames 0 (white) and
            // 0-2 (pink) a minute; 8 ms hops with sub-bands 3-10, which is why they are not the default.
            var noise = kind == "white" ? VadCorpus.White(16000 * 60, 3) : VadCorpus.Pink(16000 * 60, 3);
            var x = Array.ConvertAll(noise, v => (float)(v * 0.001));
            using (var d = new EnergyVoiceActivityDetector(16000))
            using (var hops = new EnergyVoiceActivityDetector(16000, 8.0))
            {
                var e = VadEvaluation.Run(d, x, VadSettings.Default);
                TestContext.Out.WriteLine("energy " + kind + " noise, 60 s: " + e.Segments.Count + " segments (8 ms hops: " + VadEvaluation.Run(hops, x, VadSettings.Default).Segments.Count + ")");
                Assert.That(e.Segments.Count, Is.AtMost(2), kind);
            }
        }

        [TestCase(-50.0, -30.0)]
        [TestCase(-30.0, -50.0)]
        public void Noise_floor_follows_a_level_step_and_does_not_call_it_speech(double fromDbfs, double toDbfs)
        {
            const int rate = 16000;
            var noise = VadCorpus.White(rate * 10, 7);
            var x = new float[noise.Length];
            for (var i = 0; i < x.Length; i++) x[i] = (float)(noise[i] * Math.Pow(10, (i < rate * 4 ? fromDbfs : toDbfs) / 20));
            using (var d = new EnergyVoiceActivityDetector(rate))
            {
                var e = VadEvaluation.Run(d, x, VadSettings.Default);
                // White noise keeps about 3800/8000 of its power in the 200-4000 Hz band: −3.2 dB.
                Assert.That(d.NoiseFloorDb, Is.EqualTo(toDbfs - 3.2).Within(1.5));
                var lastSeconds = e.Probabilities.Skip(e.Probabilities.Length - 2 * 1000 / 16).ToArray();
                Assert.That(lastSeconds.Max(), Is.LessThan(0.5f), "steady noise read as speech");
                // However the step lands, it is over (no speech state) within 3 s.
                Assert.That(e.Speaking.Skip((int)(7000 / e.FrameMs)).Any(s => s), Is.False);
            }
        }

        /// <summary>
        /// Whatever feeds the VAD starts from zeros (a resampler's filter, a canceller's latency line), so a stream's first
        /// frame can read dBs under the noise that follows. A floor seeded from that frame alone took the noise for speech
        /// (issue 13: raised 40 ms into a conversation, BENCHMARKS.md "Inside Unity", stop 47); the louder of the first two
        /// frames seeds it.
        /// </summary>
        [TestCase(16000, 12.0)]
        [TestCase(16000, 10.0)]
        [TestCase(24000, 10.0)]
        public void A_first_frame_under_the_noise_does_not_make_the_noise_speech(int rate, double silentMs)
        {
            var noise = VadCorpus.White(rate * 2, 11);
            var x = Array.ConvertAll(noise, v => (float)(v * 0.003));   // about −50 dBFS
            Array.Clear(x, 0, (int)(rate * silentMs / 1000));
            using (var d = new EnergyVoiceActivityDetector(rate))
            {
                var frame = new float[d.FrameSamples];
                var levels = new List<float>();
                var speech = 0;
                for (var at = 0; at + frame.Length <= x.Length; at += frame.Length)
                {
                    Array.Copy(x, at, frame, 0, frame.Length);
                    if (d.Process(frame) >= 0.5f) speech++;
                    levels.Add(d.LevelDb);
                }
                // The case is the one meant: the first frame is well under the noise after it.
                Assert.That(levels[1] - levels[0], Is.GreaterThan(2.5f), "first frame under the second, dB");
                Assert.That(speech, Is.EqualTo(0), "noise frames read as speech");
                Assert.That(d.NoiseFloorDb, Is.EqualTo(levels.Skip(1).Average()).Within(1.0), "floor at the noise, dBFS");
            }
        }

        [Test]
        public void Digital_silence_is_never_speech_and_bad_samples_do_not_break_it()
        {
            using (var d = new EnergyVoiceActivityDetector(16000))
            {
                var frame = new float[d.FrameSamples];
                for (var k = 0; k < 10; k++) Assert.That(d.Process(frame), Is.EqualTo(0f));
                frame[3] = float.NaN;
                frame[4] = float.PositiveInfinity;
                var p = d.Process(frame);
                Assert.That(float.IsNaN(p), Is.False);
                Assert.That(p, Is.InRange(0f, 1f));
                Assert.That(float.IsNaN(d.NoiseFloorDb), Is.False);
            }
        }

        [TestCase(8000, 128)]
        [TestCase(16000, 256)]
        [TestCase(24000, 384)]
        [TestCase(44100, 706)]
        [TestCase(48000, 768)]
        public void Frames_are_16_ms_at_any_rate(int rate, int samples)
        {
            using (var d = new EnergyVoiceActivityDetector(rate))
            {
                Assert.That(d.FrameSamples, Is.EqualTo(samples));
                Assert.That(d.SampleRate, Is.EqualTo(rate));
            }
        }

        [TestCase(8000, 64)]
        [TestCase(16000, 128)]
        [TestCase(48000, 384)]
        public void Hops_are_8_ms_at_any_rate(int rate, int samples)
        {
            using (var d = new EnergyVoiceActivityDetector(rate, 8.0))
            {
                Assert.That(d.FrameSamples, Is.EqualTo(samples));
                Assert.That(d.HopMs, Is.EqualTo(8.0));
            }
        }

        [Test]
        public void Bad_arguments_get_typed_errors()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new EnergyVoiceActivityDetector(4000));
            Assert.Throws<ArgumentOutOfRangeException>(() => new EnergyVoiceActivityDetector(96000));
            using (var d = new EnergyVoiceActivityDetector(16000))
            {
                Assert.Throws<ArgumentException>(() => d.Process(new float[100]));
                Assert.Throws<ArgumentOutOfRangeException>(() => d.ThresholdDb = 0f);
                Assert.Throws<ArgumentOutOfRangeException>(() => d.SubBandGateDb = -1f);
                Assert.Throws<ArgumentOutOfRangeException>(() => new EnergyVoiceActivityDetector(16000, 10.0));
            }
        }
    }
}
