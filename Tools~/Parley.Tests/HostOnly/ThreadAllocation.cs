using System;
using System.Runtime;

namespace Parley.Tests.HostOnly
{
    /// <summary>
    /// Bytes the current thread allocates in a body, measured with no garbage collection able to start inside it.
    /// </summary>
    /// <remarks>
    /// GC.GetAllocatedBytesForCurrentThread is not exact while a background (concurrent) GC runs: when that GC
    /// retires this thread's allocation context, the unused rest of the context (a few KB) is charged to the thread
    /// although it allocated nothing. A console harness repeating PlayoutSpeaker's render passes saw 22-35 of 60
    /// runs charge 3-7 KB inside one Render call with no GC counted, none with DOTNET_gcConcurrent=0, and none of
    /// 180 runs inside a no-GC region. The test host's setup (LOH-sized arrays) starts such GCs at a moment that
    /// depends on scheduling, hence "Expected: 0 But was: 3672" in about one run in four on a loaded machine.
    /// A no-GC region first completes any GC in progress and then admits none while the body allocates less than
    /// the budget (bytes of every thread of the process), so the figure is exactly what the thread allocated. If the
    /// process allocates more, the region ends early (a GC may run) and the figure is no worse than a bare reading;
    /// <see cref="Measure(Action)"/> callers allocate nothing, so for them that fails the test.
    /// </remarks>
    static class ThreadAllocation
    {
        const long Budget = 1 << 20;

        public static long Measure(Action body) => Measure(body, Budget);

        /// <param name="budget">Bytes the whole process may allocate inside body (other threads' included).</param>
        public static long Measure(Action body, long budget)
        {
            if (!GC.TryStartNoGCRegion(budget)) throw new InvalidOperationException("could not start a no-GC region");
            try
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                body();
                return GC.GetAllocatedBytesForCurrentThread() - before;
            }
            finally
            {
                if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
            }
        }
    }
}
