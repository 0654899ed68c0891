using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Parley.Providers;

namespace Parley.Tests.Session.Support
{
    /// <summary>
    /// Wraps a provider and records every time a control call (connect, turn signals, text, interrupt, tool
    /// result, disconnect) starts while another one has not finished, as <see cref="IVoiceProvider"/> forbids.
    /// Audio sends may run alongside (passed straight through). With <c>slow</c> each control call yields first, so a session that did not
    /// wait for the previous call would overlap for certain.
    /// </summary>
    public sealed class OverlapGuardProvider : ForwardingProvider
    {
        readonly bool _slow;
        readonly object _gate = new object();
        readonly List<string> _violations = new List<string>();
        string _inFlight;
        int _calls;

        public OverlapGuardProvider(IVoiceProvider inner, bool slow) : base(inner)
        {
            _slow = slow;
        }

        public List<string> Violations { get { lock (_gate) return new List<string>(_violations); } }
        /// <summary>Control calls made through the guard.</summary>
        public int Calls { get { lock (_gate) return _calls; } }


        async Task Guard(string what, Func<Task> call)
        {
            lock (_gate)
            {
                _calls++;
                if (_inFlight != null) _violations.Add(what + " started while " + _inFlight + " was running");
                _inFlight = what;
            }
            try
            {
                if (_slow) await Task.Yield();
                await call().ConfigureAwait(false);
            }
            finally
            {
                lock (_gate) if (_inFlight == what) _inFlight = null;
            }
        }

        public override Task ConnectAsync(SessionConfig config, IProviderListener listener, CancellationToken ct) => Guard("connect", () => Inner.ConnectAsync(config, listener, ct));
        public override Task StartUserTurnAsync(CancellationToken ct) => Guard("start_turn", () => Inner.StartUserTurnAsync(ct));
        public override Task EndUserTurnAsync(CancellationToken ct) => Guard("end_turn", () => Inner.EndUserTurnAsync(ct));
        public override Task SendTextAsync(string text, CancellationToken ct) => Guard("text", () => Inner.SendTextAsync(text, ct));
        public override Task InterruptAsync(InterruptRequest request, CancellationToken ct) => Guard("interrupt", () => Inner.InterruptAsync(request, ct));
        public override Task SendToolResultAsync(string callId, string name, string resultJson, CancellationToken ct) => Guard("tool_result", () => Inner.SendToolResultAsync(callId, name, resultJson, ct));
        public override Task DisconnectAsync(CancellationToken ct) => Guard("disconnect", () => Inner.DisconnectAsync(ct));
        public override async Task<ContextDelivery> AddContextAsync(string text, CancellationToken ct)
        {
            var result = ContextDelivery.Deferred;
            await Guard("context", async () => result = await base.AddContextAsync(text, ct).ConfigureAwait(false)).ConfigureAwait(false);
            return result;
        }
    }
}
