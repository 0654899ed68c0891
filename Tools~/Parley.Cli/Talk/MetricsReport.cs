using System;
using System.Globalization;
using System.IO;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Parley.Session.Metrics;

namespace Parley.Cli.Talk
{
    /// <summary>`--metrics FILE` and the summary printed at the end of `talk`.</summary>
    static class MetricsReport
    {
        /// <param name="timelineMs">The conversation's length on the audio timeline (the input WAV's clock).</param>
        /// <param name="fast">--fast: the timeline ran faster than the wall clock, which the session's timings use.</param>
        public static JObject Json(SessionMetrics metrics, string provider, double replyAudioMs, double timelineMs = double.NaN, bool fast = false)
        {
            var s = metrics.Snapshot();
            var o = new JObject
            {
                ["provider"] = provider,
                // The session times itself on the wall clock. Under --fast the timeline is compressed and held while
                // the server is late, so latencies are what the loopback server really took, not what a player
                // would wait: say which clock, so nobody reads a 1 ms TTFB as a real-time figure.
                ["clock"] = fast ? "wall (timeline compressed by --fast; latencies are loopback server times)" : "wall (real time)",
                ["session"] = JsonOut.From(s),
                ["reply_audio_ms"] = Math.Round(replyAudioMs, 1),
                ["timeline_ms"] = double.IsNaN(timelineMs) ? null : (JToken)Math.Round(timelineMs, 1),
                ["turns"] = new JArray(),
            };
            foreach (var t in metrics.Turns()) ((JArray)o["turns"]).Add(JsonOut.From(t));
            return o;
        }

        public static void Write(string path, JObject json)
        {
            try { File.WriteAllText(path, json.ToString(Formatting.Indented)); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new CliError("Cannot write the metrics file '" + path + "': " + e.Message, ExitCodes.BadInput);
            }
        }

        public static string Summary(SessionMetrics metrics, string costNote = null)
        {
            var s = metrics.Snapshot();
            var c = CultureInfo.InvariantCulture;
            var b = new StringBuilder();
            b.AppendLine(string.Format(c, "turns {0} (completed {1}, interrupted {2}, completion rate {3:0%})", s.Turns, s.CompletedTurns, s.InterruptedTurns, s.TurnCompletionRate));
            b.AppendLine("  ttfb                      " + Fmt(s.Ttfb));
            b.AppendLine("  time to first audio       " + Fmt(s.TimeToFirstAudio));
            b.AppendLine("  user stop -> bot start    " + Fmt(s.UserStopToBotStart));
            b.AppendLine("  interruption latency      " + Fmt(s.InterruptionLatency));
            b.AppendLine("  tool call duration        " + Fmt(s.ToolCallDuration));
            b.AppendLine(string.Format(c, "  underruns {0}, reconnects {1}, tokens {2} (in audio {3}, out audio {4}), cost {5}",
                s.Underruns, s.Reconnects, s.Tokens.TotalTokens, s.Tokens.InputAudioTokens, s.Tokens.OutputAudioTokens, Cost(s) + (costNote != null ? " (" + costNote + ")" : "")));
            return b.ToString().TrimEnd();
        }

        /// <summary>Dollars, saying so when some usage had no prices rather than printing a false $0.</summary>
        static string Cost(MetricsSnapshot s)
        {
            var dollars = s.CostUsd.ToString("$0.0000", CultureInfo.InvariantCulture);
            if (s.UnpricedUsageReports == 0) return dollars;
            return s.CostUsd > 0
                ? dollars + " (+ " + s.UnpricedUsageReports + " usage reports without prices)"
                : "unknown (no prices for this model; see the provider's Prices option)";
        }

        static string Fmt(Summary x) => x.Count == 0 ? "-" :
            string.Format(CultureInfo.InvariantCulture, "p50 {0,6:0} ms  p95 {1,6:0} ms  max {2,6:0} ms  (n={3})", x.P50, x.P95, x.Max, x.Count);
    }
}
