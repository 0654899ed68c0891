using System;
using System.Globalization;
using System.IO;
using Parley.Session;
using Spectre.Console;

namespace Parley.Cli.Talk
{
    /// <summary>
    /// The live line on a terminal, drawn with Spectre.Console: elapsed, state, input and output level meters coloured
    /// by level. Rewritten in place (ANSI); silent when stderr is redirected or the terminal has no ANSI support.
    /// </summary>
    sealed class StatusLine
    {
        const int Cells = 12;
        /// <summary>What <see cref="Meter"/> prints, without markup: "[" cells "] " five digits " dB".</summary>
        const int MeterWidth = Cells + 11;
        readonly IAnsiConsole _console;
        double _lastMs = double.NegativeInfinity;
        bool _shown;

        public StatusLine(TextWriter output, bool live)
        {
            if (!live) return;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            if (console.Profile.Capabilities.Ansi) _console = console;
        }

        public void Update(double audioMs, SessionState state, double inDbfs, double outDbfs, bool force = false)
        {
            if (_console == null || (!force && audioMs - _lastMs < 100)) return;
            _lastMs = audioMs;
            var head = string.Format(CultureInfo.InvariantCulture, "{0,7:0.0}s  {1,-14}", audioMs / 1000.0, state);
            // Never wider than the terminal: a wrapped line could not be rewritten in place.
            var markup = head.Length + " in ".Length + MeterWidth + " out ".Length + MeterWidth < _console.Profile.Width
                ? "[bold]" + head + "[/] in " + Meter(inDbfs) + " out " + Meter(outDbfs)
                : "[bold]" + head.Substring(0, Math.Min(head.Length, Math.Max(1, _console.Profile.Width - 1))) + "[/]";
            Clear();
            _console.Markup(markup);
            _shown = true;
        }

        public void End()
        {
            if (_console != null && _shown) Clear();
            _shown = false;
        }

        void Clear() => _console.Write(ControlCode.Create(_console, w => { w.CursorHorizontalAbsolute(1); w.EraseInLine(2); }));

        /// <summary>-60..0 dBFS as a 12-cell bar (green, yellow from -12 dB, red from -3 dB) with the number.</summary>
        static string Meter(double dbfs)
        {
            if (double.IsNegativeInfinity(dbfs) || double.IsNaN(dbfs)) dbfs = -120;
            var cells = (int)Math.Round(Math.Max(0, Math.Min(Cells, (dbfs + 60) / 5)));
            var colour = dbfs >= -3 ? "red" : dbfs >= -12 ? "yellow" : "green";
            var number = dbfs <= -120 ? " -inf" : dbfs.ToString("0", CultureInfo.InvariantCulture).PadLeft(5);
            return "[[[" + colour + "]" + new string('#', cells) + "[/][grey]" + new string('.', Cells - cells) + "[/]]] " + number + " dB";
        }
    }
}
