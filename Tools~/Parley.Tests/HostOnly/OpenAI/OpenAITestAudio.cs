using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.OpenAI
{
    /// <summary>The conversation fixture as 24 kHz PCM16, and its ground-truth segments.</summary>
    public static class OpenAITestAudio
    {
        public sealed class Segment { public int StartMs, EndMs; public string Id, Text; }

        /// <summary>user-turns-48k.wav decimated 2:1 (two-tap average; enough for energy VAD tests).</summary>
        public static short[] UserTurns24k()
        {
            var clip = TestWav.Read(PackagePaths.Fixture("audio", "conversation", "user-turns-48k.wav"));
            var n = clip.Samples.Length / 2;
            var pcm = new short[n];
            for (var i = 0; i < n; i++)
                pcm[i] = (short)Math.Max(-32768, Math.Min(32767, Math.Round((clip.Samples[2 * i] + clip.Samples[2 * i + 1]) * 0.5f * 32768f)));
            return pcm;
        }

        public static Segment[] Segments() =>
            File.ReadAllLines(PackagePaths.Fixture("audio", "conversation", "user-turns.segments.csv")).Skip(1)
                .Where(l => l.Trim().Length > 0)
                .Select(l =>
                {
                    var p = l.Split(new[] { ',' }, 4);
                    return new Segment { StartMs = int.Parse(p[0], CultureInfo.InvariantCulture), EndMs = int.Parse(p[1], CultureInfo.InvariantCulture), Id = p[2], Text = p[3].Trim('"') };
                }).ToArray();
    }
}
