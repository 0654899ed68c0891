using System;
using System.Threading;
using System.Threading.Tasks;

namespace Parley.Cli.Commands
{
    /// <summary>`parley resample`: the package's streaming resampler over WAV files.</summary>
    public sealed class ResampleCommand : ICommand
    {
        public string Name => "resample";
        public string Summary => "resample a WAV file with the package's resampler";
        public string[] Flags => new string[0];
        public string Usage => string.Join(Environment.NewLine,
            "Usage: parley resample --input a.wav --rate 16000 --output b.wav [--quality preset]");

        public Task<int> RunAsync(CommandLine args, CancellationToken cancellationToken)
        {
            var input = args.Get("input");
            var rate = args.Int("rate", -1, 8000, 192000);
            var output = args.Get("output");
            var qualityName = args.Get("quality", "default");
            args.RejectUnknown(Name);
            if (input == null || output == null || rate < 0) throw new CliError("resample needs --input FILE --rate HZ --output FILE.");
            if (!Enum.TryParse<Parley.Audio.ResamplerQuality>(qualityName, true, out var quality) || !Enum.IsDefined(typeof(Parley.Audio.ResamplerQuality), quality))
                throw new CliError("--quality must be fast, default or high.");
            var wav = WavFile.Read(input);
            var resampler = new Parley.Audio.Resampler(wav.SampleRate, rate, wav.Channels, quality);
            // Aligned with the input in time; keep the input's duration (the ring-out past the end would add the delay again).
            var result = resampler.ConvertClip(wav.Samples);
            var frames = (int)Math.Min(result.Length / wav.Channels, Math.Round((double)wav.Frames * rate / wav.SampleRate));
            WavFile.Write(output, result.AsSpan(0, frames * wav.Channels), rate, wav.Channels);
            Console.WriteLine("parley resample: " + wav.SampleRate + " Hz -> " + rate + " Hz, " + wav.Channels + " ch, " + frames + " frames, group delay " + resampler.GroupDelayMs.ToString("0.00") + " ms (" + quality + ")");
            return Task.FromResult(ExitCodes.Ok);
        }
    }
}
