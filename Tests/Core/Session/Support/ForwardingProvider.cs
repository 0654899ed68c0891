using System;
using System.Threading;
using System.Threading.Tasks;
using Parley.Providers;

namespace Parley.Tests.Session.Support
{
    /// <summary>A provider that passes every call to <see cref="Inner"/>; test wrappers override the calls they watch or hold.</summary>
    public class ForwardingProvider : IVoiceProvider, IContextProvider
    {
        public ForwardingProvider(IVoiceProvider inner) { Inner = inner ?? throw new ArgumentNullException(nameof(inner)); }

        public IVoiceProvider Inner { get; }
        public string Name => Inner.Name;
        public ProviderCapabilities Capabilities => Inner.Capabilities;
        public bool IsConnected => Inner.IsConnected;
        public virtual Task ConnectAsync(SessionConfig config, IProviderListener listener, CancellationToken ct) => Inner.ConnectAsync(config, listener, ct);
        public virtual ValueTask SendAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken ct) => Inner.SendAudioAsync(pcm, ct);
        public virtual Task StartUserTurnAsync(CancellationToken ct) => Inner.StartUserTurnAsync(ct);
        public virtual Task EndUserTurnAsync(CancellationToken ct) => Inner.EndUserTurnAsync(ct);
        public virtual Task SendTextAsync(string text, CancellationToken ct) => Inner.SendTextAsync(text, ct);
        public virtual Task InterruptAsync(InterruptRequest request, CancellationToken ct) => Inner.InterruptAsync(request, ct);
        public virtual Task SendToolResultAsync(string callId, string name, string resultJson, CancellationToken ct) => Inner.SendToolResultAsync(callId, name, resultJson, ct);
        /// <summary>Forwarded when the inner provider takes context; otherwise what the session does for such a provider (history only).</summary>
        public virtual Task<ContextDelivery> AddContextAsync(string text, CancellationToken ct) =>
            Inner is IContextProvider c ? c.AddContextAsync(text, ct) : Task.FromResult(ContextDelivery.Deferred);
        public virtual Task DisconnectAsync(CancellationToken ct) => Inner.DisconnectAsync(ct);
        public virtual void Dispose() => Inner.Dispose();
    }
}
