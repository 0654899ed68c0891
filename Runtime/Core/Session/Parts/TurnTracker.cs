using System;
using Parley.Session.Metrics;

namespace Parley.Session.Parts
{
    /// <summary>
    /// Turns and their timings: opens a turn on a request (player stop, text, tool result, server), stamps
    /// TTFB / time to first audio / user-stop → bot-start, and closes it once with its outcome. Loop-owned.
    /// </summary>
    sealed class TurnTracker
    {
        readonly SessionMetrics _metrics;
        readonly Action<SessionEvent> _post;
        int _index;

        public TurnTracker(SessionMetrics metrics, Action<SessionEvent> post)
        {
            _metrics = metrics;
            _post = post;
        }

        public TurnMetrics Current { get; private set; }
        public double RequestAtMs = double.NaN;
        public double UserStoppedAtMs = double.NaN;

        public bool IsInterrupted => Current != null && Current.Outcome == TurnOutcome.Interrupted;

        public void Open(string trigger, double now)
        {
            var t = Current;
            if (t != null && t.ItemId == null && t.Outcome != TurnOutcome.Interrupted)
            {
                // A new request before the previous one produced audio (the player spoke again): it replaces it.
                t.Trigger = trigger;
                RequestAtMs = now;
                return;
            }
            if (t != null)
            {
                if (t.Outcome == TurnOutcome.Interrupted) Current = null;
                else Close(TurnOutcome.Failed, now);
            }
            Current = new TurnMetrics { Index = ++_index, Trigger = trigger, StartedAtMs = now };
            RequestAtMs = now;
            if (trigger != "voice" && trigger != "push_to_talk" && trigger != "local_vad") UserStoppedAtMs = double.NaN;
        }

        public void EnsureOpen(string trigger, double now)
        {
            if (Current == null) Open(trigger, now);
        }

        /// <summary>The first audio of <paramref name="itemId"/> arrived: TTFB. Returns true the first time for the turn.</summary>
        public bool FirstAudio(string itemId, double now)
        {
            EnsureOpen("server", now);
            if (Current.ItemId != null) return false;
            Current.ItemId = itemId;
            Current.TtfbMs = now - RequestAtMs;
            return true;
        }

        /// <summary>The speaker started rendering: time to first audio. Returns true the first time for the turn.</summary>
        public bool Audible(double now)
        {
            if (Current == null || !double.IsNaN(Current.TimeToFirstAudioMs)) return false;
            Current.TimeToFirstAudioMs = now - RequestAtMs;
            if (!double.IsNaN(UserStoppedAtMs)) Current.UserStopToBotStartMs = now - UserStoppedAtMs;
            return true;
        }

        public void Close(TurnOutcome outcome, double now, double playedMs = double.NaN, double interruptionLatencyMs = double.NaN)
        {
            var t = Current;
            Current = null;
            if (t == null) return;
            t.Outcome = outcome;
            if (!double.IsNaN(playedMs)) t.PlayedMs = playedMs;
            if (!double.IsNaN(interruptionLatencyMs)) t.InterruptionLatencyMs = interruptionLatencyMs;
            t.EndedAtMs = now;
            _metrics.AddTurn(t);
            _post(new TurnCompleted { Turn = t });
        }

        public void ToolDuration(double ms)
        {
            _metrics.AddToolDuration(ms);
            Current?.ToolCallDurationsMs.Add(ms);
        }
    }
}
