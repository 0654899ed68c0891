using System.ComponentModel;
using Spectre.Console.Cli;

namespace Parley.Cli.Commands
{
    /// <summary>`parley visemes`'s options.</summary>
    public sealed class VisemesSettings : CommandSettings
    {
        [CommandOption("--input <FILE>"), Description("required: the speech WAV (PCM 8/16/24/32-bit or float, 8-192 kHz, 1-8 channels mixed to mono)")]
        public string Input { get; set; }
        [CommandOption("--output <FILE>"), Description("required: the CSV, `ms` then one column per viseme or shape of the set, a row per 10 ms hop")]
        public string Output { get; set; }
        [CommandOption("--set <SET>"), DefaultValue("oculus"), Description("the target names: oculus (15 visemes), arkit, vrm or rhubarb")]
        public string Set { get; set; }

        /// <summary>Required options and the set. Not Spectre's isRequired or Validate (see ResampleSettings).</summary>
        public void Check()
        {
            if (Input == null || Output == null) throw new CliError("visemes needs --input FILE --output FILE.");
            if (Parley.Lipsync.VisemeMappingPresets.Csv(Set ?? "") == null)
                throw new CliError("--set must be one of " + string.Join(", ", Parley.Lipsync.VisemeMappingPresets.Names) + " (got '" + Set + "').");
            Output = OutputPath.Prepare("--output", Output);
        }
    }
}
