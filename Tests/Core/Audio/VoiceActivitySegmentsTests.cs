using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Parley.Audio.Vad;
using Parley.Tests.Support;

namespace Parley.Tests.Audio
{
    /// <summary>Offline segments (the library side of `parley vad`) and the streaming front they share.</summary>
    public class VoiceActivitySegmentsTests
    {
        [TestCase("user-turns-48k.wav")]
        [TestCase("user-turns-44k.wav")]
        public void Energy_segments_of_the_conversation_match_its_labelled_turns(string file)
        {
            var clip = TestWav.Read(PackagePaths.Fixture("audio", "conversation", file));
            var segments = VoiceActivitySegments.Detect(clip.Samples, clip.SampleRate, new EnergyVoiceActivityDetector(16000));
            var turns = VadCorpus.ConversationTurns();
            Assert.That(segments.Count, Is.EqualTo(turns.Count), string.Join("; ", segments));
            for (var i = 0; i < turns.Count; i++)
            {
                // Starts within two frames plus the resampler's alignment; ends within the labelled last phoneme's fade.
                Assert.That(segments[i].StartMs, Is.EqualTo(turns[i].Start).Within(40), "turn " + i);
                Assert.That(segments[i].EndMs, Is.EqualTo(turns[i].End).Within(120), "turn " + i);
            }
        }

        [Test]
        public void Energy_at_the_native_48_kHz_finds_the_same_turns()
        {
            var clip = TestWav.Read(PackagePaths.Fixture("audio", "conversation", "user-turns-48k.wav"));
            var native = VoiceActivitySegments.Detect(clip.Samples, clip.SampleRate, new EnergyVoiceActivityDetector(48000));
            var turns = VadCorpus.ConversationTurns();
            Assert.That(native.Count, Is.EqualTo(turns.Count), string.Join("; ", native));
            for (var i = 0; i < turns.Count; i++)
            {
                Assert.That(native[i].StartMs, Is.EqualTo(turns[i].Start).Within(40), "turn " + i);
                Assert.That(native[i].EndMs, Is.EqualTo(turns[i].End).Within(120), "turn " + i);
            }
        }

        [Test]
        public void Min_speech_drops_short_segments()
        {
            var clip = TestWav.Read(PackagePaths.Fixture("audio", "conversation", "user-turns-48k.wav"));
            var settings = VadSettings.Default;
            settings.MinSpeechMs = 60000 - 1;
            Assert.That(VoiceActivitySegments.Detect(clip.Samples, clip.SampleRate, new EnergyVoiceActivityDetector(16000), settings), Is.Empty);
        }

        [Test]
        public void Csv_has_the_header_and_whole_milliseconds()
        {
            var w = new StringWriter();
            VoiceActivitySegments.WriteCsv(w, new[] { new SpeechSegment(800, 2907.5), new SpeechSegment(4407.25, 7048) });
            Assert.That(w.ToString(), Is.EqualTo("start_ms,end_ms\n800,2908\n4407,7048\n"));
        }

        [Test]
        public void Bad_input_gets_typed_errors()
        {
            Assert.Throws<ArgumentNullException>(() => VoiceActivitySegments.Detect(new float[10], 16000, null));
            Assert.Throws<ArgumentOutOfRangeException>(() => VoiceActivitySegments.Detect(new float[10], 1000, new EnergyVoiceActivityDetector()));
            Assert.That(VoiceActivitySegments.Detect(ReadOnlySpan<float>.Empty, 16000, new EnergyVoiceActivityDetector()), Is.Empty);
        }

        [Test]
        public void Streaming_in_odd_chunks_raises_the_same_segments_as_offline()
        {
            var mix = VadCorpus.Build().Mixes["pink-10"];
            var offline = VoiceActivitySegments.Detect(mix, VadCorpus.Rate, new EnergyVoiceActivityDetector(VadCorpus.Rate));
            var starts = new List<double>();
            var ends = new List<SpeechSegment>();
            using (var stream = new VoiceActivity(new EnergyVoiceActivityDetector(VadCorpus.Rate), VadSettings.Default))
            {
                stream.SpeechStarted += starts.Add;
                stream.SpeechEnded += ends.Add;
                for (var at = 0; at < mix.Length; at += 333)
                    stream.Push(new ReadOnlySpan<float>(mix, at, Math.Min(333, mix.Length - at)));
                stream.Flush();
            }
            Assert.That(offline.Count, Is.AtLeast(8));
            Assert.That(ends, Is.EqualTo(offline));
            Assert.That(starts, Is.EqualTo(offline.Select(s => s.StartMs)));
        }
    }
}
