using System.Threading;
using System.Threading.Tasks;
using Parley.Cli.Scene;
using Parley.Cli.Talk;
using Spectre.Console.Cli;

namespace Parley.Cli.Commands
{
    /// <summary>`parley scene`: `talk`'s conversation played by the real components in the simulated player (Documentation~/cli.md).</summary>
    public sealed class SceneCommand : AsyncCommand<SceneOptions>
    {
        public override async Task<int> ExecuteAsync(CommandContext context, SceneOptions o, CancellationToken cancellationToken)
        {
            o.CheckScene();
            await using var setup = await TalkSetup.CreateAsync(o, cancellationToken);
            var impulse = o.Echo != null ? WavFile.Read(o.Echo, "impulse response") : null;
            if (impulse != null && impulse.Channels != 1)
                throw new CliError("The impulse response '" + o.Echo + "' has " + impulse.Channels + " channels; give a mono WAV.", ExitCodes.BadInput);
            var runner = new SceneRunner(o, setup, impulse);
            // One dedicated thread runs the whole scene: it becomes the simulated player's main thread.
            return await Task.Factory.StartNew(() => runner.Run(cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }
}
