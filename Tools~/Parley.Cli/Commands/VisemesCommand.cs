using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Parley.Lipsync;
using Spectre.Console.Cli;

namespace Parley.Cli.Commands
{
    /// <summary>`parley visemes`: the real-time lipsync analyser over a WAV file, written as CSV in a rig's names.</summary>
    public sealed class VisemesCommand : AsyncCommand<VisemesSettings>
    {
        public override Task<int> ExecuteAsync(CommandContext context, VisemesSettings s, CancellationToken cancellationToken)
        {
            s.Check();
            var wav = WavFile.Read(s.Input);
            var mapping = VisemeMapping.Preset(s.Set);
            var track = VisemeTrack.Analyse(Mono(wav), wav.SampleRate);
            try
            {
                using (var writer = new StreamWriter(s.Output, false, new UTF8Encoding(false)))
                    track.WriteCsv(writer, mapping);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new CliError("Cannot write '" + s.Output + "': " + e.Message, ExitCodes.BadInput);
            }
            Console.WriteLine("parley visemes: " + wav.SampleRate + " Hz, " + (wav.DurationMs / 1000).ToString("0.00") + " s -> " + track.Frames
                              + " frames x " + mapping.Targets.Count + " " + mapping.Name + " targets");
            return Task.FromResult(ExitCodes.Ok);
        }

        /// <summary>The player hears one mix: channels are averaged.</summary>
        static float[] Mono(WavFile wav)
        {
            if (wav.Channels == 1) return wav.Samples;
            var mono = new float[wav.Frames];
            for (var f = 0; f < mono.Length; f++)
            {
                var sum = 0f;
                for (var c = 0; c < wav.Channels; c++) sum += wav.Samples[f * wav.Channels + c];
                mono[f] = sum / wav.Channels;
            }
            return mono;
        }
    }
}
