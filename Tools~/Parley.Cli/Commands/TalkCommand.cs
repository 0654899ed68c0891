using System.Threading;
using System.Threading.Tasks;
using Parley.Cli.Talk;
using Spectre.Console.Cli;

namespace Parley.Cli.Commands
{
    /// <summary>`parley talk`: a conversation with a WAV file as the microphone and a virtual speaker.</summary>
    public sealed class TalkCommand : AsyncCommand<TalkOptions>
    {
        public override async Task<int> ExecuteAsync(CommandContext context, TalkOptions o, CancellationToken cancellationToken)
        {
            o.Check();
            await using var setup = await TalkSetup.CreateAsync(o, cancellationToken);
            var impulse = o.Echo != null ? WavFile.Read(o.Echo, "impulse response") : null;
            var runner = new TalkRunner(o, setup.Input, setup.BargeIn, setup.Tools, setup.Factory, setup.Connection, impulse);
            return await runner.RunAsync(cancellationToken);
        }
    }
}
