using System;
using System.ComponentModel;
using Parley.Audio.Vad;
using Spectre.Console.Cli;

namespace Parley.Cli.Commands
{
    /// <summary>`parley vad`'s options (not named VadSettings: that is the tracker's thresholds in Parley.Audio.Vad).</summary>
    public sealed class VadOptions : CommandSettings
    {
        [CommandOption("--input <FILE>"), Description("required: the WAV to segment (PCM 8/16/24/32-bit or float, any rate, channels mixed to mono)")]
        public string Input { get; set; }
        [CommandOption("--output <FILE>"), Description("required: the CSV of speech segments, header start_ms,end_ms")]
        public string Output { get; set; }
        [CommandOption("--engine <ENGINE>"), DefaultValue("silero"), Description("silero (Silero VAD v5 on ONNX Runtime) or energy")]
        public string Engine { get; set; }

        /// <summary>The engine named by --engine.</summary>
        public VadEngine ParsedEngine;

        public void Check()
        {
            if (Input == null || Output == null) throw new CliError("vad needs --input FILE --output FILE.");
            if (string.Equals(Engine, "silero", StringComparison.OrdinalIgnoreCase)) ParsedEngine = VadEngine.Silero;
            else if (string.Equals(Engine, "energy", StringComparison.OrdinalIgnoreCase)) ParsedEngine = VadEngine.Energy;
            else throw new CliError("--engine must be silero or energy (got '" + Engine + "').");
            Output = OutputPath.Prepare("--output", Output);
        }
    }
}
