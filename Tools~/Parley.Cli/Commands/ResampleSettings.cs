using System.ComponentModel;
using Spectre.Console.Cli;

namespace Parley.Cli.Commands
{
    /// <summary>`parley resample`'s options.</summary>
    public sealed class ResampleSettings : CommandSettings
    {
        [CommandOption("--input <FILE>", isRequired: true), Description("the WAV to resample (PCM 8/16/24/32-bit or float, 1-8 channels)")]
        public string Input { get; set; }
        [CommandOption("--rate <HZ>", isRequired: true), Description("the output rate, 8000 to 192000")]
        public int Rate { get; set; }
        [CommandOption("--output <FILE>", isRequired: true), Description("the resampled WAV (same channels, the input's duration)")]
        public string Output { get; set; }
        [CommandOption("--quality <PRESET>"), DefaultValue("default"), Description("fast, default or high")]
        public string Quality { get; set; }
    }
}
