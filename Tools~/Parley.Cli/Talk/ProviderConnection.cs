using System;
using System.Threading.Tasks;
using Parley.Providers;

namespace Parley.Cli.Talk
{
    /// <summary>How `talk` makes providers, and what to shut down after (the in-process emulator).</summary>
    sealed class ProviderConnection : IAsyncDisposable
    {
        public string Name;
        public Func<IVoiceProvider> Factory;
        public IAsyncDisposable Owned = null;
        /// <summary>Input audio the in-process server has processed, in ms (the emulator), or null for remote servers.</summary>
        public Func<double> ServerHeardMs;
        /// <summary>Said after the cost in the summary (where the prices come from), or null.</summary>
        public string CostNote;

        public ValueTask DisposeAsync() => Owned?.DisposeAsync() ?? default;
    }
}
