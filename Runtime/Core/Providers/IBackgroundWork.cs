using System.Collections.Generic;

namespace Parley.Providers
{
    /// <summary>
    /// Something that starts tasks of its own (a socket's receive loop, a stall watchdog). Its Dispose waits for
    /// them, bounded (<see cref="TaskJoin"/>); what was still running when the bound ran out is named here, so the
    /// owner can report it instead of leaving it behind silently.
    /// </summary>
    public interface IBackgroundWork
    {
        /// <summary>The tasks it started that have not finished ("receive loop", "stall watchdog"); empty once all ended.</summary>
        IReadOnlyList<string> RunningTasks { get; }
    }
}
