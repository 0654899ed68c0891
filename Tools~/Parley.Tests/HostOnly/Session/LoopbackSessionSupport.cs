using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Parley.Providers;
using Parley.Session;
using Parley.Tests.Session.Support;

namespace Parley.Tests.HostOnly.Session
{
    /// <summary>A session's events as the loopback tests collect them (from any thread), and a polled wait on them.</summary>
    sealed class SessionEventRecorder
    {
        /// <summary>How long a loopback wait may take on a loaded machine.</summary>
        public static readonly TimeSpan T = TimeSpan.FromSeconds(30);

        readonly List<SessionEvent> _events = new List<SessionEvent>();
        public void Add(SessionEvent e) { lock (_events) _events.Add(e); }
        public List<TE> Of<TE>() where TE : SessionEvent { lock (_events) return _events.OfType<TE>().ToList(); }
        public string Names() { lock (_events) return string.Join(", ", _events.Select(e => e.Name)); }

        /// <summary>Ticks the session (and runs <paramref name="each"/>) until the condition holds or <see cref="T"/> passes.</summary>
        public bool WaitFor(Func<bool> condition, VoiceSession s, Action each = null)
        {
            var deadline = DateTime.UtcNow + T;
            while (DateTime.UtcNow < deadline)
            {
                each?.Invoke();
                s.Tick();
                if (condition()) return true;
                Thread.Sleep(5); // polling a background loop; the bound is generous
            }
            return condition();
        }

        public bool WaitFor(Func<SessionEventRecorder, bool> condition, VoiceSession s) => WaitFor(() => condition(this), s);
    }

    /// <summary>Holds a provider's connect until the gate completes (an outage stays open as long as the test needs).</summary>
    sealed class GatedProvider : ForwardingProvider
    {
        readonly Task _gate;
        public GatedProvider(IVoiceProvider inner, Task gate) : base(inner) { _gate = gate; }
        public override async Task ConnectAsync(SessionConfig config, IProviderListener listener, CancellationToken ct)
        {
            await _gate.WaitAsync(SessionEventRecorder.T, ct).ConfigureAwait(false);
            await Inner.ConnectAsync(config, listener, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// An outage test's providers: each behind the overlap guard (kept for its violations); every one after the first
    /// connects only once <see cref="Release"/> is called, so the outage stays open as long as the test needs.
    /// </summary>
    sealed class HeldReconnects
    {
        readonly Func<IVoiceProvider> _make;
        readonly TaskCompletionSource<bool> _release = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        readonly List<OverlapGuardProvider> _guards = new List<OverlapGuardProvider>();
        int _made;

        public HeldReconnects(Func<IVoiceProvider> make) { _make = make; }

        /// <summary>The session's provider factory.</summary>
        public IVoiceProvider Make()
        {
            var p = _make();
            if (Interlocked.Increment(ref _made) > 1) p = new GatedProvider(p, _release.Task);
            var g = new OverlapGuardProvider(p, false);
            lock (_guards) _guards.Add(g);
            return g;
        }

        public void Release() => _release.SetResult(true);

        public List<OverlapGuardProvider> Guards { get { lock (_guards) return _guards.ToList(); } }
    }
}
