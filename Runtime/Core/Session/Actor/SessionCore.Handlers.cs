using System;
using System.Threading.Tasks;
using Parley.Providers;
using Parley.Session.Audio;
using Parley.Session.Metrics;

namespace Parley.Session.Actor
{
    /// <summary>The messages from providers, the host and the clock (all on the loop).</summary>
    sealed partial class SessionCore
    {
        /// <summary>One per connection: its events become messages; its audio goes straight to the agent audio lane.</summary>
        sealed class ProviderListener : IProviderListener
        {
            readonly SessionCore _s;
            readonly int _generation;
            public ProviderListener(SessionCore s, int generation) { _s = s; _generation = generation; }
            public void OnEvent(ProviderEvent e)
            {
                if (e != null) _s.Mailbox.Post(() => _s.OnProviderEvent(_generation, e));
            }
            public void OnAudio(string itemId, ReadOnlySpan<short> pcm) => _s.Output.Write(_generation, itemId, pcm);
        }

        void OnItemAudio(string item)
        {
            if (_state == SessionState.Closed || Output.IsCut(item)) return;
            if (_agentItem != null && _agentItem != item) Output.End(_agentItem);
            _agentItem = item;
            var now = _clock.NowMs;
            if (_turns.FirstAudio(item, now)) Post(new AgentFirstAudio { ItemId = item, TtfbMs = _turns.Current.TtfbMs });
            if (_state == SessionState.Listening) Move(SessionState.AgentThinking);
        }

        void OnProviderEvent(int generation, ProviderEvent e)
        {
            if (generation != _generation || _state == SessionState.Closed) return;
            var now = _clock.NowMs;
            switch (e)
            {
                case SessionStarted s:
                    // Usually raised inside ConnectAsync: the connected event then carries these.
                    _remoteSessionId = s.SessionId;
                    _remoteModel = s.Model;
                    if (_provider != null)
                        Post(new Connected { Provider = _provider.Name, SessionId = s.SessionId, Model = s.Model, TurnTaking = TurnPolicy.Name(_options.TurnTaking) });
                    break;
                case UserSpeechStarted s:
                    Post(new UserSpeechStartedEvent { ItemId = ItemIds.Scope(generation, s.ItemId) });
                    _userSpeaking = true;
                    if (IsAgentActive() && _options.BargeIn && _caps.FullDuplex) Interrupt(InterruptionSource.ProviderVad, now);
                    if (_state == SessionState.Listening || _state == SessionState.AgentThinking) Move(SessionState.UserSpeaking);
                    break;
                case UserSpeechStopped s:
                    Post(new UserSpeechStoppedEvent { ItemId = ItemIds.Scope(generation, s.ItemId) });
                    _userSpeaking = false;
                    History.UserStopped(ItemIds.Scope(generation, s.ItemId));
                    if (_state == SessionState.UserSpeaking || _state == SessionState.Interrupted || _state == SessionState.Listening)
                    {
                        _turns.UserStoppedAtMs = now;
                        _turns.Open("voice", now);
                        var td = _options.Config?.TurnDetection;
                        Move(td == null || td.CreateResponse ? SessionState.AgentThinking : SessionState.Listening);
                    }
                    break;
                case UserTranscript t:
                    if (t.IsFinal) History.UserFinal(ItemIds.Scope(generation, t.ItemId), t.Text);
                    Post(new UserTranscriptEvent { ItemId = ItemIds.Scope(generation, t.ItemId), Text = t.Text, IsFinal = t.IsFinal });
                    break;
                case AgentTranscript t:
                {
                    var item = ItemIds.Scope(generation, t.ItemId);
                    if (item != null && Output.IsCut(item)) break; // the history keeps what was heard
                    History.AgentText(item ?? _agentItem, t.Text, t.IsFinal);
                    Post(new AgentTranscriptEvent { ItemId = item, Text = t.Text, IsFinal = t.IsFinal });
                    break;
                }
                case ResponseStarted r:
                    _responseActive = true;
                    _responseId = ItemIds.Scope(generation, r.ResponseId);
                    _tools.InResponse = 0;
                    _turns.EnsureOpen("server", now);
                    _turns.Current.ResponseId = _responseId ?? ""; // non-null marks "a response belongs to this turn" (Gemini has no ids)
                    if (_state == SessionState.Listening) Move(SessionState.AgentThinking);
                    Post(new ResponseStartedEvent { ResponseId = _responseId });
                    break;
                case AgentAudioDone a:
                {
                    var item = ItemIds.Scope(generation, a.ItemId);
                    if (item != null && !Output.IsCut(item)) Output.End(item);
                    break;
                }
                case ResponseDone d:
                    OnResponseDone(ItemIds.Scope(generation, d.ResponseId), d, now);
                    break;
                case ServerInterrupted _:
                    if (IsAgentActive()) Interrupt(InterruptionSource.Provider, now);
                    break;
                case ToolCallRequested c:
                    StartTool(c);
                    break;
                case ToolCallsCancelled c:
                    _tools.Cancel(c.CallIds);
                    break;
                case UsageReported u:
                    var total = Metrics.AddUsage(u.Usage, u.EstimatedCostUsd, out var totalCost);
                    Post(new UsageEvent { Usage = u.Usage, Total = total, CostUsd = totalCost });
                    break;
                case RateLimitsUpdated r:
                    Post(new RateLimitsEvent { LimitName = r.Name, Limit = r.Limit, Remaining = r.Remaining, ResetSeconds = r.ResetSeconds });
                    break;
                case LatencyReported l:
                    Post(new LatencyEvent
                    {
                        ResponseId = ItemIds.Scope(generation, l.ResponseId), AsrFinalDelayMs = l.AsrFinalDelayMs, LlmFirstTokenMs = l.LlmFirstTokenMs,
                        TtsFirstByteMs = l.TtsFirstByteMs, UserStopToFirstAudioMs = l.UserStopToFirstAudioMs,
                    });
                    break;
                case InputIgnored i:
                    Post(new InputIgnoredEvent { Milliseconds = i.Milliseconds, Reason = i.Reason });
                    break;
                case ResumptionHandleUpdated h:
                    _reconnect.HandleUpdated(h.Handle);
                    break;
                case GoingAway g:
                    if (_reconnect.GoingAway(generation, g.TimeLeft, now)) CheckRenewal();
                    break;
                case ProviderError err:
                    if (err.IsFatal) Lost(generation, err.ErrorKind, err.Code, err.Message);
                    else Error(err.ErrorKind, err.Code, err.Message, ErrorRecovery.None);
                    break;
                case Disconnected d:
                    if (d.ByClient) break;
                    if (d.Error != null) Lost(generation, d.Error.ErrorKind, d.Error.Code, d.Error.Message);
                    else Lost(generation, ProviderErrorKind.Transport, "closed_by_server", "The server closed the connection (" + d.CloseStatus + (string.IsNullOrEmpty(d.Reason) ? "" : " " + d.Reason) + ").");
                    break;
                // Reconnecting / Resumed: providers no longer reconnect by themselves; the session owns it.
            }
        }

        void OnResponseDone(string responseId, ResponseDone d, double now)
        {
            if (responseId == null || responseId == _responseId)
            {
                _responseActive = false;
                if (_agentItem != null) Output.End(_agentItem);
            }
            // Usage is counted from UsageReported only: providers raise it for the same tokens (and priced).
            Post(new ResponseDoneEvent { ResponseId = responseId, Status = d.Status, Reason = d.Reason });
            var turn = _turns.Current;
            if (d.Status == ResponseStatus.Failed && turn != null)
            {
                _turns.Close(TurnOutcome.Failed, now);
                Move(_userSpeaking ? SessionState.UserSpeaking : SessionState.Listening);
            }
            else if (turn != null && turn.ResponseId != null && (responseId == null || responseId == turn.ResponseId)
                     && turn.ItemId == null && _tools.Running == 0 && _tools.InResponse == 0 && _state == SessionState.AgentThinking && !_turns.IsInterrupted)
            {
                // A reply without audio (text-only, or nothing to say): the turn ends here.
                _turns.Close(TurnOutcome.Completed, now);
                Move(_userSpeaking ? SessionState.UserSpeaking : SessionState.Listening);
            }
        }

        bool IsAgentActive()
        {
            if (_state == SessionState.AgentSpeaking) return true;
            return _agentItem != null && !Output.IsCut(_agentItem)
                && (_responseActive || (_playout != null && (_playout.IsPlaying || _playout.QueuedSamples > 0)));
        }

        void Interrupt(InterruptionSource source, double signalAtMs)
        {
            var item = _agentItem;
            var played = _bargeIn.Cut(item, source, signalAtMs, _clock.NowMs, OutputRate);
            _responseActive = false;
            _agentItem = null;
            Move(SessionState.Interrupted);
            if (item != null) Control("interrupt", (p, ct) => p.InterruptAsync(new InterruptRequest(ItemIds.Unscope(item), played), ct));
        }

        // ───────────────────────────── host calls ─────────────────────────────

        public void BeginUserTurn(InterruptionSource source)
        {
            if (_state == SessionState.Closed) return;
            if (IsAgentActive()) Interrupt(source, _clock.NowMs);
            _userSpeaking = true;
            if (_state == SessionState.Listening || _state == SessionState.AgentThinking) Move(SessionState.UserSpeaking);
            Control("start user turn", (p, ct) => p.StartUserTurnAsync(ct));
        }

        public void EndUserTurn(bool localVad)
        {
            if (_state == SessionState.Closed) return;
            _userSpeaking = false;
            var now = _clock.NowMs;
            _turns.UserStoppedAtMs = now;
            _turns.Open(localVad ? "local_vad" : "push_to_talk", now);
            if (_state != SessionState.AgentSpeaking && _state != SessionState.Reconnecting) Move(SessionState.AgentThinking);
            Control("end user turn", (p, ct) => p.EndUserTurnAsync(ct));
        }

        public void LocalVoiceActivity(bool speaking)
        {
            if (_options.TurnTaking == TurnTaking.LocalVad)
            {
                if (speaking) BeginUserTurn(InterruptionSource.LocalVad);
                else EndUserTurn(true);
            }
            else if (speaking && _options.BargeIn && IsAgentActive() && _caps != null)
            {
                // A local VAD reacts before the server's: cut the reply now; the provider's own detection follows. A
                // half-duplex provider (MiniCPM-o) never hears the player over its voice: this is its only barge-in.
                Interrupt(InterruptionSource.LocalVad, _clock.NowMs);
            }
        }

        public void SendText(string text, TaskCompletionSource<bool> done)
        {
            if (_provider == null) { done.TrySetException(new InvalidOperationException("Not connected (state " + _state + ").")); return; }
            if (IsAgentActive()) Interrupt(InterruptionSource.Host, _clock.NowMs);
            History.User(text);
            _turns.Open("text", _clock.NowMs);
            Move(SessionState.AgentThinking);
            var generation = _generation;
            Control("text", (p, ct) => p.SendTextAsync(text, ct), e =>
            {
                done.TrySetException(e);
                if (e is ProviderException pe && pe.Kind == ProviderErrorKind.Transport) Lost(generation, pe.Kind, pe.Code, "text failed: " + pe.Message);
            }, () => done.TrySetResult(true));
        }

        /// <summary>
        /// Game context without a reply: always into the heard history (saved, restored, replayed to a fresh
        /// connection); on the wire now, or held until that is safe (see <see cref="ContextDelivery"/>).
        /// </summary>
        public void AddContext(string text, TaskCompletionSource<ContextDelivery> done)
        {
            if (_state == SessionState.Closed) { done.TrySetException(new InvalidOperationException("The session is closed.")); return; }
            History.Add(new HistoryItem(HistoryRole.System, text));
            var p = _provider;
            if (p != null && !(p is IContextProvider)) { done.TrySetResult(ContextDelivery.Deferred); return; }
            if (p == null || _heldContext.Count > 0 || ContextWouldCutReply())
            {
                _heldContext.Add(text);
                done.TrySetResult(ContextDelivery.Queued);
                return;
            }
            SendContext(text, done);
        }

        /// <summary>A reply is being generated, owed (the player's turn ended, no response yet) or waits on a tool.</summary>
        bool ContextWouldCutReply() => _caps != null && _caps.ContextInterruptsReply &&
            (_responseActive || _tools.Running > 0 || (_state == SessionState.AgentThinking && (_turns.Current == null || _turns.Current.ResponseId == null)));

        void SendContext(string text, TaskCompletionSource<ContextDelivery> done)
        {
            var generation = _generation;
            var result = ContextDelivery.Sent;
            if (!Control("context", async (p, ct) => result = await ((IContextProvider)p).AddContextAsync(text, ct).ConfigureAwait(false), e =>
            {
                var pe = e as ProviderException;
                if (pe != null && pe.Kind == ProviderErrorKind.Transport)
                {
                    // Not lost: it goes out on the next connection (in the seeded history, or sent after a resume).
                    _heldContext.Add(text);
                    done?.TrySetResult(ContextDelivery.Queued);
                    Lost(generation, pe.Kind, pe.Code, "context failed: " + pe.Message);
                    return;
                }
                if (e is OperationCanceledException && _life.IsCancellationRequested) { done?.TrySetCanceled(); return; }
                Error(pe?.Kind ?? ProviderErrorKind.Internal, pe?.Code ?? "client_error", "context refused: " + e.Message, ErrorRecovery.None);
                done?.TrySetException(e);
            }, () => done?.TrySetResult(result)))
            {
                _heldContext.Add(text);
                done?.TrySetResult(ContextDelivery.Queued);
            }
        }

        /// <summary>Held context goes out, in order, once connected and no reply it would cut is in progress.</summary>
        void FlushContext()
        {
            if (_heldContext.Count == 0 || _provider == null || _state == SessionState.Closed || ContextWouldCutReply()) return;
            if (!(_provider is IContextProvider)) { _heldContext.Clear(); return; } // in the history already: the next fresh connection gets it
            var held = _heldContext.ToArray();
            _heldContext.Clear();
            foreach (var text in held) SendContext(text, null);
        }

        public void InterruptByHost()
        {
            if (IsAgentActive()) Interrupt(InterruptionSource.Host, _clock.NowMs);
        }

        // ───────────────────────────── tick ─────────────────────────────

        /// <summary>What the speaker did since the last tick (first audible sample, end of playback) and due renewals.</summary>
        public void Tick()
        {
            if (_state == SessionState.Closed) return;
            var now = _clock.NowMs;
            UpdateCounters();
            switch (_state)
            {
                case SessionState.AgentThinking:
                    if (_playout != null && _agentItem != null && _playout.IsPlaying && _playout.CurrentItemId == _agentItem)
                        BecameAudible(now);
                    else if (_playout == null && !_responseActive && _tools.Running == 0 && _turns.Current != null && _turns.Current.ResponseId != null)
                        CompleteTurn(now);
                    break;
                case SessionState.AgentSpeaking:
                    if (!_responseActive && _tools.Running == 0 && ReplyPlayedOut()) CompleteTurn(now);
                    break;
                case SessionState.Interrupted:
                    if (now - _bargeIn.LastAtMs >= (_playout?.FlushFadeMs ?? 0))
                        Move(_userSpeaking ? SessionState.UserSpeaking : SessionState.Listening);
                    break;
                case SessionState.Reconnecting:
                    // A reply that had fully arrived plays on while the connection is replaced: its turn ends when it has played.
                    if (_agentItem != null && !_responseActive && _tools.Running == 0 && ReplyPlayedOut()) CompleteTurn(now, false);
                    break;
            }
            FlushContext();
            CheckRenewal();
        }

        void UpdateCounters()
        {
            if (_playout != null) Metrics.Underruns = _playout.Underruns;
            Metrics.DroppedInputSamples = Input.Dropped;
            Metrics.PlayoutOverflows = Output.Overflows;
        }

        void BecameAudible(double now)
        {
            Move(SessionState.AgentSpeaking);
            if (_turns.Audible(now)) Post(new AgentAudible { ItemId = _agentItem, TimeToFirstAudioMs = _turns.Current.TimeToFirstAudioMs });
        }

        bool ReplyPlayedOut() => _playout == null || (!_playout.IsPlaying && _playout.QueuedSamples == 0);

        /// <summary>The reply played out. <paramref name="move"/> false while reconnecting (the state stays until the new connection is up).</summary>
        void CompleteTurn(double now, bool move = true)
        {
            var item = _agentItem;
            var played = item != null && _playout != null ? _playout.PlayedMs(item) : 0;
            if (item != null)
            {
                History.Completed(item);
                Post(new AgentPlaybackDone { ItemId = item, PlayedMs = played });
            }
            _turns.Close(TurnOutcome.Completed, now, played);
            _agentItem = null;
            if (move) Move(_userSpeaking ? SessionState.UserSpeaking : SessionState.Listening);
        }
    }
}
