using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Parley.Providers;
using Parley.Session.Tools;

namespace Parley.Session.Parts
{
    /// <summary>
    /// Tool calls of the model: runs each through the <see cref="ToolRegistry"/> (off the loop; handlers that
    /// want the main thread go through the host's dispatcher), brings each result back to the loop as a
    /// message, cancels calls the server withdrew, and holds results while there is no connection. Loop-owned.
    /// </summary>
    sealed class ToolCalls
    {
        readonly ToolRegistry _registry;
        readonly IMainThreadDispatcher _dispatcher;
        readonly Action<Action> _toLoop;
        readonly CancellationToken _life;
        readonly Dictionary<string, CancellationTokenSource> _running = new Dictionary<string, CancellationTokenSource>();
        readonly Queue<ToolResult> _held = new Queue<ToolResult>();

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
            try { run = _registry.InvokeAsync(call, _dispatcher, cts.Token); }
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
