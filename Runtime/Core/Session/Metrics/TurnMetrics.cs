using System.Collections.Generic;

namespace Parley.Session.Metrics
{
    public enum TurnOutcome { Completed, Interrupted, Failed }

    /// <summary>
    /// Timings of one agent turn, in ms (NaN = did not happen). Names follow what voice-agent engineers
    /// use (pipecat's ttfb, "voice-to-voice" user-stop → bot-start).
    /// </summary>
    public sealed class TurnMetrics
    {
        public int Index;
        public string ResponseId;
        public string ItemId;
        /// <summary>What started the turn: "voice", "push_to_talk", "text", "tool_result".</summary>
        public string Trigger;
        public TurnOutcome Outcome;
        /// <summary>Request (player stopped, tool result, text) → first audio bytes from the provider.</summary>
        public double TtfbMs = double.NaN;
        /// <summary>Request → first sample rendered by the speaker.</summary>
        public double TimeToFirstAudioMs = double.NaN;
        /// <summary>Player stopped speaking → agent audible (voice turns only).</summary>
        public double UserStopToBotStartMs = double.NaN;
        /// <summary>Interruption signal → speaker silent (interrupted turns only).</summary>
        public double InterruptionLatencyMs = double.NaN;
        public readonly List<double> ToolCallDurationsMs = new List<double>();
        /// <summary>Agent audio the player heard.</summary>
        public double PlayedMs;
        public double StartedAtMs;
        public double EndedAtMs;
    }
}
