using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Parley.Audio.Vad;
using Parley.Onnx;
using Spectre.Console.Cli;

namespace Parley.Cli.Commands
{
    /// <summary>`parley vad`: a recording's speech segments with the Silero or energy VAD, as CSV (`VadEngines.Detect`).</summary>
    public sealed class VadCommand : AsyncCommand<VadOptions>
    {
        public override Task<int> ExecuteAsync(CommandContext context, VadOptions s, CancellationToken cancellationToken)
        {
            s.Check();
            var wav = WavFile.Read(s.Input);
            if (s.ParsedEngine == VadEngine.Silero && !File.Exists(SileroModel.BundledPath))
                throw new CliError("The Silero model is missing at '" + SileroModel.BundledPath + "'; rebuild the CLI (Tools~/parley) or use --engine energy.", ExitCodes.Failed);
            // The detectors take one channel: the package's downmix (the average of the channels).
            var mono = wav.Samples;
            if (wav.Channels > 1)
            {
                mono = new float[wav.Frames];
                Parley.Audio.ChannelMixer.Downmix(wav.Samples, wav.Channels, mono);
            }
            var segments = VadEngines.Detect(mono, wav.SampleRate, s.ParsedEngine);
            try
            {
                using (var writer = new StreamWriter(s.Output)) VoiceActivitySegments.WriteCsv(writer, segments);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new CliError("Cannot write '" + s.Output + "': " + e.Message, ExitCodes.BadInput);
            }
            double speech = 0;
            foreach (var seg in segments) speech += seg.DurationMs;
            Console.WriteLine("parley vad: " + segments.Count + " segment(s), " + (speech / 1000).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)
                              + " s of speech in " + (wav.DurationMs / 1000).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " s (" + s.Engine.ToLowerInvariant() + ")");
            return Task.FromResult(ExitCodes.Ok);
        }
    }
}
