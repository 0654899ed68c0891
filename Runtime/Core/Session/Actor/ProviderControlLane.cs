using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Parley.Providers;

namespace Parley.Session.Actor
{
    /// <summary>
    /// Control calls to providers (connect, turn signals, text, interrupt, tool results, disconnect), one at a time
    /// across every provider of the session: the next starts only after the previous completed, as
    /// <see cref="IVoiceProvider"/> requires (only audio sends run alongside, on their own lane). So an old
    /// connection is closed before the next one opens. Owned by the loop: calls start on it and their completions
    /// come back to it as messages. Each call has a deadline (its token is cancelled), so a stuck call cannot
    /// hold the lane.
    /// </summary>
    sealed class ProviderControlLane
    {
        sealed class Call
        {
            public IVoiceProvider Provider;
            public string What;
            public Func<IVoiceProvider, CancellationToken, Task> Run;
            public Action<Exception> Done;
            public TimeSpan Timeout;
        }

        readonly SessionMailbox _mailbox;
        readonly CancellationToken _life;
        readonly Queue<Call> _calls = new Queue<Call>();
        readonly List<Action> _whenIdle = new List<Action>();
        bool _busy;

        public ProviderControlLane(SessionMailbox mailbox, CancellationToken life)
        {
            _mailbox = mailbox;
            _life = life;
        }

        /// <summary>Calls waiting or running.</summary>
        public int Pending => _calls.Count + (_busy ? 1 : 0);

        /// <param name="done">On the loop: null on success, else the exception (a timeout is an <see cref="OperationCanceledException"/>).</param>
        public void Enqueue(IVoiceProvider provider, string what, Func<IVoiceProvider, CancellationToken, Task> run, Action<Exception> done, TimeSpan timeout)
        {
            if (provider == null) return;
            _calls.Enqueue(new Call { Provider = provider, What = what, Run = run, Done = done, Timeout = timeout });
            Next();
        }

        /// <summary>Runs <paramref name="action"/> (on the loop) once no call is waiting or running.</summary>
        public void WhenIdle(Action action)
        {
            _whenIdle.Add(action);
            Next();
        }

        void Next()
        {
            if (_busy) return;
            if (_calls.Count == 0)
            {
                if (_whenIdle.Count == 0) return;
                var idle = _whenIdle.ToArray();
                _whenIdle.Clear();
                foreach (var a in idle) a();
                return;
            }
            var call = _calls.Dequeue();
            _busy = true;
            var cts = CancellationTokenSource.CreateLinkedTokenSource(_life);
            if (call.Timeout > TimeSpan.Zero && call.Timeout != System.Threading.Timeout.InfiniteTimeSpan) cts.CancelAfter(call.Timeout);
            Task task;
            try { task = call.Run(call.Provider, cts.Token) ?? Task.CompletedTask; }
            catch (Exception e) { task = Task.FromException(e); }
            task.ContinueWith(t =>
            {
                var error = t.IsFaulted ? t.Exception.GetBaseException() : t.IsCanceled ? new OperationCanceledException(call.What + " was cancelled") : null;
                cts.Dispose();
                _mailbox.Post(() =>
                {
                    _busy = false;
                    call.Done?.Invoke(error);
                    Next();
                });
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
