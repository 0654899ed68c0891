using System;

namespace Parley.Session
{
    /// <summary>
    /// When to retry a dropped connection and when to renew a healthy one before the server's cap.
    /// Exponential backoff with full jitter on each step, so many clients dropped together do not retry in step.
    /// </summary>
    public sealed class ReconnectPolicy
    {
        public bool Enabled = true;
        public TimeSpan InitialDelay = TimeSpan.FromMilliseconds(250);
        public TimeSpan MaxDelay = TimeSpan.FromSeconds(10);
        public double Multiplier = 2;
        /// <summary>Fraction of each delay that is random (0 = none, 1 = anywhere from 0 to the delay).</summary>
        public double Jitter = 0.5;
        public int MaxAttempts = 6;
        /// <summary>Renew this long before the provider's session cap (OpenAI closes sessions at 60 minutes).</summary>
        public TimeSpan RenewBeforeCap = TimeSpan.FromMinutes(2);
        /// <summary>Overrides the provider's session cap (<c>ProviderCapabilities.MaxSessionDuration</c>; OpenAI reports 60 minutes) when non-zero; zero = the provider's.</summary>
        public TimeSpan MaxSessionDuration = TimeSpan.Zero;
        /// <summary>Player audio kept while reconnecting; older audio is dropped (counted) beyond it.</summary>
        public TimeSpan MaxBufferedAudio = TimeSpan.FromSeconds(10);

        /// <summary>Delay before attempt <paramref name="attempt"/> (1-based).</summary>
        public TimeSpan DelayFor(int attempt, Random random)
        {
            if (attempt < 1) attempt = 1;
            var ms = InitialDelay.TotalMilliseconds * Math.Pow(Multiplier, attempt - 1);
            ms = Math.Min(ms, MaxDelay.TotalMilliseconds);
            var j = Math.Max(0, Math.Min(1, Jitter));
            ms = ms * (1 - j) + ms * j * random.NextDouble();
            return TimeSpan.FromMilliseconds(ms);
        }

        /// <summary>When to renew a session that started at <paramref name="startedMs"/>, or +∞ when the provider has no cap.</summary>
        public double RenewAtMs(double startedMs, TimeSpan providerCap)
        {
            if (providerCap <= TimeSpan.Zero) return double.PositiveInfinity;
            var renew = providerCap - RenewBeforeCap;
            if (renew < TimeSpan.Zero) renew = TimeSpan.FromTicks(providerCap.Ticks / 2);
            return startedMs + renew.TotalMilliseconds;
        }
    }
}
