using System;
using System.Linq;
using System.Reflection;
using Spectre.Console.Cli;

namespace Parley.Cli
{
    /// <summary>
    /// Runs before every command: an option the command does not declare is a usage error naming it and the nearest
    /// declared one (typos must not be silently ignored). Spectre parses leniently so that unknown options arrive
    /// here, with the command's settings, instead of as a bare parse error.
    /// </summary>
    public sealed class UnknownOptionCheck : ICommandInterceptor
    {
        public void Intercept(CommandContext context, CommandSettings settings)
        {
            var unknown = context.Remaining.Parsed.Select(g => g.Key).FirstOrDefault();
            if (unknown != null)
            {
                var name = unknown.StartsWith("-", StringComparison.Ordinal) ? unknown : (unknown.Length == 1 ? "-" : "--") + unknown;
                var nearest = EditDistance.Nearest(name, Declared(settings.GetType()));
                throw new CliError("Unknown option " + name + " for '" + context.Name + "'" + (nearest != null ? "; did you mean " + nearest + "?" : ".")
                                   + " Run `parley " + context.Name + " --help` for every option.");
            }
            if (context.Remaining.Raw.Count > 0)
                throw new CliError("Unexpected argument '" + context.Remaining.Raw[0] + "' for '" + context.Name + "'. Options start with --.");
        }

        public void InterceptResult(CommandContext context, CommandSettings settings, ref int result) { }

        /// <summary>Every long option the settings class declares, as typed (`--name`).</summary>
        public static string[] Declared(Type settings) => settings.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.GetCustomAttribute<CommandOptionAttribute>())
            .Where(a => a != null)
            .SelectMany(a => a.LongNames.Select(n => "--" + n))
            .ToArray();
    }
}
