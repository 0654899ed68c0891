using System;
using System.Collections.Generic;
using Parley.Providers;

namespace Parley.Session.Metrics
{
    /// <summary>
    /// Per-turn and per-session figures. Written on the session's event path, read on the main thread:
    /// take a <see cref="Snapshot"/> rather than reading lists while a conversation runs.
    /// </summary>
    public sealed class SessionMetrics
    {
        readonly object _gate = new object();
        readonly List<TurnMetrics> _turns = new List<TurnMetrics>();
        readonly List<double> _toolDurations = new List<double>();
        TokenUsage _tokens;
        double _costUsd;
        int _unpricedUsage;

        public long Underruns;
        public long PlayoutOverflows;
        public long DroppedInputSamples;
        public int Reconnects;
        public double SessionStartMs;
        public double SessionEndMs;

        internal void AddTurn(TurnMetrics t) { lock (_gate) _turns.Add(t); }
        internal void AddToolDuration(double ms) { lock (_gate) _toolDurations.Add(ms); }
        internal TokenUsage AddUsage(in TokenUsage u, double? costUsd, out double totalCostUsd)
        {
            lock (_gate)
            {
                _tokens.Add(u);
                if (costUsd.HasValue) _costUsd += costUsd.Value;
                else if (u.TotalTokens > 0) _unpricedUsage++;
                totalCostUsd = _costUsd;
                return _tokens;
            }
        }

        public TokenUsage Tokens { get { lock (_gate) return _tokens; } }
        /// <summary>Sum of the providers' estimates (<see cref="UsageReported.EstimatedCostUsd"/>, from their <see cref="PriceTable"/>).</summary>
        public double CostUsd { get { lock (_gate) return _costUsd; } }
        /// <summary>Usage reports with tokens but no estimate (no prices for that model): <see cref="CostUsd"/> leaves them out.</summary>
        public int UnpricedUsageReports { get { lock (_gate) return _unpricedUsage; } }

        public List<TurnMetrics> Turns() { lock (_gate) return new List<TurnMetrics>(_turns); }

        /// <summary>Completed turns over all finished turns (1 when none finished).</summary>
        public double TurnCompletionRate
        {
            get
            {
                lock (_gate)
                {
                    if (_turns.Count == 0) return 1;
                    var done = 0;
                    foreach (var t in _turns) if (t.Outcome == TurnOutcome.Completed) done++;
                    return done / (double)_turns.Count;
                }
            }
        }

        public MetricsSnapshot Snapshot()
        {
            lock (_gate)
            {
                var s = new MetricsSnapshot
                {
                    Turns = _turns.Count,
                    TurnCompletionRate = TurnCompletionRate,
                    Underruns = Underruns,
                    PlayoutOverflows = PlayoutOverflows,
                    DroppedInputSamples = DroppedInputSamples,
                    Reconnects = Reconnects,
                    Tokens = _tokens,
                    CostUsd = _costUsd,
                    UnpricedUsageReports = _unpricedUsage,
                    DurationMs = SessionEndMs - SessionStartMs,
                };
                foreach (var t in _turns)
                {
                    if (t.Outcome == TurnOutcome.Completed) s.CompletedTurns++;
                    if (t.Outcome == TurnOutcome.Interrupted) s.InterruptedTurns++;
                }
                s.Ttfb = Summary.Of(_turns, t => t.TtfbMs);
                s.TimeToFirstAudio = Summary.Of(_turns, t => t.TimeToFirstAudioMs);
                s.UserStopToBotStart = Summary.Of(_turns, t => t.UserStopToBotStartMs);
                s.InterruptionLatency = Summary.Of(_turns, t => t.InterruptionLatencyMs);
                s.ToolCallDuration = Summary.Of(_toolDurations, d => d);
                return s;
            }
        }
    }

    /// <summary>Count, mean, median, p95 and max of one timing (ms), NaN when there were none.</summary>
    public struct Summary
    {
        public int Count;
        public double Mean, P50, P95, Max;

        public static Summary Of<T>(List<T> items, Func<T, double> pick)
        {
            var v = new List<double>();
            foreach (var i in items) { var x = pick(i); if (!double.IsNaN(x)) v.Add(x); }
            var s = new Summary { Count = v.Count, Mean = double.NaN, P50 = double.NaN, P95 = double.NaN, Max = double.NaN };
            if (v.Count == 0) return s;
            v.Sort();
            double sum = 0;
            foreach (var x in v) sum += x;
            s.Mean = sum / v.Count;
            s.P50 = Percentile(v, 0.5);
            s.P95 = Percentile(v, 0.95);
            s.Max = v[v.Count - 1];
            return s;
        }

        static double Percentile(List<double> sorted, double p)
        {
            var pos = p * (sorted.Count - 1);
            var lo = (int)Math.Floor(pos);
            var hi = Math.Min(sorted.Count - 1, lo + 1);
            return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
        }
    }

    /// <summary>Session-level figures at one moment.</summary>
    public sealed class MetricsSnapshot
    {
        public int Turns, CompletedTurns, InterruptedTurns, Reconnects;
        public double TurnCompletionRate;
        public Summary Ttfb, TimeToFirstAudio, UserStopToBotStart, InterruptionLatency, ToolCallDuration;
        public long Underruns, PlayoutOverflows, DroppedInputSamples;
        public TokenUsage Tokens;
        public double CostUsd;
        /// <summary>Usage reports left out of <see cref="CostUsd"/> because their model had no prices.</summary>
        public int UnpricedUsageReports;
        public double DurationMs;
    }
}
