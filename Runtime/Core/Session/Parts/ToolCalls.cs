using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Parley.Providers;
using Parley.Session.Tools;

namespace Parley.Session.Parts
{
    /// <summary>
    /// Tool calls of the model: runs each through the <see cref="ToolRegistry"/> (off the loop; handlers that
    /// want the main thread go through the host's dispatcher), brings each result back to the loop as a
    /// message, cancels calls the server withdrew, and holds results while there is no connection. Loop-owned,
    /// except the list of handlers still running, which the session's Dispose joins (<see cref="JoinHandlers"/>).
    /// </summary>
    sealed class ToolCalls
    {
        readonly ToolRegistry _registry;
        readonly IMainThreadDispatcher _dispatcher;
        readonly Action<Action> _toLoop;
        readonly CancellationToken _life;
        readonly Dictionary<string, CancellationTokenSource> _running = new Dictionary<string, CancellationTokenSource>();
        readonly Queue<ToolResult> _held = new Queue<ToolResult>();
        // Handlers started and not yet ended (any thread reads it at dispose). A handler may outlive its result: the
        // result of a cancelled or timed-out call comes back at once, the user's code ends when it ends.
        readonly List<Handler> _handlers = new List<Handler>();

        sealed class Handler
        {
            public ToolCall Call;
            public Task Task;
            public bool OnMainThread;
        }

        public ToolCalls(ToolRegistry registry, IMainThreadDispatcher dispatcher, Action<Action> toLoop, CancellationToken life)
        {
            _registry = registry;
            _dispatcher = dispatcher;
            _toLoop = toLoop;
            _life = life;
        }

        /// <summary>Calls running (started, result not back yet).</summary>
        public int Running { get; private set; }

        /// <summary>Calls in the current response: its done then means "waiting for results", not "turn over".</summary>
        public int InResponse;

        public int Held => _held.Count;

        public void Start(ToolCallRequested c, Action<ToolResult> finished)
        {
            Running++;
            InResponse++;
            var cts = CancellationTokenSource.CreateLinkedTokenSource(_life);
            if (c.CallId != null) _running[c.CallId] = cts;
            var call = new ToolCall { CallId = c.CallId, Name = c.Name, ArgumentsJson = c.ArgumentsJson };
            Task<ToolResult> run;
            try { run = _registry.InvokeAsync(call, _dispatcher, cts.Token, (task, main) => Track(call, task, main)); }
            catch (Exception e) { run = Task.FromException<ToolResult>(e); }
            run.ContinueWith(t =>
            {
                var result = t.Status == TaskStatus.RanToCompletion ? t.Result
                    : new ToolResult { CallId = c.CallId, Name = c.Name, Outcome = ToolOutcome.Error, ResultJson = "{\"error\":\"the tool failed\"}" };
                _toLoop(() =>
                {
                    Running = Math.Max(0, Running - 1);
                    if (c.CallId != null && _running.TryGetValue(c.CallId, out var x) && x == cts) _running.Remove(c.CallId);
                    cts.Dispose();
                    finished(result);
                });
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        void Track(ToolCall call, Task task, bool onMainThread)
        {
            var h = new Handler { Call = call, Task = task, OnMainThread = onMainThread };
            lock (_handlers) _handlers.Add(h);
            task.ContinueWith((_, x) => { lock (_handlers) _handlers.Remove((Handler)x); }, h, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        /// <summary>
        /// At dispose (the calls were cancelled): waits until <paramref name="bound"/> has passed since
        /// <paramref name="since"/> for the handlers running off the main thread (not the one calling, if a handler
        /// disposes its session; not main-thread ones: the caller is usually the main thread, which they need), and
        /// adds those still running to <paramref name="running"/>.
        /// </summary>
        public void JoinHandlers(TimeSpan bound, Stopwatch since, List<string> running)
        {
            List<Handler> all;
            lock (_handlers) all = new List<Handler>(_handlers);
            var self = ToolRegistry.RunningCall.Value;
            var wait = new List<Task>(all.Count);
            foreach (var h in all)
                if (!h.OnMainThread && h.Call != self) wait.Add(h.Task);
            TaskJoin.Wait(wait, bound, since);
            foreach (var h in all)
                if (!h.Task.IsCompleted) running.Add("tool handler '" + h.Call.Name + "' (call " + h.Call.CallId + ")");
        }

        public void Cancel(IEnumerable<string> callIds)
        {
            foreach (var id in callIds)
                if (id != null && _running.TryGetValue(id, out var cts)) cts.Cancel();
        }

        public void Hold(ToolResult r) => _held.Enqueue(r);

        public List<ToolResult> TakeHeld()
        {
            var list = new List<ToolResult>(_held);
            _held.Clear();
            return list;
        }
    }
}
