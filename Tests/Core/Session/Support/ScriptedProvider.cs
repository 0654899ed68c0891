using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Parley.Providers;

namespace Parley.Tests.Session.Support
{
    /// <summary>
    /// A provider the test drives by hand: it records everything the session sends and lets the test raise
    /// provider events and audio as a server would. Connections are counted across instances by <see cref="ScriptedServer"/>.
    /// </summary>
    public sealed class ScriptedProvider : IVoiceProvider, IContextProvider
    {
        readonly ScriptedServer _server;
        IProviderListener _listener;
        public readonly int ConnectionIndex;
        public SessionConfig Config;
        public readonly List<short> SentAudio = new List<short>();
        public readonly List<InterruptRequest> Interrupts = new List<InterruptRequest>();
        public readonly List<string> Calls = new List<string>();
        public readonly List<(string callId, string name, string json)> ToolResults = new List<(string, string, string)>();
        readonly object _gate = new object();
        bool _connected;

        public ScriptedProvider(ScriptedServer server, int index)
        {
            _server = server;
            ConnectionIndex = index;
        }

        public string Name => "scripted";
        public ProviderCapabilities Capabilities => _server.Capabilities;
        public bool IsConnected { get { lock (_gate) return _connected; } }

        public async Task ConnectAsync(SessionConfig config, IProviderListener listener, CancellationToken cancellationToken)
        {
            Config = config;
            _listener = listener;
            var gate = _server.ConnectGate;
            if (gate != null) await gate.Task.WithCancellation(cancellationToken);
            if (_server.FailConnects > 0)
            {
                _server.FailConnects--;
                throw new ProviderException(ProviderErrorKind.Transport, "unreachable", "scripted connect failure");
            }
            lock (_gate) _connected = true;
            _server.Connected(this);
        }

        public ValueTask SendAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                if (!_connected) throw new ProviderException(ProviderErrorKind.Transport, "closed", "not connected");
                for (var i = 0; i < pcm.Length; i++) SentAudio.Add(pcm.Span[i]);
            }
            _server.AudioArrived();
            return default;
        }

        public Task StartUserTurnAsync(CancellationToken ct) { Record("start_turn"); return Task.CompletedTask; }
        public Task EndUserTurnAsync(CancellationToken ct) { Record("end_turn"); return Task.CompletedTask; }
        public Task SendTextAsync(string text, CancellationToken ct) { Record("text:" + text); return Task.CompletedTask; }
        public Task<ContextDelivery> AddContextAsync(string text, CancellationToken ct) { Record("context:" + text); return Task.FromResult(ContextDelivery.Sent); }

        public Task InterruptAsync(InterruptRequest request, CancellationToken ct)
        {
            lock (_gate) Interrupts.Add(request);
            Record("interrupt");
            return Task.CompletedTask;
        }

        public Task SendToolResultAsync(string callId, string name, string resultJson, CancellationToken ct)
        {
            lock (_gate)
            {
                if (!_connected) throw new ProviderException(ProviderErrorKind.Transport, "closed", "not connected");
                ToolResults.Add((callId, name, resultJson));
            }
            Record("tool_result:" + callId);
            _server.Signal();
            return Task.CompletedTask;
        }

        public Task DisconnectAsync(CancellationToken ct)
        {
            lock (_gate) _connected = false;
            Record("disconnect");
            return Task.CompletedTask;
        }

        public void Dispose() { lock (_gate) _connected = false; }

        void Record(string what) { lock (_gate) Calls.Add(what); _server.Signal(); }

        public int SentSamples { get { lock (_gate) return SentAudio.Count; } }
        public List<string> CallsSnapshot() { lock (_gate) return new List<string>(Calls); }

        // What the server does. Each call then lets the session run what it queued (the server's Settle hook).
        public void Raise(ProviderEvent e)
        {
            _listener.OnEvent(e);
            _server.Settle?.Invoke();
        }

        public void Audio(string itemId, short[] pcm, int chunk = 480)
        {
            for (var i = 0; i < pcm.Length; i += chunk)
                _listener.OnAudio(itemId, new ReadOnlySpan<short>(pcm, i, Math.Min(chunk, pcm.Length - i)));
            _server.Settle?.Invoke();
        }

        /// <summary>The connection drops (server side): one error and one disconnect, as real providers report it.</summary>
        public void Drop()
        {
            lock (_gate) _connected = false;
            var error = new ProviderError { ErrorKind = ProviderErrorKind.Transport, Code = "ConnectionLost", Message = "dropped", IsFatal = true };
            _listener.OnEvent(error);
            _listener.OnEvent(new Disconnected { CloseStatus = 1006, Reason = "dropped", ByClient = false, Error = error });
            _server.Settle?.Invoke();
        }
    }

    /// <summary>Shared state across reconnects: capabilities, connection list, failure injection.</summary>
    public sealed class ScriptedServer
    {
        public ProviderCapabilities Capabilities = new ProviderCapabilities
        {
            InputSampleRate = 24000, OutputSampleRate = 24000, ServerTurnDetection = true, SemanticTurnDetection = true,
            ManualTurns = true, FullDuplex = true, TruncatesHistory = true, Tools = true, TextInput = true,
            InputTranscripts = true, OutputTranscripts = true, UsageReporting = true,
        };
        public readonly List<ScriptedProvider> Connections = new List<ScriptedProvider>();
        public readonly List<ScriptedProvider> Created = new List<ScriptedProvider>();
        public int FailConnects;
        /// <summary>When set, connects wait for it (holds the session in Connecting/Reconnecting).</summary>
        public TaskCompletionSource<bool> ConnectGate;
        /// <summary>Lets the session run what it queued (set by <see cref="SessionFixture"/> to the session's RunPending).</summary>
        public Action Settle;
        /// <summary>Every provider the session made, wrapped in the overlap guard.</summary>
        public readonly List<OverlapGuardProvider> Guards = new List<OverlapGuardProvider>();
        /// <summary>Make each guarded control call take time (a yield), so overlapping calls would really overlap.</summary>
        public bool SlowControlCalls;
        readonly object _gate = new object();

        /// <summary>A new provider behind an <see cref="OverlapGuardProvider"/> (the session's factory).</summary>
        public IVoiceProvider Create()
        {
            lock (_gate)
            {
                var p = new ScriptedProvider(this, Created.Count);
                Created.Add(p);
                var g = new OverlapGuardProvider(p, SlowControlCalls);
                Guards.Add(g);
                return g;
            }
        }

        /// <summary>Overlapping control calls seen by any guard (must stay empty).</summary>
        public List<string> Overlaps()
        {
            var all = new List<string>();
            lock (_gate) foreach (var g in Guards) all.AddRange(g.Violations);
            return all;
        }

        internal void Connected(ScriptedProvider p) { lock (_gate) Connections.Add(p); Signal(); }
        internal void AudioArrived() => Signal();
        internal void Signal() { lock (_gate) Monitor.PulseAll(_gate); }

        public ScriptedProvider Current { get { lock (_gate) return Connections.Count == 0 ? null : Connections[Connections.Count - 1]; } }
        public int ConnectionCount { get { lock (_gate) return Connections.Count; } }

        /// <summary>Waits (woken by provider activity, bounded by <paramref name="timeoutMs"/>) until <paramref name="condition"/> holds.</summary>
        public bool WaitFor(Func<bool> condition, int timeoutMs = 10000)
        {
            var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
            while (true)
            {
                Settle?.Invoke();
                lock (_gate)
                {
                    if (condition()) break;
                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero) return condition();
                    Monitor.Wait(_gate, left < TimeSpan.FromMilliseconds(50) ? left : TimeSpan.FromMilliseconds(50));
                }
            }
            Settle?.Invoke();
            return true;
        }
    }

    static class TaskExtensions
    {
        public static async Task WithCancellation(this Task t, CancellationToken ct)
        {
            var tcs = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (ct.Register(() => tcs.TrySetCanceled()))
                await Task.WhenAny(t, tcs.Task).Unwrap();
        }
    }
}
