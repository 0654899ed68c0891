using System.ComponentModel;
using System.IO;
using Spectre.Console.Cli;

namespace Parley.Cli.Commands
{
    /// <summary>`parley scan-keys`'s argument.</summary>
    public sealed class ScanKeysSettings : CommandSettings
    {
        [CommandArgument(0, "[DIR]"), Description("required: a Unity project or any folder (Library, Temp, obj and .git are skipped)")]
        public string Dir { get; set; }

        /// <summary>DIR is given and is a folder (exit 2 otherwise, like any other bad command line).</summary>
        public void Check()
        {
            if (string.IsNullOrWhiteSpace(Dir)) throw new CliError("scan-keys needs a folder: parley scan-keys DIR.");
            if (File.Exists(Dir)) throw new CliError("'" + Dir + "' is a file; give the folder to scan (a Unity project or any folder).");
            if (!Directory.Exists(Dir)) throw new CliError("The folder '" + Dir + "' does not exist; check the path.");
        }
    }
}
