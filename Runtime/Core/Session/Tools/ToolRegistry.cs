using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Parley.Providers;

namespace Parley.Session.Tools
{
    /// <summary>
    /// The tools a session offers the model: delegates registered with an explicit JSON-Schema, or methods
    /// marked <see cref="ToolAttribute"/>. Runs calls with a timeout and an optional approval hook and always
    /// produces a JSON result for the model (errors become {"error": ...}, never an exception).
    /// </summary>
    public sealed class ToolRegistry
    {
        readonly Dictionary<string, ToolDefinition> _tools = new Dictionary<string, ToolDefinition>(StringComparer.Ordinal);

        public TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

        /// <summary>Asked (on the main thread) before a tool marked RequiresApproval runs; false denies the call.</summary>
        public Func<ToolCall, CancellationToken, Task<bool>> Approval;

        public int Count => _tools.Count;
        public bool Contains(string name) => name != null && _tools.ContainsKey(name);
        public ToolDefinition Get(string name) => name != null && _tools.TryGetValue(name, out var d) ? d : null;

        public ToolDefinition Register(ToolDefinition tool)
        {
            if (tool == null) throw new ArgumentNullException(nameof(tool));
            ValidateName(tool.Name);
            ValidateSchema(tool.Name, tool.Declaration.ParametersJsonSchema);
            if (_tools.ContainsKey(tool.Name)) throw new ArgumentException("A tool named '" + tool.Name + "' is already registered.");
            _tools.Add(tool.Name, tool);
            return tool;
        }

        /// <summary>An async handler: arguments JSON in, result JSON (or plain text) out.</summary>
        public ToolDefinition Register(string name, string description, string parametersJsonSchema,
            Func<string, CancellationToken, Task<string>> handler)
        {
            if (handler == null) throw new ArgumentNullException(nameof(handler));
            return Register(new ToolDefinition(new ToolDeclaration(name, description, parametersJsonSchema),
                (call, ct) => handler(call.ArgumentsJson, ct)));
        }

        /// <summary>A synchronous handler: arguments JSON in, result JSON (or plain text) out.</summary>
        public ToolDefinition Register(string name, string description, string parametersJsonSchema, Func<string, string> handler)
        {
            if (handler == null) throw new ArgumentNullException(nameof(handler));
            return Register(new ToolDefinition(new ToolDeclaration(name, description, parametersJsonSchema),
                (call, ct) => Task.FromResult(handler(call.ArgumentsJson))));
        }

        /// <summary>Registers every <see cref="ToolAttribute"/> method of <paramref name="target"/> (instance and static).</summary>
        public int RegisterMethods(object target)
        {
            if (target == null) throw new ArgumentNullException(nameof(target));
            var n = 0;
            foreach (var tool in MethodTool.FromObject(target)) { Register(tool); n++; }
            return n;
        }

        /// <summary>The declarations for <see cref="SessionConfig.Tools"/>; each provider turns them into its own format.</summary>
        public List<ToolDeclaration> Declarations()
        {
            var list = new List<ToolDeclaration>(_tools.Count);
            foreach (var t in _tools.Values) list.Add(t.Declaration);
            return list;
        }

        /// <summary>
        /// Runs one call: approval, handler (started through <paramref name="dispatcher"/> when the tool wants the
        /// main thread), timeout. Never throws for tool failures; cancellation of <paramref name="cancellationToken"/>
        /// yields a Cancelled result.
        /// </summary>
        public Task<ToolResult> InvokeAsync(ToolCall call, IMainThreadDispatcher dispatcher, CancellationToken cancellationToken) =>
            InvokeAsync(call, dispatcher, cancellationToken, null);

        /// <summary>As the public one; <paramref name="handlerStarted"/> gets the handler's own task (which may outlive the result on a timeout or cancel) and whether it runs on the main thread.</summary>
        internal async Task<ToolResult> InvokeAsync(ToolCall call, IMainThreadDispatcher dispatcher, CancellationToken cancellationToken, Action<Task, bool> handlerStarted)
        {
            var started = Stopwatch.GetTimestamp();
            var result = new ToolResult { CallId = call.CallId, Name = call.Name };
            var tool = Get(call.Name);
            if (tool == null)
            {
                Finish(result, ToolOutcome.Unknown, Error("unknown tool '" + call.Name + "'"), started);
                return result;
            }
            var timeout = tool.Timeout > TimeSpan.Zero ? tool.Timeout : DefaultTimeout;
            var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task<string> run = null;
            try
            {
                if (tool.RequiresApproval && Approval != null)
                {
                    var approved = await OnHost(dispatcher, true, () => Approval(call, cts.Token)).ConfigureAwait(false);
                    if (!approved)
                    {
                        Finish(result, ToolOutcome.Denied, Error("the player did not allow this action"), started);
                        return result;
                    }
                    started = Stopwatch.GetTimestamp();
                }
                run = OnHost(dispatcher, tool.RunOnMainThread, () => tool.Handler(call, cts.Token), call);
                handlerStarted?.Invoke(run, tool.RunOnMainThread && dispatcher != null);
                var timer = Task.Delay(timeout, cts.Token);
                var first = await Task.WhenAny(run, timer).ConfigureAwait(false);
                if (first != run)
                {
                    cts.Cancel();
                    ObserveLater(run);
                    if (cancellationToken.IsCancellationRequested) Finish(result, ToolOutcome.Cancelled, Error("cancelled"), started);
                    else Finish(result, ToolOutcome.Timeout, Error("timed out after " + (int)timeout.TotalMilliseconds + " ms"), started);
                    return result;
                }
                cts.Cancel(); // stops the timer
                Finish(result, ToolOutcome.Ok, NormalizeResult(await run.ConfigureAwait(false)), started);
            }
            catch (OperationCanceledException)
            {
                Finish(result, ToolOutcome.Cancelled, Error("cancelled"), started);
            }
            catch (Exception e)
            {
                var inner = e is System.Reflection.TargetInvocationException tie && tie.InnerException != null ? tie.InnerException : e;
                Finish(result, ToolOutcome.Error, Error(inner.Message), started);
            }
            finally
            {
                // A handler abandoned on a timeout or cancel still holds the token: its source is disposed only when the
                // handler ends (registering on a disposed source throws on Mono).
                if (run == null || run.IsCompleted) cts.Dispose();
                else _ = run.ContinueWith((_, x) => ((CancellationTokenSource)x).Dispose(), cts, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            return result;
        }

        static void Finish(ToolResult r, ToolOutcome outcome, string json, long started)
        {
            r.Outcome = outcome;
            r.ResultJson = json;
            r.DurationMs = (Stopwatch.GetTimestamp() - started) * 1000.0 / Stopwatch.Frequency;
        }

        /// <summary>Runs <paramref name="start"/> on the main thread (when asked) and unwraps its task.</summary>
        static Task<T> OnHost<T>(IMainThreadDispatcher dispatcher, bool mainThread, Func<Task<T>> start, ToolCall call = null)
        {
            if (!mainThread || dispatcher == null)
                return Task.Run(() =>
                {
                    // Marks the handler's own flow (its awaits included), so a Dispose it calls does not wait for it.
                    RunningCall.Value = call;
                    return start();
                });
            var tcs = new TaskCompletionSource<Task<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
            dispatcher.Post(() =>
            {
                try { tcs.SetResult(start() ?? Task.FromResult(default(T))); }
                catch (Exception e) { tcs.SetException(e); }
            });
            return tcs.Task.Unwrap();
        }

        /// <summary>The call whose handler runs in this flow (off the main thread), else null.</summary>
        internal static readonly AsyncLocal<ToolCall> RunningCall = new AsyncLocal<ToolCall>();

        static void ObserveLater(Task t) => t.ContinueWith(x => { var _ = x.Exception; }, TaskContinuationOptions.OnlyOnFaulted);

        internal static string Error(string message) => new JObject { ["error"] = message }.ToString(Formatting.None);

        /// <summary>JSON objects and arrays pass through; anything else (plain text, numbers) is wrapped as {"result": ...}.</summary>
        internal static string NormalizeResult(string raw)
        {
            if (raw == null) return "{\"ok\":true}";
            var t = raw.Trim();
            if (t.StartsWith("{") || t.StartsWith("["))
            {
                try { return JToken.Parse(t).ToString(Formatting.None); }
                catch (JsonException) { }
            }
            return new JObject { ["result"] = raw }.ToString(Formatting.None);
        }

        static void ValidateName(string name)
        {
            // The strictest vendor rule (OpenAI, Gemini): ^[a-zA-Z0-9_-]{1,64}$
            if (string.IsNullOrEmpty(name) || name.Length > 64)
                throw new ArgumentException("Tool names must be 1 to 64 characters.");
            foreach (var c in name)
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'))
                    throw new ArgumentException("Tool name '" + name + "' may only hold letters, digits, '_' and '-'.");
        }

        static void ValidateSchema(string name, string schema)
        {
            JToken t;
            try { t = JToken.Parse(schema ?? ""); }
            catch (JsonException e) { throw new ArgumentException("Tool '" + name + "': parameters are not valid JSON (" + e.Message + ")."); }
            if (!(t is JObject o) || (string)o["type"] != "object")
                throw new ArgumentException("Tool '" + name + "': parameters must be a JSON-Schema object ({\"type\":\"object\",...}).");
        }
    }
}
