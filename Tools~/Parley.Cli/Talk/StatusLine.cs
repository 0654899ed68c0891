using System;
using System.IO;
using Parley.Session;

namespace Parley.Cli.Talk
{
    /// <summary>The live line on a terminal: elapsed, state, input and output levels. Silent when stderr is redirected.</summary>
    sealed class StatusLine
    {
        readonly TextWriter _out;
        readonly bool _live;
        double _lastMs = double.NegativeInfinity;
        int _width;

        public StatusLine(TextWriter output, bool live)
        {
            _out = output;
            _live = live;
        }

        public void Update(double audioMs, SessionState state, double inDbfs, double outDbfs, bool force = false)
        {
            if (!_live || (!force && audioMs - _lastMs < 100)) return;
            _lastMs = audioMs;
            var line = string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0,7:0.0}s  {1,-14} in {2} out {3}",
                audioMs / 1000.0, state, Meter(inDbfs), Meter(outDbfs));
            _width = Math.Max(_width, line.Length);
            _out.Write("\r" + line.PadRight(_width));
        }

        public void End()
        {
            if (_live && _width > 0) _out.Write("\r" + new string(' ', _width) + "\r");
        }

        /// <summary>-60..0 dBFS as a 12-cell bar with the number.</summary>
        static string Meter(double dbfs)
        {
            if (double.IsNegativeInfinity(dbfs) || double.IsNaN(dbfs)) dbfs = -120;
            var cells = (int)Math.Round(Math.Max(0, Math.Min(12, (dbfs + 60) / 5)));
            return "[" + new string('#', cells) + new string('.', 12 - cells) + "] " + (dbfs <= -120 ? " -inf" : dbfs.ToString("0", System.Globalization.CultureInfo.InvariantCulture).PadLeft(5)) + " dB";
        }
    }
}
