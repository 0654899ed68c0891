using System;
using System.Collections.Generic;
using System.Threading;
using Newtonsoft.Json;
using Parley.Providers;
using Parley.Session;

namespace Parley.Unity.Agent
{
    // Session events → the game's events, ending a conversation, and the saved history.
    public sealed partial class VoiceAgent
    {
        void OnSessionEvent(SessionEvent e)
        {
            switch (e)
            {
                case StateChanged s:
                    Touch();   // idle time counts from the last change (e.g. the agent finished speaking)
                    StateChanged?.Invoke(s.From, s.To);
                    events.stateChanged.Invoke(s.To);
                    break;
                case UserTranscriptEvent u:
                    Touch();
                    UserTranscript?.Invoke(u.Text, u.IsFinal);
                    (u.IsFinal ? events.userTranscriptFinal : events.userTranscriptPartial).Invoke(u.Text);
                    break;
                case AgentTranscriptEvent a:
                    Touch();
                    AgentTranscript?.Invoke(a.Text, a.IsFinal);
                    (a.IsFinal ? events.agentTranscriptFinal : events.agentTranscriptPartial).Invoke(a.Text);
                    break;
                case ToolCallStarted t:
                    Touch();
                    ToolCalled?.Invoke(t);
                    events.toolCalled.Invoke(t.ToolName);
                    break;
                case SessionErrorEvent err:
                    Error?.Invoke(err);
                    events.error.Invoke(err.Code + ": " + err.Message);
                    break;
                case TurnCompleted turn:
                    TurnMetricsReported?.Invoke(turn.Turn);
                    events.turnMetrics.Invoke(turn.Turn);
                    break;
                case UsageEvent usage:
                    if (maxCostUsd > 0 && usage.CostUsd >= maxCostUsd)
                    {
                        SessionEventRaised?.Invoke(e);
                        Fail("cost_cap", "The conversation reached its cost cap of $" + maxCostUsd.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".", AgentStopReason.CostCap);
                        return;
                    }
                    break;
                case Closed _:
                    SessionEventRaised?.Invoke(e);
                    Finish(LastStopReason);
                    return;
            }
            SessionEventRaised?.Invoke(e);
        }

        /// <summary>Reports an error the agent found itself (as the session reports its own), optionally ending the conversation.</summary>
        void Fail(string code, string message, AgentStopReason reason, bool close = true, ProviderErrorKind? kind = null)
        {
            var err = new SessionErrorEvent
            {
                Kind = kind ?? (reason == AgentStopReason.Credentials ? ProviderErrorKind.Authentication : ProviderErrorKind.InvalidRequest),
                Code = code, Message = message, Recovery = close ? ErrorRecovery.Closing : ErrorRecovery.None, IsFatal = close,
            };
            UnityEngine.Debug.LogWarning("Parley VoiceAgent '" + name + "': " + message);
            Error?.Invoke(err);
            events.error.Invoke(code + ": " + message);
            if (close) Teardown(graceful: true, reason);
        }

        /// <summary>
        /// Ends the conversation. Graceful: the session closes the provider and raises Closed, which finishes the
        /// teardown; the capture stops feeding it at once. Not graceful (disable, destroy, quit): the session is
        /// aborted now — its loop stops and the provider's socket is disposed before this returns.
        /// </summary>
        void Teardown(bool graceful, AgentStopReason reason)
        {
            if (reason != AgentStopReason.None) LastStopReason = reason;
            _consent = null;
            _awaitingMicrophone = false;
            _capture?.RemoveSink(this);
            var session = _session;
            if (session == null) { CancelLife(); return; }
            if (graceful && session.State != SessionState.Idle && session.State != SessionState.Closed)
            {
                _lastHistory = session.History();
                // Closed arrives through the dispatcher and calls Finish. The session bounds its own control calls
                // (ControlCallTimeout), so no token of ours is needed; one disposed here while the close still ran
                // would throw on Mono when the session registers on it.
                _ = session.CloseAsync(CancellationToken.None);
                return;
            }
            Finish(reason);
        }

        void Finish(AgentStopReason reason)
        {
            var session = _session;
            if (session == null) return;
            _session = null;
            _starting = null;
            _lastHistory = session.History();
            session.EventRaised -= OnSessionEvent;
            session.Dispose();
            ReleaseFrontEnd();
            _transports.Clear();
            CancelLife();
            _capture?.RemoveSink(this);
            if (Voice != null) Voice.Detach();
            ConversationEnded?.Invoke(LastStopReason);
            events.conversationEnded.Invoke();
        }

        void CancelLife()
        {
            var life = _life;
            _life = null;
            if (life == null) return;
            life.Cancel();
            life.Dispose();
        }

        // ───────────── history ─────────────

        /// <summary>The conversation as the player heard it (the current one, or the last one), as JSON.</summary>
        public string SaveHistoryJson()
        {
            var items = _session != null ? _session.History() : _lastHistory;
            var list = new List<SavedItem>(items.Count);
            foreach (var h in items) list.Add(new SavedItem { role = h.Role.ToString(), text = h.Text, callId = h.CallId, tool = h.ToolName });
            return JsonConvert.SerializeObject(list);
        }

        /// <summary>Restores a saved history: the next conversation starts with it as context. Throws <see cref="FormatException"/> on bad JSON.</summary>
        public void RestoreHistoryJson(string json)
        {
            List<SavedItem> list;
            try { list = JsonConvert.DeserializeObject<List<SavedItem>>(json ?? string.Empty); }
            catch (JsonException e) { throw new FormatException("Not a saved Parley history: " + e.Message, e); }
            if (list == null) throw new FormatException("Not a saved Parley history: empty.");
            var items = new List<HistoryItem>(list.Count);
            foreach (var s in list)
            {
                if (!Enum.TryParse(s.role, out HistoryRole role)) throw new FormatException("Unknown history role '" + s.role + "'.");
                items.Add(new HistoryItem(role, s.text) { CallId = s.callId, ToolName = s.tool });
            }
            _pendingHistory.AddRange(items);
        }

        sealed class SavedItem
        {
            public string role;
            public string text;
            public string callId;
            public string tool;
        }
    }
}
