using System;
using System.Threading;
using System.Threading.Tasks;
using Parley.Providers;

namespace Parley.Session.Tools
{
    /// <summary>One registered tool: its declaration for the model and its handler.</summary>
    public sealed class ToolDefinition
    {
        public readonly ToolDeclaration Declaration;
        public readonly Func<ToolCall, CancellationToken, Task<string>> Handler;
        /// <summary>Zero = <see cref="ToolRegistry.DefaultTimeout"/>.</summary>
        public TimeSpan Timeout;
        public bool RequiresApproval;
        /// <summary>Start the handler on the host's main thread (game state is usually main-thread only).</summary>
        public bool RunOnMainThread = true;

        public ToolDefinition(ToolDeclaration declaration, Func<ToolCall, CancellationToken, Task<string>> handler)
        {
            Declaration = declaration ?? throw new ArgumentNullException(nameof(declaration));
            Handler = handler ?? throw new ArgumentNullException(nameof(handler));
        }

        public string Name => Declaration.Name;
    }
}
