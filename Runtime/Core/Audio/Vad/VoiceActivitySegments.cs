using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Parley.Audio.Vad
{
    /// <summary>
    /// Offline voice activity over a whole recording: the speech segments of mono samples at any rate, and
    /// their CSV form (header <c>start_ms,end_ms</c>, one segment a row) for <c>parley vad</c>.
    /// </summary>
    public static class VoiceActivitySegments
    {
        /// <summary>
        /// Speech segments of <paramref name="samples"/> (mono, [-1, 1], at <paramref name="sampleRate"/> Hz), scored by
        /// <paramref name="detector"/> after resampling to its rate. The detector is reset first and left at the end of the stream.
        /// </summary>
        public static List<SpeechSegment> Detect(ReadOnlySpan<float> samples, int sampleRate, IVoiceActivityDetector detector, VadSettings settings)
        {
            if (detector == null) throw new ArgumentNullException(nameof(detector));
            if (sampleRate < 8000 || sampleRate > 192000) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The sample rate must be in [8000, 192000] Hz.");
            settings.Validate();
            float[] resampled = null;
            if (sampleRate != detector.SampleRate)
                resampled = new Resampler(sampleRate, detector.SampleRate).ConvertClip(samples);
            var input = resampled != null ? new ReadOnlySpan<float>(resampled) : samples;
            var segments = new List<SpeechSegment>();
            var stream = new VoiceActivity(detector, settings);
            stream.SpeechEnded += s =>
            {
                if (s.DurationMs >= settings.MinSpeechMs) segments.Add(s);
            };
            detector.Reset();
            stream.Push(input);
            stream.Flush();
            return segments;
        }

        public static List<SpeechSegment> Detect(ReadOnlySpan<float> samples, int sampleRate, IVoiceActivityDetector detector) =>
            Detect(samples, sampleRate, detector, VadSettings.Default);

        /// <summary>Writes <c>start_ms,end_ms</c> and one row per segment, in whole milliseconds.</summary>
        public static void WriteCsv(TextWriter writer, IEnumerable<SpeechSegment> segments)
        {
            if (writer == null) throw new ArgumentNullException(nameof(writer));
            if (segments == null) throw new ArgumentNullException(nameof(segments));
            writer.Write("start_ms,end_ms\n");
            foreach (var s in segments)
            {
                writer.Write(Math.Round(s.StartMs, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture));
                writer.Write(',');
                writer.Write(Math.Round(s.EndMs, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture));
                writer.Write('\n');
            }
        }
    }
}
