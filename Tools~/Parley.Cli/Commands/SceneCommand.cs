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
            var runner = new SceneRunner(o, setup);
            // One dedicated thread runs the whole scene: it becomes the simulated player's main thread.
            return await Task.Factory.StartNew(() => runner.Run(cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }
}
