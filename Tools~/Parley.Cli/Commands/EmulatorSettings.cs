using System.ComponentModel;
using Spectre.Console.Cli;

namespace Parley.Cli.Commands
{
    /// <summary>`parley emulator`'s options.</summary>
    public sealed class EmulatorSettings : CommandSettings
    {
        [CommandOption("--port <N>", isRequired: true), Description("the port to listen on, 0 to 65535 (0 picks a free one)")]
        public int Port { get; set; }
        [CommandOption("--host <ADDRESS>"), DefaultValue("127.0.0.1"), Description("a loopback address (127.0.0.1 or ::1); the emulator never listens on a network")]
        public string Host { get; set; }
    }
}
