using System.ComponentModel;
using Spectre.Console.Cli;

namespace Parley.Cli.Commands
{
    /// <summary>`parley aec`'s options.</summary>
    public sealed class AecSettings : CommandSettings
    {
        [CommandOption("--mic <FILE>"), Description("required: the microphone recording (echo + near end), 8-48 kHz; channels are averaged")]
        public string Mic { get; set; }
        [CommandOption("--ref <FILE>"), Description("required: what was played, starting at the same instant, any rate; channels are averaged")]
        public string Ref { get; set; }
        [CommandOption("--output <FILE>"), Description("required: the echo-cancelled WAV, mono at the mic's rate and length, aligned with it")]
        public string Output { get; set; }
        [CommandOption("--filter-ms <MS>"), DefaultValue(200), Description("adaptive filter length, 40 to 500 ms (the room's reverberation it models)")]
        public int FilterMs { get; set; }

        /// <summary>Required options and ranges (not Spectre's isRequired/Validate: see ResampleSettings.Check).</summary>
        public void Check()
        {
            if (Mic == null || Ref == null || Output == null) throw new CliError("aec needs --mic FILE --ref FILE --output FILE.");
            CliError.Range("--filter-ms", FilterMs, 40, 500);
            Output = OutputPath.Prepare("--output", Output);
        }
    }
}
