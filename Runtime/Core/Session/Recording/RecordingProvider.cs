using System;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Parley.Providers;

namespace Parley.Session.Recording
{
    /// <summary>
    /// Wraps a live provider and records its connection (see <see cref="SessionRecorder"/>) without changing
    /// its behaviour: <c>new VoiceSession(() =&gt; new RecordingProvider(live(), recorder), ...)</c>.
    /// </summary>
    public sealed class RecordingProvider : IVoiceProvider, IProviderListener
    {
        readonly IVoiceProvider _inner;
        readonly SessionRecorder _recorder;
        IProviderListener _listener;

        public RecordingProvider(IVoiceProvider inner, SessionRecorder recorder)
        {
            _inner = inner ?? throw new ArgumentNullException(nameof(inner));
            _recorder = recorder ?? throw new ArgumentNullException(nameof(recorder));
        }

        public string Name => _inner.Name;
        public ProviderCapabilities Capabilities => _inner.Capabilities;
        public bool IsConnected => _inner.IsConnected;

        public Task ConnectAsync(SessionConfig config, IProviderListener listener, CancellationToken cancellationToken)
        {
            _listener = listener;
            _recorder.Header(_inner.Name, _inner.Capabilities);
            _recorder.Op("connect", new JObject
            {
                ["model"] = config.Model, ["voice"] = config.Voice, ["instructions"] = config.Instructions,
                ["turn_detection"] = config.TurnDetection?.Mode.ToString(), ["tools"] = config.Tools.Count,
                ["history"] = config.History.Count, ["resume"] = config.ResumeHandle != null,
            });
            return _inner.ConnectAsync(config, this, cancellationToken);
        }

        public ValueTask SendAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken cancellationToken)
        {
            _recorder.Input(pcm.Span);
            return _inner.SendAudioAsync(pcm, cancellationToken);
        }

        public Task StartUserTurnAsync(CancellationToken ct) { _recorder.Op("start_turn"); return _inner.StartUserTurnAsync(ct); }
        public Task EndUserTurnAsync(CancellationToken ct) { _recorder.Op("end_turn"); return _inner.EndUserTurnAsync(ct); }

        public Task SendTextAsync(string text, CancellationToken ct)
        {
            _recorder.Op("text", new JObject { ["text"] = text });
            return _inner.SendTextAsync(text, ct);
        }

        public Task InterruptAsync(InterruptRequest request, CancellationToken ct)
        {
            _recorder.Op("interrupt", new JObject { ["item"] = request.ItemId, ["played_ms"] = request.PlayedMs });
            return _inner.InterruptAsync(request, ct);
        }

        public Task SendToolResultAsync(string callId, string name, string resultJson, CancellationToken ct)
        {
            _recorder.Op("tool_result", new JObject { ["call_id"] = callId, ["name"] = name, ["result"] = resultJson });
            return _inner.SendToolResultAsync(callId, name, resultJson, ct);
        }

        public Task DisconnectAsync(CancellationToken ct) { _recorder.Op("disconnect"); return _inner.DisconnectAsync(ct); }

        public void Dispose()
        {
            _recorder.Flush();
            _inner.Dispose();
        }

        void IProviderListener.OnEvent(ProviderEvent e)
        {
            _recorder.Event(e);
            _listener.OnEvent(e);
        }

        void IProviderListener.OnAudio(string itemId, ReadOnlySpan<short> pcm)
        {
            _recorder.Audio("audio", itemId, pcm);
            _listener.OnAudio(itemId, pcm);
        }
    }
}
