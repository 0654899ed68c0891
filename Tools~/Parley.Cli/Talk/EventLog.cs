using System;
using System.IO;
using Newtonsoft.Json.Linq;
using Parley.Session;

namespace Parley.Cli.Talk
{
    /// <summary>
    /// `--events FILE`: one JSON object per session event, in order: {"t_ms", "audio_ms", "event", ...fields}.
    /// t_ms is the session's monotonic clock; audio_ms is the position on the input/speaker timeline.
    /// </summary>
    sealed class EventLog : IDisposable
    {
        readonly StreamWriter _w;

        EventLog(StreamWriter w) { _w = w; }

        public static EventLog Open(string path)
        {
            if (path == null) return null;
            try { return new EventLog(new StreamWriter(path, false, new System.Text.UTF8Encoding(false))); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new CliError("Cannot write the events file '" + path + "': " + e.Message, ExitCodes.BadInput);
            }
        }

        public void Write(SessionEvent e, double audioMs)
        {
            var fields = JsonOut.From(e);
            fields.Remove("time_ms");
            fields.Remove("name");
            Write(e.Name, e.TimeMs, audioMs, fields);
        }

        /// <summary>An event that is not the session's (scene's device events), with the same three leading fields.</summary>
        public void Write(string name, double tMs, double audioMs, JObject fields)
        {
            var o = new JObject { ["t_ms"] = Math.Round(tMs, 3), ["audio_ms"] = Math.Round(audioMs, 1), ["event"] = name };
            foreach (var p in fields.Properties()) o[p.Name] = p.Value;
            _w.WriteLine(JsonOut.Line(o));
        }

        public void Dispose() => _w.Dispose();
    }
}
