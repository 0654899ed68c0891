using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Parley.Providers.Connection
{
    /// <summary>A clock moved only by <see cref="Advance"/> (tests, simulated time).</summary>
    public sealed class ManualConnectionClock : IConnectionClock
    {
        readonly object _gate = new object();
        readonly List<KeyValuePair<long, TaskCompletionSource<bool>>> _waiters = new List<KeyValuePair<long, TaskCompletionSource<bool>>>();
        long _now;

        public long NowMs { get { lock (_gate) return _now; } }

        /// <summary>Number of pending waits (a test can wait until the watchdog is parked before advancing).</summary>
        public int Waiters { get { lock (_gate) return _waiters.Count; } }

        public Task WaitUntilAsync(long dueMs, CancellationToken cancellationToken)
        {
            var tcs = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                if (dueMs <= _now) return Task.CompletedTask;
                _waiters.Add(new KeyValuePair<long, TaskCompletionSource<bool>>(dueMs, tcs));
            }
            if (cancellationToken.CanBeCanceled)
                cancellationToken.Register(() =>
                {
                    lock (_gate) _waiters.RemoveAll(w => w.Value == tcs);
                    tcs.TrySetCanceled();
                });
            return tcs.Task;
        }

        public void Advance(TimeSpan by)
        {
            var due = new List<TaskCompletionSource<bool>>();
            lock (_gate)
            {
                _now += (long)by.TotalMilliseconds;
                for (var i = _waiters.Count - 1; i >= 0; i--)
                    if (_waiters[i].Key <= _now)
                    {
                        due.Add(_waiters[i].Value);
                        _waiters.RemoveAt(i);
                    }
            }
            foreach (var t in due) t.TrySetResult(true);
        }
    }
}
