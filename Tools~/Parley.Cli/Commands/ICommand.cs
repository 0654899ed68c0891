using System.Threading;
using System.Threading.Tasks;

namespace Parley.Cli.Commands
{
    /// <summary>One `parley` subcommand. New offline tools (vad, aec, visemes) are added by listing one more in <see cref="Program"/>.</summary>
    public interface ICommand
    {
        string Name { get; }
        /// <summary>One line for `parley --help`.</summary>
        string Summary { get; }
        /// <summary>Full usage text for `parley NAME --help`.</summary>
        string Usage { get; }
        /// <summary>Options that take no value.</summary>
        string[] Flags { get; }
        Task<int> RunAsync(CommandLine args, CancellationToken cancellationToken);
    }
}
