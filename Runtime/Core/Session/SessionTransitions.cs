using System.Collections.Generic;

namespace Parley.Session
{
    /// <summary>
    /// Every state change a <see cref="VoiceSession"/> may make; the session makes no other (a change not in
    /// the table is refused and counted in <see cref="VoiceSession.RefusedTransitions"/>, a bug if ever non-zero).
    /// The same table is in Documentation~/reliability.md, "Session states and transitions".
    /// </summary>
    public static class SessionTransitions
    {
        static readonly Dictionary<SessionState, SessionState[]> Table = new Dictionary<SessionState, SessionState[]>
        {
            // StartAsync; a refused first connect closes.
            [SessionState.Idle] = new[] { SessionState.Connecting, SessionState.Closed },
            [SessionState.Connecting] = new[] { SessionState.Listening, SessionState.Closed },
            // Player starts talking; a reply is requested or arrives (text, tool call, server); connection lost.
            [SessionState.Listening] = new[] { SessionState.UserSpeaking, SessionState.AgentThinking, SessionState.Interrupted, SessionState.Reconnecting, SessionState.Closed },
            // Player stops (reply due, or not with create_response off); barge-in of a reply that already started.
            [SessionState.UserSpeaking] = new[] { SessionState.Listening, SessionState.AgentThinking, SessionState.Interrupted, SessionState.Reconnecting, SessionState.Closed },
            // The reply becomes audible; a reply with no audio ends; the player talks or cuts in.
            [SessionState.AgentThinking] = new[] { SessionState.Listening, SessionState.UserSpeaking, SessionState.AgentSpeaking, SessionState.Interrupted, SessionState.Reconnecting, SessionState.Closed },
            // Playback done (back to the player); barge-in.
            [SessionState.AgentSpeaking] = new[] { SessionState.Listening, SessionState.UserSpeaking, SessionState.Interrupted, SessionState.Reconnecting, SessionState.Closed },
            // After the fade: back to the player; the player's turn already ended (new reply due).
            [SessionState.Interrupted] = new[] { SessionState.Listening, SessionState.UserSpeaking, SessionState.AgentThinking, SessionState.Reconnecting, SessionState.Closed },
            // New connection: idle, a reply is due (tool results queued, tool still running), or a reply that had
            // fully arrived is still playing.
            [SessionState.Reconnecting] = new[] { SessionState.Listening, SessionState.AgentThinking, SessionState.AgentSpeaking, SessionState.Closed },
            [SessionState.Closed] = new SessionState[0],
        };

        public static bool IsAllowed(SessionState from, SessionState to)
        {
            if (!Table.TryGetValue(from, out var next)) return false;
            foreach (var s in next) if (s == to) return true;
            return false;
        }

        /// <summary>The allowed targets of <paramref name="from"/>.</summary>
        public static IReadOnlyList<SessionState> From(SessionState from) => Table.TryGetValue(from, out var next) ? next : new SessionState[0];
    }
}
