using System;
using System.Collections.Generic;
using NUnit.Framework;
using Parley.Audio.Vad;

namespace Parley.Tests.Audio
{
    public class VoiceActivityTrackerTests
    {
        static VadSettings Settings(float hangoverMs) =>
            new VadSettings { OnsetThreshold = 0.5f, OffsetThreshold = 0.35f, HangoverMs = hangoverMs };

        static List<VadTransition> Feed(VoiceActivityTracker t, params float[] p)
        {
            var result = new List<VadTransition>();
            foreach (var x in p) result.Add(t.Update(x));
            return result;
        }

        [Test]
        public void Starts_on_the_onset_threshold_and_ends_after_the_hangover()
        {
            // 10 ms frames, 30 ms hangover: three frames below the offset threshold end the segment.
            var t = new VoiceActivityTracker(10, Settings(30));
            var got = Feed(t, 0.1f, 0.49f, 0.5f, 0.4f, 0.2f, 0.2f, 0.2f, 0.9f);
            Assert.That(got, Is.EqualTo(new[]
            {
                VadTransition.None, VadTransition.None, VadTransition.SpeechStarted, VadTransition.None,
                VadTransition.None, VadTransition.None, VadTransition.SpeechEnded, VadTransition.SpeechStarted,
            }));
            // Frames 2-3 were speech (0.4 is above the offset threshold): 20-40 ms; the hangover is not counted.
            Assert.That(t.LastSegment, Is.EqualTo(new SpeechSegment(20, 40)));
            Assert.That(t.SpeechStartMs, Is.EqualTo(70));
        }

        [Test]
        public void A_pause_shorter_than_the_hangover_does_not_split_the_segment()
        {
            var t = new VoiceActivityTracker(10, Settings(30));
            var got = Feed(t, 0.9f, 0.1f, 0.1f, 0.9f, 0.1f);
            Assert.That(got, Is.EqualTo(new[] { VadTransition.SpeechStarted, VadTransition.None, VadTransition.None, VadTransition.None, VadTransition.None }));
            Assert.That(t.IsSpeaking, Is.True);
            Assert.That(t.Flush(), Is.EqualTo(VadTransition.SpeechEnded));
            Assert.That(t.LastSegment, Is.EqualTo(new SpeechSegment(0, 40)));
            Assert.That(t.Flush(), Is.EqualTo(VadTransition.None));
        }

        [Test]
        public void Nan_probabilities_count_as_silence()
        {
            var t = new VoiceActivityTracker(32, Settings(0));
            Assert.That(t.Update(float.NaN), Is.EqualTo(VadTransition.None));
            Assert.That(t.Update(1f), Is.EqualTo(VadTransition.SpeechStarted));
            Assert.That(t.Update(float.NaN), Is.EqualTo(VadTransition.SpeechEnded));
            Assert.That(t.LastSegment, Is.EqualTo(new SpeechSegment(32, 64)));
        }

        [Test]
        public void Reset_forgets_everything()
        {
            var t = new VoiceActivityTracker(10, Settings(30));
            Feed(t, 0.9f, 0.9f);
            t.Reset();
            Assert.That(t.IsSpeaking, Is.False);
            Assert.That(t.Frames, Is.EqualTo(0));
            Assert.That(t.Update(0.9f), Is.EqualTo(VadTransition.SpeechStarted));
            Assert.That(t.SpeechStartMs, Is.EqualTo(0));
        }

        [Test]
        public void Bad_settings_get_typed_errors()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new VoiceActivityTracker(0, VadSettings.Default));
            Assert.Throws<ArgumentOutOfRangeException>(() => new VoiceActivityTracker(10, new VadSettings { OnsetThreshold = 0.3f, OffsetThreshold = 0.5f }));
            Assert.Throws<ArgumentOutOfRangeException>(() => new VoiceActivityTracker(10, new VadSettings { OnsetThreshold = float.NaN }));
            Assert.Throws<ArgumentOutOfRangeException>(() => new VoiceActivityTracker(10, new VadSettings { OnsetThreshold = 0.5f, OffsetThreshold = 0.3f, HangoverMs = -1 }));
        }
    }
}
