using System;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

namespace Parley.Session.Actor
{
    /// <summary>
    /// Wakes one awaiting task without allocating: the awaited <see cref="ValueTask"/> is backed by this reused
    /// source, so neither a wait nor a set creates a task (a <see cref="SemaphoreSlim"/> creates one per wait, and
    /// its release allocates on the releasing thread). For loops where there is no thread of their own
    /// (<see cref="SessionLoop.Inline"/>); <see cref="WakeSignal"/> wakes a dedicated thread. One waiter at a time;
    /// sets while nobody waits merge into one wake. Continuations run asynchronously, never on the setter's stack.
    /// </summary>
    sealed class AsyncWakeSignal : IValueTaskSource
    {
        const int Idle = 0, Set_ = 1, Waiting = 2;
        ManualResetValueTaskSourceCore<bool> _core = new ManualResetValueTaskSourceCore<bool> { RunContinuationsAsynchronously = true };
        int _state;

        /// <summary>Completes when set (at once if it was set since the last wait). The single consumer only.</summary>
        public ValueTask WaitAsync()
        {
            if (Interlocked.CompareExchange(ref _state, Idle, Set_) == Set_) return default;
            _core.Reset();
            if (Interlocked.CompareExchange(ref _state, Waiting, Idle) == Set_)
            {
                Volatile.Write(ref _state, Idle);
                return default;
            }
            return new ValueTask(this, _core.Version);
        }

        public void Set()
        {
            while (true)
            {
                var s = Volatile.Read(ref _state);
                if (s == Set_) return;
                if (s == Idle)
                {
                    if (Interlocked.CompareExchange(ref _state, Set_, Idle) == Idle) return;
                    continue;
                }
                if (Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting)
                {
                    _core.SetResult(true);
                    return;
                }
            }
        }

        void IValueTaskSource.GetResult(short token) => _core.GetResult(token);
        ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);
        void IValueTaskSource.OnCompleted(Action<object> continuation, object state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
