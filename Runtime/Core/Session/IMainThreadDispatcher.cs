using System;
using System.Collections.Concurrent;
using System.Threading;

namespace Parley.Session
{
    /// <summary>
    /// Runs work on the host's main thread (Unity's player loop, the CLI's loop). The session posts every
    /// event and every tool handler through it, so host code never runs on a network or audio thread.
    /// </summary>
    public interface IMainThreadDispatcher
    {
        /// <summary>Queues <paramref name="action"/>; callable from any thread except the audio thread.</summary>
        void Post(Action action);
    }

    /// <summary>Runs actions inline on the posting thread: for tests and hosts without a main thread.</summary>
    public sealed class InlineDispatcher : IMainThreadDispatcher
    {
        readonly object _gate = new object();
        // Serialized so handlers never overlap even when posted from two tasks.
        public void Post(Action action) { lock (_gate) action(); }
    }

    /// <summary>
    /// A queue the host drains on its own thread: Unity calls <see cref="RunPending"/> once per frame; the
    /// CLI blocks in <see cref="WaitAndRun"/> (woken by a post, not by polling).
    /// </summary>
    public sealed class QueuedDispatcher : IMainThreadDispatcher
    {
        readonly ConcurrentQueue<Action> _queue = new ConcurrentQueue<Action>();
        readonly SemaphoreSlim _signal = new SemaphoreSlim(0);

        /// <summary>Called when an action throws; the queue keeps running. Default: rethrow on the host thread.</summary>
        public Action<Exception> OnError;

        public int Pending => _queue.Count;

        public void Post(Action action)
        {
            if (action == null) throw new ArgumentNullException(nameof(action));
            _queue.Enqueue(action);
            _signal.Release();
        }

        /// <summary>Runs everything queued so far; returns how many ran.</summary>
        public int RunPending()
        {
            var n = 0;
            while (_queue.TryDequeue(out var a))
            {
                n++;
                try { a(); }
                catch (Exception e) when (OnError != null) { OnError(e); }
            }
            return n;
        }

        /// <summary>Waits until something is posted (or <paramref name="timeout"/> passes), then runs the queue.</summary>
        public int WaitAndRun(TimeSpan timeout, CancellationToken cancellationToken)
        {
            try { _signal.Wait(timeout, cancellationToken); }
            catch (OperationCanceledException) { return RunPending(); }
            // Drain the extra signals of actions that RunPending is about to take too.
            while (_signal.CurrentCount > 0 && _signal.Wait(0)) { }
            return RunPending();
        }
    }
}
