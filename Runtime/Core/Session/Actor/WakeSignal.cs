using System.Threading;

namespace Parley.Session.Actor
{
    /// <summary>
    /// Wakes one dedicated thread. Setting it costs the setter a brief uncontended lock and a pulse, and allocates
    /// nothing; the audio path sets it every frame. (Releasing a <see cref="SemaphoreSlim"/> that an async loop
    /// awaits queues the loop's continuation to the thread pool, which allocates on the releasing thread.)
    /// Sets while nobody waits merge into one wake.
    /// </summary>
    sealed class WakeSignal
    {
        readonly object _lock = new object();
        bool _set;

        public void Set()
        {
            lock (_lock)
            {
                if (_set) return;
                _set = true;
                Monitor.Pulse(_lock);
            }
        }

        /// <summary>Waits until set or <paramref name="milliseconds"/> pass (<see cref="Timeout.Infinite"/>: no limit), and resets. True if it was set.</summary>
        public bool Wait(int milliseconds)
        {
            lock (_lock)
            {
                if (!_set) Monitor.Wait(_lock, milliseconds);
                var was = _set;
                _set = false;
                return was;
            }
        }
    }
}
