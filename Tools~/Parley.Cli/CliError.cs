using System;

namespace Parley.Cli
{
    /// <summary>A user mistake or an environment problem: printed as one line saying what to do, no stack trace.</summary>
    public sealed class CliError : Exception
    {
        public readonly int ExitCode;
        public CliError(string message, int exitCode = ExitCodes.Usage, Exception inner = null) : base(message, inner) { ExitCode = exitCode; }

        /// <summary>A whole-number option outside [min, max] is a usage error naming the option and the range.</summary>
        public static void Range(string option, int value, int min, int max)
        {
            if (value < min || value > max)
                throw new CliError("Option " + option + " must be a whole number from " + min + " to " + max + " (got '" + value + "').");
        }

        public static void Range(string option, double value, double min, double max)
        {
            if (!(value >= min && value <= max))
                throw new CliError("Option " + option + " must be a number from " + min + " to " + max + " (got '" + value.ToString(System.Globalization.CultureInfo.InvariantCulture) + "').");
        }
    }

    /// <summary>Exit codes (stable; scripts and tests rely on them).</summary>
    public static class ExitCodes
    {
        public const int Ok = 0;
        /// <summary>Something failed while running (provider error mid-session, I/O).</summary>
        public const int Failed = 1;
        /// <summary>Bad command line: unknown command/option/provider, missing value.</summary>
        public const int Usage = 2;
        /// <summary>An input file is missing, unreadable or in an unsupported format.</summary>
        public const int BadInput = 3;
        /// <summary>Missing credentials (key variable not set) or the server refused them.</summary>
        public const int Auth = 4;
        /// <summary>The server could not be reached, refused the connection, or plain text was refused.</summary>
        public const int Unreachable = 5;
        public const int Interrupted = 130;
    }
}
