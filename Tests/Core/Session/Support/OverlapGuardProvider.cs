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
    /// Audio sends may run alongside. With <c>slow</c> each control call yields first, so a session that did not
    /// wait for the previous call would overlap for certain.
    /// </summary>
    public sealed class OverlapGuardProvider : IVoiceProvider
    {
        readonly IVoiceProvider _inner;
        readonly bool _slow;
        readonly object _gate = new object();
        readonly List<string> _violations = new List<string>();
        string _inFlight;
        int _calls;

        public OverlapGuardProvider(IVoiceProvider inner, bool slow)
        {
            _inner = inner;
            _slow = slow;
        }

        public IVoiceProvider Inner => _inner;
        public List<string> Violations { get { lock (_gate) return new List<string>(_violations); } }
        /// <summary>Control calls made through the guard.</summary>
        public int Calls { get { lock (_gate) return _calls; } }

        public string Name => _inner.Name;
        public ProviderCapabilities Capabilities => _inner.Capabilities;
        public bool IsConnected => _inner.IsConnected;

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

        public Task ConnectAsync(SessionConfig config, IProviderListener listener, CancellationToken ct) => Guard("connect", () => _inner.ConnectAsync(config, listener, ct));
        public ValueTask SendAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken ct) => _inner.SendAudioAsync(pcm, ct);
        public Task StartUserTurnAsync(CancellationToken ct) => Guard("start_turn", () => _inner.StartUserTurnAsync(ct));
        public Task EndUserTurnAsync(CancellationToken ct) => Guard("end_turn", () => _inner.EndUserTurnAsync(ct));
        public Task SendTextAsync(string text, CancellationToken ct) => Guard("text", () => _inner.SendTextAsync(text, ct));
        public Task InterruptAsync(InterruptRequest request, CancellationToken ct) => Guard("interrupt", () => _inner.InterruptAsync(request, ct));
        public Task SendToolResultAsync(string callId, string name, string resultJson, CancellationToken ct) => Guard("tool_result", () => _inner.SendToolResultAsync(callId, name, resultJson, ct));
        public Task DisconnectAsync(CancellationToken ct) => Guard("disconnect", () => _inner.DisconnectAsync(ct));
        public void Dispose() => _inner.Dispose();
    }
}
