using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Parley.Cli.Commands;
using Parley.Session.Recording;

namespace Parley.Cli.Talk
{
    /// <summary>Turns `talk`'s provider options into a provider factory (the only place that knows each provider's type).</summary>
    static class ProviderCatalog
    {
        public static Task<ProviderConnection> CreateAsync(TalkOptions o, TextWriter warn, CancellationToken ct)
        {
            switch (o.Provider)
            {
                case "replay":
                    ReplayProvider.FromFile(o.Replay); // validate now: one clear line if it is not a recording
                    return Task.FromResult(new ProviderConnection { Name = "replay", Factory = () => ReplayProvider.FromFile(o.Replay, o.Fast ? ReplayPacing.AsFastAsPossible : ReplayPacing.RealTime) });
                default:
                    throw new CliError("Provider '" + o.Provider + "' is not built into this CLI yet.", ExitCodes.Usage);
            }
        }
    }
}
