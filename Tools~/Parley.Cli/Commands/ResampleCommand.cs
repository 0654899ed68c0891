using System;
using System.Threading;
using System.Threading.Tasks;
using Spectre.Console.Cli;

namespace Parley.Cli.Commands
{
    /// <summary>`parley resample`: the package's streaming resampler over WAV files.</summary>
    public sealed class ResampleCommand : AsyncCommand<ResampleSettings>
    {
        public override Task<int> ExecuteAsync(CommandContext context, ResampleSettings s, CancellationToken cancellationToken)
        {
            if (!Enum.TryParse<Parley.Audio.ResamplerQuality>(s.Quality, true, out var quality) || !Enum.IsDefined(typeof(Parley.Audio.ResamplerQuality), quality))
                throw new CliError("--quality must be fast, default or high.");
            s.Check();
            var rate = s.Rate;
            var wav = WavFile.Read(s.Input);
            var resampler = new Parley.Audio.Resampler(wav.SampleRate, rate, wav.Channels, quality);
            // Aligned with the input in time; keep the input's duration (the ring-out past the end would add the delay again).
            var result = resampler.ConvertClip(wav.Samples);
            var frames = (int)Math.Min(result.Length / wav.Channels, Math.Round((double)wav.Frames * rate / wav.SampleRate));
            WavFile.Write(s.Output, result.AsSpan(0, frames * wav.Channels), rate, wav.Channels);
            Console.WriteLine("parley resample: " + wav.SampleRate + " Hz -> " + rate + " Hz, " + wav.Channels + " ch, " + frames + " frames, group delay " + resampler.GroupDelayMs.ToString("0.00") + " ms (" + quality + ")");
            return Task.FromResult(ExitCodes.Ok);
        }
    }
}
