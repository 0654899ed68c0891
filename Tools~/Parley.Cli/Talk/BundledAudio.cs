using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Parley.Cli.Talk
{
    /// <summary>The speech that ships with the package (Tests/Fixtures~/audio): the default input and barge-in utterance.</summary>
    static class BundledAudio
    {
        const string ConversationFile = "user-turns-48k.wav";
        const string InterruptId = "user-interrupt";
        // Each utterance is cut with this much room around its labelled span.
        const int PadMs = 100;
        // The default conversation, laid out to show both outcomes on the emulator (its replies last 2.7–3.2 s,
        // starting ≈ 0.8 s after the player stops): the question and the thanks each wait for the whole reply;
        // "Wait, stop, I changed my mind." comes one second into the reply to the thanks and interrupts it.
        static readonly int[] SilenceBeforeMs = { 700, 5000, 1800 };
        const int TrailingSilenceMs = 500;

        /// <summary>
        /// The player's side of the default conversation: the three labelled utterances of user-turns-48k.wav
        /// (user-turns.segments.csv) with the silences above between them.
        /// </summary>
        public static WavFile Conversation()
        {
            var all = WavFile.Read(Path.Combine(AudioFolder(), "conversation", ConversationFile), "bundled conversation");
            var parts = new List<float[]>();
            var i = 0;
            foreach (var (startMs, endMs, _) in Segments())
            {
                parts.Add(new float[MsToSamples(all, SilenceBeforeMs[Math.Min(i++, SilenceBeforeMs.Length - 1)])]);
                parts.Add(Cut(all, startMs - PadMs, endMs + PadMs));
            }
            parts.Add(new float[MsToSamples(all, TrailingSilenceMs)]);
            var total = 0;
            foreach (var p in parts) total += p.Length;
            var samples = new float[total];
            var at = 0;
            foreach (var p in parts)
            {
                Array.Copy(p, 0, samples, at, p.Length);
                at += p.Length;
            }
            return new WavFile { SampleRate = all.SampleRate, Channels = all.Channels, Samples = samples };
        }

        /// <summary>"Wait, stop, I changed my mind." on its own, for --barge-in-at without --barge-in-wav.</summary>
        public static WavFile BargeIn()
        {
            var all = WavFile.Read(Path.Combine(AudioFolder(), "conversation", ConversationFile), "bundled barge-in");
            foreach (var (startMs, endMs, id) in Segments())
                if (id == InterruptId)
                    return new WavFile { SampleRate = all.SampleRate, Channels = all.Channels, Samples = Cut(all, startMs - PadMs, endMs + PadMs) };
            throw new CliError("The bundled segment list has no '" + InterruptId + "' utterance; pass --barge-in-wav FILE.", ExitCodes.BadInput);
        }

        static float[] Cut(WavFile wav, int fromMs, int toMs)
        {
            var from = Math.Max(0, MsToSamples(wav, fromMs));
            var to = Math.Min(wav.Samples.Length, MsToSamples(wav, toMs));
            var cut = new float[Math.Max(0, to - from)];
            Array.Copy(wav.Samples, from, cut, 0, cut.Length);
            return cut;
        }

        static int MsToSamples(WavFile wav, int ms) => (int)((long)ms * wav.SampleRate / 1000) * wav.Channels;

        /// <summary>start_ms,end_ms,id,text rows of user-turns.segments.csv, in order.</summary>
        static IEnumerable<(int startMs, int endMs, string id)> Segments()
        {
            var path = Path.Combine(AudioFolder(), "conversation", "user-turns.segments.csv");
            foreach (var line in File.ReadLines(path))
            {
                var f = line.Split(',');
                if (f.Length < 3 || !int.TryParse(f[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var start)) continue;
                yield return (start, int.Parse(f[1], CultureInfo.InvariantCulture), f[2]);
            }
        }

        static string AudioFolder()
        {
            // The CLI runs from the package (Tools~/parley) or from its build output inside it.
            foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
                for (var d = new DirectoryInfo(start); d != null; d = d.Parent)
                {
                    var candidate = Path.Combine(d.FullName, "Tests", "Fixtures~", "audio");
                    if (File.Exists(Path.Combine(d.FullName, "package.json")) && Directory.Exists(candidate)) return candidate;
                }
            throw new CliError("The bundled speech (Tests/Fixtures~/audio in the package) was not found; pass --input FILE.", ExitCodes.BadInput);
        }
    }
}
