using System;
using System.Globalization;
using System.IO;

namespace Parley.Lipsync
{
    /// <summary>
    /// Offline analysis of a whole clip: the frames a <see cref="LipsyncAnalyser"/> publishes for it, one per hop,
    /// at the times the listener hears them (clip start = 0 ms). What <c>parley visemes</c> writes.
    /// </summary>
    public sealed class VisemeTrack
    {
        VisemeTrack(int frames, double[] timesMs, float[] values)
        {
            Frames = frames;
            TimesMs = timesMs;
            Values = values;
        }

        public int Frames { get; }
        /// <summary>Play time of each frame's centre, ms from the start of the clip.</summary>
        public double[] TimesMs { get; }
        /// <summary><see cref="LipsyncAnalyser.FrameValues"/> per frame: the 15 viseme weights then the jaw opening.</summary>
        public float[] Values { get; }

        public float Weight(int frame, int viseme) => Values[frame * LipsyncAnalyser.FrameValues + viseme];
        public float JawOpen(int frame) => Values[frame * LipsyncAnalyser.FrameValues + Visemes.Count];

        /// <summary>The viseme with the highest weight in <paramref name="frame"/>.</summary>
        public int Top(int frame)
        {
            var best = 0;
            for (var v = 1; v < Visemes.Count; v++)
                if (Weight(frame, v) > Weight(frame, best)) best = v;
            return best;
        }

        /// <summary>Analyses mono <paramref name="samples"/> at <paramref name="sampleRate"/> as the player would hear them.</summary>
        public static VisemeTrack Analyse(ReadOnlySpan<float> samples, int sampleRate, LipsyncModel model = null,
            double attackMs = LipsyncAnalyser.DefaultAttackMs, double releaseMs = LipsyncAnalyser.DefaultReleaseMs)
        {
            using (var analyser = new LipsyncAnalyser(sampleRate, model, attackMs, releaseMs))
            {
                var hop = analyser.HopSamples;
                var clipFrames = (int)Math.Max(0, Math.Floor((samples.Length - analyser.FrameCentre(0)) / hop) + 1);
                var times = new double[clipFrames];
                var values = new float[clipFrames * LipsyncAnalyser.FrameValues];
                var tail = new float[hop];
                var frame = 0;
                long read = 0;
                var written = 0;
                // Hop by hop so no frame is overwritten before it is copied; silence after the clip lets the
                // lookahead frames out.
                while (frame < clipFrames)
                {
                    var n = Math.Min(hop, samples.Length - written);
                    if (n > 0)
                    {
                        analyser.Write(samples.Slice(written, n), (double)written / sampleRate);
                        written += n;
                    }
                    else
                    {
                        analyser.Write(tail, (double)written / sampleRate);
                        written += hop;
                    }
                    for (; read < analyser.PublishedCount && frame < clipFrames; read++, frame++)
                        times[frame] = 1000 * analyser.CopyPublished(read, values.AsSpan(frame * LipsyncAnalyser.FrameValues, LipsyncAnalyser.FrameValues));
                }
                return new VisemeTrack(clipFrames, times, values);
            }
        }

        /// <summary>CSV: header <c>ms</c> then the mapping's target names; a row per frame with the mapped weights.</summary>
        public void WriteCsv(TextWriter writer, VisemeMapping mapping)
        {
            if (writer == null) throw new ArgumentNullException(nameof(writer));
            if (mapping == null) throw new ArgumentNullException(nameof(mapping));
            writer.Write("ms");
            foreach (var t in mapping.Targets)
            {
                writer.Write(',');
                writer.Write(t);
            }
            writer.Write('\n');
            var mapped = new float[mapping.Targets.Count];
            for (var f = 0; f < Frames; f++)
            {
                mapping.Apply(Values.AsSpan(f * LipsyncAnalyser.FrameValues, Visemes.Count), mapped);
                writer.Write(TimesMs[f].ToString("0.#", CultureInfo.InvariantCulture));
                foreach (var v in mapped)
                {
                    writer.Write(',');
                    writer.Write(v.ToString("0.###", CultureInfo.InvariantCulture));
                }
                writer.Write('\n');
            }
        }
    }
}
