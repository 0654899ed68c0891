using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;

namespace Parley.Providers
{
    /// <summary>Bounded waits, at dispose, for tasks an object started (never from one of those tasks: callers skip their own).</summary>
    public static class TaskJoin
    {
        /// <summary>
        /// How long a Dispose waits at most for the tasks it started (they wake at once and only finish what they
        /// hold). Zero on WebGL: with no threads they can only finish after the caller returns, so waiting would
        /// only spend the bound.
        /// </summary>
        public static readonly TimeSpan DisposeBound =
#if UNITY_WEBGL && !UNITY_EDITOR
            TimeSpan.Zero;
#else
            TimeSpan.FromSeconds(1);
#endif

        /// <summary>Waits until every task has finished or <paramref name="bound"/> has passed since <paramref name="since"/> started; true if all finished.</summary>
        public static bool Wait(IReadOnlyList<Task> tasks, TimeSpan bound, Stopwatch since)
        {
            for (var i = 0; i < tasks.Count; i++)
            {
                var t = tasks[i];
                if (t == null || t.IsCompleted) continue;
                var left = bound - since.Elapsed;
                if (left <= TimeSpan.Zero) return false;
                // A faulted or cancelled task has finished: its owner reports the fault, not this wait.
                try { if (!t.Wait(left)) return false; }
                catch (AggregateException) { }
            }
            return true;
        }
    }
}
