using System.Collections.Generic;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace Parley.Cli
{
    /// <summary>Spectre.Console.Cli's help (options with their defaults), with what holds for every command at the end.</summary>
    sealed class ParleyHelp : HelpProvider
    {
        public ParleyHelp(ICommandAppSettings settings) : base(settings) { }

        public override IEnumerable<IRenderable> GetFooter(ICommandModel model, ICommandInfo command)
        {
            foreach (var r in base.GetFooter(model, command)) yield return r;
            yield return new Text("Any command: --verbose adds the stack trace to an error.");
            yield return Text.NewLine;
            yield return new Text("Exit codes: 0 ok, 1 failed, 2 usage, 3 bad input file, 4 credentials, 5 unreachable, 130 interrupted.");
            yield return Text.NewLine;
        }
    }
}
