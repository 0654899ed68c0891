using System;
using System.Threading.Tasks;
using Parley.Providers;
using Parley.Session.Metrics;

namespace Parley.Cli.Talk
{
    /// <summary>How `talk` makes providers, what they cost, and what to shut down after (the in-process emulator).</summary>
    sealed class ProviderConnection : IAsyncDisposable
    {
        public string Name;
        public Func<IVoiceProvider> Factory;
        public CostModel Cost = CostModel.Free();
        public IAsyncDisposable Owned = null;

        public ValueTask DisposeAsync() => Owned?.DisposeAsync() ?? default;
    }
}
