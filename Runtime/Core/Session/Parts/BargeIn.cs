using System;
using Parley.Session.Audio;
using Parley.Session.Metrics;

namespace Parley.Session.Parts
{
    /// <summary>
    /// The barge-in pipeline: fade and flush the speaker, drop what still arrives of the item, cut its text to
    /// what was heard (the history keeps only that), close the turn as interrupted and say so. The truncation
    /// point it returns is what the provider is told (min of played and received). Loop-owned.
    /// </summary>
    sealed class BargeIn
    {
        readonly AgentAudioLane _audio;
        readonly HeardHistory _history;
        readonly TurnTracker _turns;
        readonly IAgentPlayout _playout;
        readonly Action<SessionEvent> _post;

        public BargeIn(AgentAudioLane audio, HeardHistory history, TurnTracker turns, IAgentPlayout playout, Action<SessionEvent> post)
        {
            _audio = audio;
            _history = history;
            _turns = turns;
            _playout = playout;
            _post = post;
        }

        public double LastAtMs { get; private set; }

        /// <summary>Cuts <paramref name="itemId"/> (may be null: nothing audible yet); returns the ms heard.</summary>
        public int Cut(string itemId, InterruptionSource source, double signalAtMs, double now, int outputRate)
        {
            var played = _audio.Cut(itemId);
            var receivedMs = itemId != null && outputRate > 0 ? (int)(_audio.Received(itemId) * 1000L / outputRate) : 0;
            played = Math.Min(played, receivedMs);
            var heard = itemId != null ? _history.Cut(itemId, played, receivedMs) : "";
            var latency = now - signalAtMs + (_playout?.FlushFadeMs ?? 0);
            _turns.Close(TurnOutcome.Interrupted, now, played, latency);
            LastAtMs = now;
            _post(new Interrupted { ItemId = itemId, PlayedMs = played, HeardText = heard, LatencyMs = latency, Source = source });
            return played;
        }
    }
}
