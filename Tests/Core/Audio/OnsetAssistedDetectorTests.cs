using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Audio.Vad;

namespace Parley.Tests.Audio
{
    public class OnsetAssistedDetectorTests
    {
        /// <summary>Replays a fixed probability per frame and records the frames it was given.</summary>
        sealed class ScriptedDetector : IVoiceActivityDetector
        {
            readonly float[] m_Script;
            int m_Next;
            public readonly List<float> FirstSamples = new List<float>();
            public bool Disposed;

            public ScriptedDetector(int frameSamples, params float[] script)
            {
                FrameSamples = frameSamples;
                m_Script = script;
            }

            public int SampleRate => 16000;
            public int FrameSamples { get; }

            public float Process(ReadOnlySpan<float> frame)
            {
                FirstSamples.Add(frame[0]);
                return m_Script[m_Next++];
            }

            public void Reset() => m_Next = 0;
            public void Dispose() => Disposed = true;
        }

        static float[] Run(IVoiceActivityDetector d, int frames)
        {
            var frame = new float[d.FrameSamples];
            return Enumerable.Range(0, frames).Select(_ => d.Process(frame)).ToArray();
        }

        [Test]
        public void The_fast_detector_vouches_until_the_primary_confirms()
        {
            // Primary (32-sample frames) confirms on its third frame; fast (16-sample sub-frames) fires on the first.
            var primary = new ScriptedDetector(32, 0.0f, 0.1f, 0.9f, 0.9f);
            var fast = new ScriptedDetector(16, 0.1f, 0.8f, 0.9f, 0.9f, 0.9f, 0.9f, 0.2f, 0.1f);
            var d = new OnsetAssistedDetector(primary, fast, graceFrames: 3);
            Assert.That(Run(d, 4), Is.EqualTo(new[] { 0.8f, 0.9f, 0.9f, 0.9f }));
        }

        [Test]
        public void A_burst_the_primary_never_confirms_is_vouched_for_only_the_grace()
        {
            var primary = new ScriptedDetector(32, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f);
            var fast = new ScriptedDetector(16, 0.9f, 0.9f, 0.9f, 0.9f, 0.9f, 0.9f, 0.9f, 0.9f, 0.1f, 0.1f, 0.9f, 0.9f, 0.9f, 0.9f);
            var d = new OnsetAssistedDetector(primary, fast, graceFrames: 2);
            // Two frames vouched, then the primary's word until the fast detector has gone quiet (frame 4), then again.
            Assert.That(Run(d, 7), Is.EqualTo(new[] { 0.9f, 0.9f, 0.1f, 0.1f, 0.1f, 0.9f, 0.9f }));
        }

        [Test]
        public void Deciding_every_onset_frame_runs_the_primary_on_each_whole_primary_frame()
        {
            // Primary frames of 4 samples, fast of 2: a decision per 2 samples; the primary runs on samples 1-4, then 5-8,
            // and its word holds until its next run.
            var primary = new ScriptedDetector(4, 0.1f, 0.1f, 0.9f);
            var fast = new ScriptedDetector(2, 0.1f, 0.8f, 0.9f, 0.9f, 0.9f, 0.2f);
            var d = new OnsetAssistedDetector(primary, fast, 1, decideEveryOnsetFrame: true);
            Assert.That(d.FrameSamples, Is.EqualTo(2));
            var out1 = new[] { d.Process(new float[] { 1, 2 }), d.Process(new float[] { 3, 4 }), d.Process(new float[] { 5, 6 }), d.Process(new float[] { 7, 8 }), d.Process(new float[] { 9, 10 }), d.Process(new float[] { 11, 12 }) };
            // Frame 1: nothing from either. Frames 2-3: the fast "yes" is vouched for (a grace of one primary frame is two
            // decisions); frames 4-5: the grace is spent, the primary's 0.1 stands; frame 6: the primary's own 0.9.
            Assert.That(out1, Is.EqualTo(new[] { 0f, 0.8f, 0.9f, 0.1f, 0.1f, 0.9f }));
            Assert.That(primary.FirstSamples, Is.EqualTo(new[] { 1f, 5f, 9f }));
            Assert.That(fast.FirstSamples, Is.EqualTo(new[] { 1f, 3f, 5f, 7f, 9f, 11f }));
        }

        [Test]
        public void Sub_frames_are_the_consecutive_slices_of_the_frame()
        {
            var primary = new ScriptedDetector(4, 0f);
            var fast = new ScriptedDetector(2, 0f, 0f);
            var d = new OnsetAssistedDetector(primary, fast);
            d.Process(new float[] { 1, 2, 3, 4 });
            Assert.That(fast.FirstSamples, Is.EqualTo(new[] { 1f, 3f }));
            Assert.That(primary.FirstSamples, Is.EqualTo(new[] { 1f }));
            d.Dispose();
            Assert.That(primary.Disposed && fast.Disposed, Is.True);
        }

        [Test]
        public void Mismatched_detectors_get_typed_errors()
        {
            Assert.Throws<ArgumentException>(() => new OnsetAssistedDetector(new ScriptedDetector(512), new ScriptedDetector(300)));
            Assert.Throws<ArgumentException>(() => new OnsetAssistedDetector(new ScriptedDetector(512), new EnergyVoiceActivityDetector(8000)));
            Assert.Throws<ArgumentOutOfRangeException>(() => new OnsetAssistedDetector(new ScriptedDetector(512), new ScriptedDetector(256), 0));
            Assert.Throws<ArgumentNullException>(() => new OnsetAssistedDetector(null, new ScriptedDetector(256)));
            Assert.Throws<ArgumentException>(() => new OnsetAssistedDetector(new ScriptedDetector(4), new ScriptedDetector(2)).Process(new float[3]));
        }
    }
}
