using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using Spectre.Console.Cli;

namespace Parley.Cli
{
    /// <summary>
    /// Spectre.Console.Cli's parse errors, reworded to say what to fix: a value it cannot convert gets the option's
    /// name ("Failed to convert 'soon' to Int32." does not say which option), a mistyped command the nearest one, and
    /// a stray word after a command is an unexpected argument (Spectre calls it an unknown command).
    /// </summary>
    static class ParseErrors
    {
        static readonly Regex Conversion = new Regex(@"^Failed to convert '(?<value>.*)' to (?<type>\w+)\.$", RegexOptions.Singleline);
        static readonly Regex UnknownCommand = new Regex(@"^Unknown command '(?<name>.*)'\.$", RegexOptions.Singleline);

        public static Exception Reword(Exception e, string[] args, IReadOnlyCollection<string> commands)
        {
            if (!(e is CommandAppException)) return e;
            var m = Conversion.Match(e.Message);
            if (m.Success) return new CliError("Option " + (OptionOf(m.Groups["value"].Value, args) ?? "value") + " must be " + Kind(m.Groups["type"].Value)
                                               + " (got '" + m.Groups["value"].Value + "').", ExitCodes.Usage, e);
            m = UnknownCommand.Match(e.Message);
            if (m.Success)
            {
                var name = m.Groups["name"].Value;
                if (args.Length > 0 && args[0] != name)
                    return new CliError("Unexpected argument '" + name + "' for '" + args[0] + "'. Options start with --.", ExitCodes.Usage, e);
                return new CliError("unknown command '" + name + "'; did you mean " + EditDistance.Nearest(name, commands) + "? Commands: "
                                    + string.Join(", ", commands) + ". Run `parley --help`.", ExitCodes.Usage, e);
            }
            return e;
        }

        /// <summary>The option <paramref name="value"/> was given to: `--name value` or `--name=value`.</summary>
        static string OptionOf(string value, string[] args)
        {
            for (var i = 0; i < args.Length; i++)
            {
                if (args[i] == value && i > 0 && args[i - 1].StartsWith("-", StringComparison.Ordinal)) return args[i - 1];
                if (args[i].StartsWith("-", StringComparison.Ordinal) && args[i].EndsWith("=" + value, StringComparison.Ordinal)) return args[i].Substring(0, args[i].Length - value.Length - 1);
            }
            return null;
        }

        static string Kind(string type) => type switch
        {
            "Int32" or "Int64" or "Int16" or "Byte" => "a whole number",
            "Double" or "Single" or "Decimal" => "a number",
            "Boolean" => "true or false",
            _ => "a " + type,
        };
    }
}
