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
            args.Get("quality");
            args.RejectUnknown(Name);
            if (input == null || output == null || rate < 0) throw new CliError("resample needs --input FILE --rate HZ --output FILE.");
            WavFile.Read(input);
            throw new CliError("The resampler is not part of this build yet.", ExitCodes.Failed);
        }
    }
}
