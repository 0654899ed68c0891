using System.ComponentModel;
using Spectre.Console.Cli;

namespace Parley.Cli.Commands
{
    /// <summary>`parley resample`'s options.</summary>
    public sealed class ResampleSettings : CommandSettings
    {
        [CommandOption("--input <FILE>"), Description("required: the WAV to resample (PCM 8/16/24/32-bit or float, 1-8 channels)")]
        public string Input { get; set; }
        [CommandOption("--rate <HZ>"), Description("required: the output rate, 8000 to 192000")]
        public int Rate { get; set; }
        [CommandOption("--output <FILE>"), Description("required: the resampled WAV (same channels, the input's duration)")]
        public string Output { get; set; }
        [CommandOption("--quality <PRESET>"), DefaultValue("default"), Description("fast, default or high")]
        public string Quality { get; set; }

        /// <summary>
        /// Required options and ranges. Not Spectre's isRequired or Validate: both run before the unknown-option check,
        /// so `--rat 16000` would read "missing --rate" instead of "did you mean --rate?".
        /// </summary>
        public void Check()
        {
            if (Input == null || Output == null || Rate == 0) throw new CliError("resample needs --input FILE --rate HZ --output FILE.");
            CliError.Range("--rate", Rate, 8000, 192000);
            Output = OutputPath.Prepare("--output", Output);
        }
    }
}
