using System;
using System.Collections.Generic;
using System.Linq;
using Parley.Audio.Vad;

namespace Parley.Tests.Support
{
    /// <summary>
    /// One detector's run over a signal, scored against frame labels: the per-frame probabilities, the
    /// tracker's speaking state per frame, the segments, frame F1 and onset delays. Probabilities from
    /// elsewhere (the reference Silero run) go through the same tracker, so both sides are judged alike.
    /// </summary>
    public sealed class VadEvaluation
    {
        public float[] Probabilities;
        public bool[] Speaking;
        public List<SpeechSegment> Segments;
        public double FrameMs;

        public static VadEvaluation Run(IVoiceActivityDetector detector, float[] samples, VadSettings settings)
        {
            detector.Reset();
            var frames = samples.Length / detector.FrameSamples;
            var p = new float[frames];
            for (var k = 0; k < frames; k++) p[k] = detector.Process(new ReadOnlySpan<float>(samples, k * detector.FrameSamples, detector.FrameSamples));
            return FromProbabilities(p, detector.FrameSamples * 1000.0 / detector.SampleRate, settings);
        }

        public static VadEvaluation FromProbabilities(float[] probabilities, double frameMs, VadSettings settings)
        {
            var tracker = new VoiceActivityTracker(frameMs, settings);
            var e = new VadEvaluation { Probabilities = probabilities, Speaking = new bool[probabilities.Length], Segments = new List<SpeechSegment>(), FrameMs = frameMs };
            for (var k = 0; k < probabilities.Length; k++)
            {
                if (tracker.Update(probabilities[k]) == VadTransition.SpeechEnded) e.Segments.Add(tracker.LastSegment);
                e.Speaking[k] = tracker.IsSpeaking;
            }
            if (tracker.Flush() == VadTransition.SpeechEnded) e.Segments.Add(tracker.LastSegment);
            return e;
        }

        /// <summary>Frames whose middle lies inside a detected segment (the offline decision: hangover tails excluded).</summary>
        public bool[] SegmentFrames() => SegmentFrames(FrameMs, Probabilities.Length);

        /// <summary>The same on another frame grid (to score a detector with short frames against the 32 ms labels Silero is scored on).</summary>
        public bool[] SegmentFrames(double frameMs, int count)
        {
            var frames = new bool[count];
            foreach (var s in Segments)
                for (var k = Math.Max(0, (int)(s.StartMs / frameMs)); k < frames.Length && (k + 0.5) * frameMs < s.EndMs; k++)
                    frames[k] |= (k + 0.5) * frameMs >= s.StartMs;
            return frames;
        }

        /// <summary>Frames at or above a threshold (the raw decision, no tracker).</summary>
        public bool[] Above(float threshold) => Probabilities.Select(p => p >= threshold).ToArray();

        /// <summary>
        /// For each labelled onset: from the onset to the end of the first frame ending after it in which the tracker
        /// is speaking (the moment a live SpeechStarted is known); 1000 ms when it never is within a second.
        /// </summary>
        public List<double> OnsetDelaysMs(IEnumerable<double> onsetsMs)
        {
            var result = new List<double>();
            foreach (var onset in onsetsMs)
            {
                var delay = 1000.0;
                for (var k = (int)(onset / FrameMs); k < Speaking.Length && (k + 1) * FrameMs - onset <= 1000.0; k++)
                    if (Speaking[k]) { delay = (k + 1) * FrameMs - onset; break; }
                result.Add(delay);
            }
            return result;
        }

        public static double Median(IEnumerable<double> values)
        {
            var v = values.OrderBy(x => x).ToArray();
            return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
        }

        public static double F1(bool[] predicted, bool[] truth)
        {
            int tp = 0, fp = 0, fn = 0;
            for (var k = 0; k < Math.Min(predicted.Length, truth.Length); k++)
            {
                if (predicted[k] && truth[k]) tp++;
                else if (predicted[k]) fp++;
                else if (truth[k]) fn++;
            }
            return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
        }
    }
}
