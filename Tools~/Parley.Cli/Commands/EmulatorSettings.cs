using System.ComponentModel;
using Spectre.Console.Cli;

namespace Parley.Cli.Commands
{
    /// <summary>`parley emulator`'s options.</summary>
    public sealed class EmulatorSettings : CommandSettings
    {
        [CommandOption("--port <N>"), Description("required: the port to listen on, 0 to 65535 (0 picks a free one)")]
        public int? Port { get; set; }
        [CommandOption("--host <ADDRESS>"), DefaultValue("127.0.0.1"), Description("a loopback address (127.0.0.1 or ::1); the emulator never listens on a network")]
        public string Host { get; set; }

        /// <summary>Required options and ranges (not Spectre's isRequired: see <see cref="ResampleSettings.Check"/>).</summary>
        public void Check()
        {
            if (Port == null) throw new CliError("--port N is required (0 picks a free port).");
            CliError.Range("--port", Port.Value, 0, 65535);
        }
    }
}
