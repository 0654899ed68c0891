using System;
using System.Collections.Generic;
using System.Globalization;

namespace Parley.Cli
{
    /// <summary>`--name value` and `--flag` options after a subcommand. Unknown options are an error, not ignored.</summary>
    public sealed class CommandLine
    {
        readonly Dictionary<string, string> _values = new Dictionary<string, string>(StringComparer.Ordinal);
        readonly HashSet<string> _used = new HashSet<string>(StringComparer.Ordinal);
        public readonly List<string> Positional = new List<string>();

        public CommandLine(IEnumerable<string> args, ICollection<string> flags)
        {
            var list = new List<string>(args);
            for (var i = 0; i < list.Count; i++)
            {
                var a = list[i];
                if (!a.StartsWith("--", StringComparison.Ordinal)) { Positional.Add(a); continue; }
                var name = a.Substring(2);
                string value = null;
                var eq = name.IndexOf('=');
                if (eq >= 0) { value = name.Substring(eq + 1); name = name.Substring(0, eq); }
                else if (!flags.Contains(name))
                {
                    if (i + 1 >= list.Count) throw new CliError("Option --" + name + " needs a value.");
                    value = list[++i];
                }
                else value = "true";
                _values[name] = value;
            }
        }

        public bool Has(string name) { _used.Add(name); return _values.ContainsKey(name); }
        public bool Flag(string name) => Has(name) && _values[name] != "false";

        public string Get(string name, string fallback = null)
        {
            _used.Add(name);
            return _values.TryGetValue(name, out var v) ? v : fallback;
        }

        public int Int(string name, int fallback, int min = int.MinValue, int max = int.MaxValue)
        {
            var v = Get(name);
            if (v == null) return fallback;
            if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
                throw new CliError("Option --" + name + " must be a whole number" + (min > int.MinValue ? " from " + min : "") + (max < int.MaxValue ? " to " + max : "") + " (got '" + v + "').");
            return n;
        }

        public double Double(string name, double fallback, double min, double max)
        {
            var v = Get(name);
            if (v == null) return fallback;
            if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
                throw new CliError("Option --" + name + " must be a number from " + min + " to " + max + " (got '" + v + "').");
            return n;
        }

        /// <summary>Fails on options the command did not read (typos must not be silently ignored).</summary>
        public void RejectUnknown(string command)
        {
            foreach (var k in _values.Keys)
                if (!_used.Contains(k)) throw new CliError("Unknown option --" + k + " for '" + command + "'. Run `parley " + command + " --help`.");
            if (Positional.Count > 0) throw new CliError("Unexpected argument '" + Positional[0] + "' for '" + command + "'. Options start with --.");
        }
    }
}
