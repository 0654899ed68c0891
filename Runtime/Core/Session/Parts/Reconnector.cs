using System;
using System.Collections.Generic;
using Parley.Providers;

namespace Parley.Session.Parts
{
    /// <summary>
    /// The session's one reconnect: which causes lead to a new connection (and which close the session),
    /// resume by handle or start fresh with the heard history, back-off between attempts, and when to renew a
    /// healthy connection (goAway, the provider's cap). One cause per connection: the first loss reported for a
    /// connection (error, disconnect, failed send) starts one reconnect; later reports of the same loss are
    /// ignored. Loop-owned.
    /// </summary>
    sealed class Reconnector
    {
        readonly ReconnectPolicy _policy;
        readonly Random _random;
        bool _handleRefused;

        public Reconnector(ReconnectPolicy policy, Random random)
        {
            _policy = policy;
            _random = random;
        }

        public ReconnectPolicy Policy => _policy;

        /// <summary>The latest resumable handle of the server session (null: none yet).</summary>
        public string ResumeHandle { get; private set; }

        /// <summary>A reconnect is under way (from the cause until connected or given up).</summary>
        public bool InProgress;
        public int Attempt;
        public string Reason;
        public bool Planned;
        public ReconnectMode Mode;
        /// <summary>The generation whose loss started the reconnect in progress (or the last one).</summary>
        public int LostGeneration = -1;

        /// <summary>A planned renewal is due at the next quiet moment (goAway, cap).</summary>
        public bool RenewRequested;
        public string RenewReason;
        public double RenewAtMs = double.PositiveInfinity;
        /// <summary>The generation that already asked for renewal (goAway counted once per connection).</summary>
        public int RenewGeneration = -1;

        public void HandleUpdated(string handle)
        {
            if (string.IsNullOrEmpty(handle)) return;
            ResumeHandle = handle;
            _handleRefused = false;
        }

        /// <summary>Errors a new connection can cure; the rest would fail again the same way.</summary>
        public static bool IsRecoverable(ProviderErrorKind kind)
        {
            switch (kind)
            {
                case ProviderErrorKind.Transport:
                case ProviderErrorKind.Server:
                case ProviderErrorKind.Stalled:
                case ProviderErrorKind.Protocol:
                    return true;
                default:
                    return false; // Authentication, InvalidRequest, RateLimited, Unsupported
            }
        }

        public bool CanResume(ProviderCapabilities caps) => caps != null && caps.Resumption && !string.IsNullOrEmpty(ResumeHandle) && !_handleRefused;

        /// <summary>A resume by handle failed: the next attempt starts a fresh session with the history.</summary>
        public void ResumeRefused() => _handleRefused = true;

        public TimeSpan DelayFor(int attempt, bool planned) =>
            planned && attempt == 1 ? TimeSpan.Zero : _policy.DelayFor(attempt, _random);

        public bool MoreAttempts(int attempt) => attempt < Math.Max(1, _policy.MaxAttempts);

        public void Connected(double nowMs, TimeSpan providerCap)
        {
            InProgress = false;
            Attempt = 0;
            RenewRequested = false;
            var cap = _policy.MaxSessionDuration > TimeSpan.Zero ? _policy.MaxSessionDuration : providerCap;
            RenewAtMs = _policy.RenewAtMs(nowMs, cap);
        }

        /// <summary>goAway: renew at the next quiet moment, and no later than half the warning.</summary>
        public bool GoingAway(int generation, TimeSpan timeLeft, double nowMs)
        {
            if (RenewGeneration == generation) return false; // one renewal per connection
            RenewGeneration = generation;
            RenewRequested = true;
            RenewReason = "server going away in " + (int)timeLeft.TotalSeconds + " s";
            RenewAtMs = Math.Min(RenewAtMs, nowMs + timeLeft.TotalMilliseconds / 2 - _policy.RenewBeforeCap.TotalMilliseconds / 2);
            return true;
        }

        /// <summary>Whether a planned renewal should start now.</summary>
        public bool RenewDue(double nowMs, bool quiet, out string reason)
        {
            reason = null;
            if (InProgress) return false;
            var forced = nowMs >= RenewAtMs + _policy.RenewBeforeCap.TotalMilliseconds / 2;
            if (!quiet && !forced) return false;
            if (RenewRequested) { reason = RenewReason; return true; }
            if (nowMs >= RenewAtMs) { reason = "session cap approaching"; return true; }
            return false;
        }

        /// <summary>The configuration for the next connection: the handle, or the heard history replayed.</summary>
        public SessionConfig ConfigFor(SessionConfig b, bool byHandle, List<HistoryItem> history)
        {
            var c = new SessionConfig
            {
                Model = b.Model, Voice = b.Voice, Instructions = b.Instructions, TurnDetection = b.TurnDetection,
                InputTranscription = b.InputTranscription, TranscriptionModel = b.TranscriptionModel, Language = b.Language,
                NoiseReduction = b.NoiseReduction, MaxOutputTokens = b.MaxOutputTokens,
                ResumeHandle = byHandle ? ResumeHandle : null,
            };
            c.Tools.AddRange(b.Tools);
            // Without a handle the new session knows nothing: give it what the player heard.
            if (!byHandle) c.History.AddRange(history);
            return c;
        }
    }
}
