using System;
using System.IO;

namespace Parley.Cli.Talk
{
    /// <summary>The speech that ships with the package (Tests/Fixtures~/audio): the default input and barge-in utterance.</summary>
    static class BundledAudio
    {
        /// <summary>Where "Wait, stop, I changed my mind." sits in the conversation file (user-turns.segments.csv).</summary>
        const int InterruptStartMs = 8548 - 100, InterruptEndMs = 10689 + 100;

        public static string Conversation() => Path.Combine(AudioFolder(), "conversation", "user-turns-48k.wav");

        public static WavFile BargeIn()
        {
            var all = WavFile.Read(Conversation(), "bundled barge-in");
            var from = InterruptStartMs * all.SampleRate / 1000 * all.Channels;
            var to = Math.Min(all.Samples.Length, InterruptEndMs * all.SampleRate / 1000 * all.Channels);
            var cut = new float[to - from];
            Array.Copy(all.Samples, from, cut, 0, cut.Length);
            return new WavFile { SampleRate = all.SampleRate, Channels = all.Channels, Samples = cut };
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
