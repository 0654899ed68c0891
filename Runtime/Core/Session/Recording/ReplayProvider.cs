using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Parley.Audio;
using Parley.Providers;

namespace Parley.Session.Recording
{
    public enum ReplayPacing
    {
        /// <summary>Keep the recorded gaps between server messages (demos).</summary>
        RealTime,
        /// <summary>No waiting except for the client operations the recording expects (tests).</summary>
        AsFastAsPossible,
    }

    /// <summary>A recording the replay cannot continue from: the client did something other than what was recorded.</summary>
    public sealed class ReplayDivergedException : Exception
    {
        public ReplayDivergedException(string message) : base(message) { }
    }

    /// <summary>
    /// Plays a <see cref="SessionRecorder"/> file back as a provider, deterministically: server events and
    /// audio come out in recorded order; each waits until this client has sent as much player audio as the
    /// live client had when the server sent it, and whatever the server sent after a client operation (a tool
    /// result, the end of a push-to-talk turn, a text, an interruption) waits until this client performs the
    /// same operation. Feed the same input audio (e.g. the same WAV) to get the same conversation. For the game's own tests and for offline demos. One recorded connection per file.
    /// </summary>
    public sealed class ReplayProvider : IVoiceProvider
    {
        readonly List<JObject> _entries = new List<JObject>();
        readonly ProviderCapabilities _caps;
        readonly string _name;
        readonly ReplayPacing _pacing;
        readonly object _gate = new object();
        readonly Queue<string> _ops = new Queue<string>();
        readonly SemaphoreSlim _opSignal = new SemaphoreSlim(0);
        readonly SemaphoreSlim _audioSignal = new SemaphoreSlim(0);
        CancellationTokenSource _run;
        Task _playback;
        volatile bool _connected;
        long _receivedSamples;

        /// <summary>How long a replay waits for an expected client operation before it reports divergence.</summary>
        public TimeSpan OperationTimeout = TimeSpan.FromSeconds(30);

        /// <summary>Completes when everything recorded has been played back.</summary>
        public Task Completion => _playback ?? Task.CompletedTask;

        public ReplayProvider(TextReader recording, ReplayPacing pacing = ReplayPacing.AsFastAsPossible)
        {
            if (recording == null) throw new ArgumentNullException(nameof(recording));
            _pacing = pacing;
            string line;
            var n = 0;
            while ((line = recording.ReadLine()) != null)
            {
                n++;
                if (line.Length == 0) continue;
                JObject o;
                try { o = JObject.Parse(line); }
                catch (JsonException e) { throw new InvalidDataException("Recording line " + n + " is not JSON: " + e.Message); }
                var type = (string)o["type"];
                if (type == "header")
                {
                    if (_caps != null) break; // a second connection: this provider replays the first only
                    if ((int?)o["version"] != SessionRecorder.FormatVersion)
                        throw new InvalidDataException("Recording format version " + o["version"] + " is not supported (expected " + SessionRecorder.FormatVersion + ").");
                    _name = (string)o["provider"];
                    _caps = o["capabilities"]?.ToObject<ProviderCapabilities>() ?? new ProviderCapabilities();
                }
                else _entries.Add(o);
            }
            if (_caps == null) throw new InvalidDataException("Not a Parley session recording (no header line).");
        }

        public static ReplayProvider FromFile(string path, ReplayPacing pacing = ReplayPacing.AsFastAsPossible)
        {
            using (var r = new StreamReader(path)) return new ReplayProvider(r, pacing);
        }

        public string Name => "replay";
        /// <summary>The provider the recording was made with.</summary>
        public string RecordedProvider => _name;
        public ProviderCapabilities Capabilities => _caps;
        public bool IsConnected => _connected;
        /// <summary>Player audio the session sent during the replay (it is not compared with the recording).</summary>
        public long ReceivedSamples => Interlocked.Read(ref _receivedSamples);

        public Task ConnectAsync(SessionConfig config, IProviderListener listener, CancellationToken cancellationToken)
        {
            if (listener == null) throw new ArgumentNullException(nameof(listener));
            _run = new CancellationTokenSource();
            _connected = true;
            _playback = Task.Run(() => PlayAsync(listener, _run.Token));
            return Task.CompletedTask;
        }

        async Task PlayAsync(IProviderListener listener, CancellationToken ct)
        {
            var pcm = new short[0];
            double lastT = 0;
            var sinceStart = System.Diagnostics.Stopwatch.StartNew();
            double offset = 0; // time spent waiting for client operations does not count against the recorded gaps
            try
            {
                foreach (var e in _entries)
                {
                    var t = (double?)e["t"] ?? lastT;
                    lastT = t;
                    var type = (string)e["type"];
                    if (type == "op")
                    {
                        var op = (string)e["op"];
                        if (op == "connect" || op == "disconnect") continue;
                        var waitStart = sinceStart.Elapsed.TotalMilliseconds;
                        await ExpectAsync(op, ct).ConfigureAwait(false);
                        offset += sinceStart.Elapsed.TotalMilliseconds - waitStart;
                        continue;
                    }
                    if (type == "input") continue;
                    var needed = (long?)e["in"] ?? 0;
                    if (ReceivedSamples < needed)
                    {
                        var waitStart = sinceStart.Elapsed.TotalMilliseconds;
                        await ExpectAudioAsync(needed, ct).ConfigureAwait(false);
                        offset += sinceStart.Elapsed.TotalMilliseconds - waitStart;
                    }
                    if (_pacing == ReplayPacing.RealTime)
                    {
                        var wait = t + offset - sinceStart.Elapsed.TotalMilliseconds;
                        if (wait > 1) await Task.Delay(TimeSpan.FromMilliseconds(wait), ct).ConfigureAwait(false);
                    }
                    if (type == "audio")
                    {
                        var b64 = System.Text.Encoding.ASCII.GetBytes((string)e["pcm"] ?? "");
                        var max = Pcm16Base64.MaxDecodedSamples(b64.Length);
                        if (pcm.Length < max) pcm = new short[max];
                        var n = Pcm16Base64.Decode(b64, pcm);
                        listener.OnAudio((string)e["item"], new ReadOnlySpan<short>(pcm, 0, n));
                    }
                    else if (type == "event")
                    {
                        var ev = ToEvent((string)e["kind"], (JObject)e["data"]);
                        if (ev != null) listener.OnEvent(ev);
                    }
                }
            }
            catch (OperationCanceledException) { }
            catch (ReplayDivergedException d)
            {
                listener.OnEvent(new ProviderError { ErrorKind = ProviderErrorKind.Protocol, Code = "replay_diverged", Message = d.Message, IsFatal = false });
            }
        }

        async Task ExpectAsync(string op, CancellationToken ct)
        {
            var deadline = DateTime.UtcNow + OperationTimeout;
            while (true)
            {
                lock (_gate)
                {
                    if (_ops.Count > 0)
                    {
                        var got = _ops.Dequeue();
                        if (got != op) throw new ReplayDivergedException("The recording expected the client to " + op + " but it did " + got + ".");
                        return;
                    }
                }
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !await _opSignal.WaitAsync(left, ct).ConfigureAwait(false))
                    throw new ReplayDivergedException("The recording expected the client to " + op + " within " + OperationTimeout.TotalSeconds + " s.");
            }
        }

        async Task ExpectAudioAsync(long samples, CancellationToken ct)
        {
            var deadline = DateTime.UtcNow + OperationTimeout;
            while (ReceivedSamples < samples)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !await _audioSignal.WaitAsync(left, ct).ConfigureAwait(false) && ReceivedSamples < samples)
                    throw new ReplayDivergedException("The recording expected " + samples + " samples of player audio by now; the client sent " + ReceivedSamples + ".");
            }
        }

        void Performed(string op)
        {
            lock (_gate) _ops.Enqueue(op);
            _opSignal.Release();
        }

        static ProviderEvent ToEvent(string kind, JObject data)
        {
            if (!Enum.TryParse(kind, out ProviderEventKind k)) return null;
            switch (k)
            {
                case ProviderEventKind.SessionStarted: return data.ToObject<SessionStarted>();
                case ProviderEventKind.UserSpeechStarted: return data.ToObject<UserSpeechStarted>();
                case ProviderEventKind.UserSpeechStopped: return data.ToObject<UserSpeechStopped>();
                case ProviderEventKind.UserTranscript: return data.ToObject<UserTranscript>();
                case ProviderEventKind.AgentTranscript: return data.ToObject<AgentTranscript>();
                case ProviderEventKind.ResponseStarted: return data.ToObject<ResponseStarted>();
                case ProviderEventKind.AgentAudioDone: return data.ToObject<AgentAudioDone>();
                case ProviderEventKind.ResponseDone: return data.ToObject<ResponseDone>();
                case ProviderEventKind.ServerInterrupted: return new ServerInterrupted();
                case ProviderEventKind.ToolCallRequested: return data.ToObject<ToolCallRequested>();
                case ProviderEventKind.ToolCallsCancelled:
                    var c = new ToolCallsCancelled();
                    foreach (var id in (JArray)data["CallIds"] ?? new JArray()) c.CallIds.Add((string)id);
                    return c;
                case ProviderEventKind.Usage: return data.ToObject<UsageReported>();
                case ProviderEventKind.RateLimits: return data.ToObject<RateLimitsUpdated>();
                case ProviderEventKind.ResumptionHandle: return data.ToObject<ResumptionHandleUpdated>();
                case ProviderEventKind.GoingAway: return data.ToObject<GoingAway>();
                case ProviderEventKind.Reconnecting: return data.ToObject<Reconnecting>();
                case ProviderEventKind.Resumed: return data.ToObject<Resumed>();
                case ProviderEventKind.Error: return data.ToObject<ProviderError>();
                // A recorded drop is not replayed as a drop: the replay ends instead of reconnecting to nothing.
                case ProviderEventKind.Disconnected: return null;
                default: return null;
            }
        }

        public ValueTask SendAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken cancellationToken)
        {
            Interlocked.Add(ref _receivedSamples, pcm.Length);
            if (_audioSignal.CurrentCount == 0) _audioSignal.Release();
            return default;
        }

        public Task StartUserTurnAsync(CancellationToken ct) { Performed("start_turn"); return Task.CompletedTask; }
        public Task EndUserTurnAsync(CancellationToken ct) { Performed("end_turn"); return Task.CompletedTask; }
        public Task SendTextAsync(string text, CancellationToken ct) { Performed("text"); return Task.CompletedTask; }
        public Task InterruptAsync(InterruptRequest request, CancellationToken ct) { Performed("interrupt"); return Task.CompletedTask; }
        public Task SendToolResultAsync(string callId, string name, string resultJson, CancellationToken ct) { Performed("tool_result"); return Task.CompletedTask; }

        public Task DisconnectAsync(CancellationToken ct)
        {
            _connected = false;
            _run?.Cancel();
            return Task.CompletedTask;
        }

        public void Dispose()
        {
            _connected = false;
            _run?.Cancel();
        }
    }
}
