using System;
using System.Collections.Generic;
using System.Globalization;

namespace Parley.Lipsync
{
    /// <summary>
    /// Linear map from the 15 viseme weights to a rig's own targets (blend shapes, expressions, mouth shapes):
    /// target = clamp(Σ weight(viseme) · amount(target, viseme), 0, 1). Read from CSV so a rig can ship its own:
    /// header <c>target</c> then viseme names (any subset, any order; a missing viseme contributes 0), then one
    /// row per target. Presets: <see cref="Preset"/> (oculus, arkit, vrm, rhubarb; see <see cref="VisemeMappingPresets"/>).
    /// </summary>
    public sealed class VisemeMapping
    {
        readonly float[] _amounts;
        readonly bool[] _defined;

        VisemeMapping(string name, string[] targets, float[] amounts, bool[] defined)
        {
            Name = name;
            Targets = targets;
            _amounts = amounts;
            _defined = defined;
        }

        public string Name { get; }
        public IReadOnlyList<string> Targets { get; }

        /// <summary>True when the mapping's header has a column for <paramref name="viseme"/> (the rig decided what it does).</summary>
        public bool Defines(int viseme) => _defined[viseme];

        /// <summary>How much <paramref name="viseme"/> drives target <paramref name="target"/>.</summary>
        public float Amount(int target, int viseme) => _amounts[target * Visemes.Count + viseme];

        /// <summary>Target weights from viseme weights (<paramref name="targets"/> at least <see cref="Targets"/> long). No allocation.</summary>
        public void Apply(ReadOnlySpan<float> visemes, Span<float> targets)
        {
            if (visemes.Length < Visemes.Count) throw new ArgumentException("Need " + Visemes.Count + " viseme weights.", nameof(visemes));
            if (targets.Length < Targets.Count) throw new ArgumentException("Need room for " + Targets.Count + " targets.", nameof(targets));
            for (var t = 0; t < Targets.Count; t++)
            {
                var sum = 0f;
                for (var v = 0; v < Visemes.Count; v++) sum += visemes[v] * _amounts[t * Visemes.Count + v];
                targets[t] = sum < 0f ? 0f : sum > 1f ? 1f : sum;
            }
        }

        /// <summary>A shipped mapping by name (case-insensitive): oculus, arkit, vrm or rhubarb.</summary>
        public static VisemeMapping Preset(string name)
        {
            var csv = VisemeMappingPresets.Csv(name);
            if (csv == null)
                throw new ArgumentException("Unknown viseme set '" + name + "'; expected one of " + string.Join(", ", VisemeMappingPresets.Names) + ".", nameof(name));
            return Parse(name.ToLowerInvariant(), csv);
        }

        /// <summary>Parses mapping CSV (see the type summary). Errors name the line.</summary>
        public static VisemeMapping Parse(string name, string csv)
        {
            if (csv == null) throw new ArgumentNullException(nameof(csv));
            var lines = csv.Replace("\r", "").Split('\n');
            var row = 0;
            while (row < lines.Length && (lines[row].Trim().Length == 0 || lines[row].TrimStart().StartsWith("#"))) row++;
            if (row == lines.Length) throw new FormatException("Viseme mapping '" + name + "' is empty.");
            var header = lines[row].Split(',');
            if (header[0].Trim() != "target") throw new FormatException("Viseme mapping '" + name + "' line " + (row + 1) + ": the header must start with 'target'.");
            var columns = new int[header.Length];
            var defined = new bool[Visemes.Count];
            for (var c = 1; c < header.Length; c++)
            {
                columns[c] = Visemes.IndexOf(header[c].Trim());
                if (columns[c] >= 0) defined[columns[c]] = true;
                if (columns[c] < 0)
                    throw new FormatException("Viseme mapping '" + name + "' line " + (row + 1) + ": '" + header[c].Trim() + "' is not a viseme (" + string.Join(" ", Visemes.Names) + ").");
            }
            var targets = new List<string>();
            var amounts = new List<float>();
            for (row++; row < lines.Length; row++)
            {
                var line = lines[row].Trim();
                if (line.Length == 0 || line.StartsWith("#")) continue;
                var cells = line.Split(',');
                if (cells.Length != header.Length)
                    throw new FormatException("Viseme mapping '" + name + "' line " + (row + 1) + ": " + cells.Length + " cells, the header has " + header.Length + ".");
                var target = cells[0].Trim();
                if (target.Length == 0 || targets.Contains(target))
                    throw new FormatException("Viseme mapping '" + name + "' line " + (row + 1) + ": missing or repeated target '" + target + "'.");
                targets.Add(target);
                var at = amounts.Count;
                for (var v = 0; v < Visemes.Count; v++) amounts.Add(0f);
                for (var c = 1; c < cells.Length; c++)
                {
                    var text = cells[c].Trim();
                    if (text.Length == 0) continue;
                    if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || float.IsNaN(value) || float.IsInfinity(value))
                        throw new FormatException("Viseme mapping '" + name + "' line " + (row + 1) + ": '" + text + "' is not a number.");
                    amounts[at + columns[c]] = value;
                }
            }
            if (targets.Count == 0) throw new FormatException("Viseme mapping '" + name + "' has no targets.");
            return new VisemeMapping(name, targets.ToArray(), amounts.ToArray(), defined);
        }
    }
}
