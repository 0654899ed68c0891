using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Parley.Audio;

namespace Parley.Providers.Riva
{
    /// <summary>
    /// Streaming ASR over the NIM realtime WebSocket (<c>/v1/realtime?intent=transcription</c>). Not OpenAI's protocol:
    /// the server speaks first (<c>conversation.created</c>), the session is set with the beta-style
    /// <c>transcription_session.update</c>, every <c>input_audio_buffer.append</c> is followed by a commit, the end of
    /// the audio is <c>input_audio_buffer.done</c>, and finals carry <c>is_last_result</c>.
    /// </summary>
    public sealed class NimRealtimeAsr : IAsrStage
    {
        static readonly byte[] AppendHead = Encoding.ASCII.GetBytes("{\"type\":\"input_audio_buffer.append\",\"audio\":\"");
        static readonly byte[] AppendTail = Encoding.ASCII.GetBytes("\"}");
        static readonly byte[] Commit = Encoding.ASCII.GetBytes("{\"type\":\"input_audio_buffer.commit\"}");
        static readonly byte[] Done = Encoding.ASCII.GetBytes("{\"type\":\"input_audio_buffer.done\"}");

        readonly NimRealtimeOptions _options;
        readonly SpeechClock _clock;
        readonly short[] _pending;
        readonly byte[] _message;
        readonly SemaphoreSlim _audioLane = new SemaphoreSlim(1, 1);
        int _pendingCount;
        NimRealtimeSocket _socket;
        IAsrListener _listener;
        TaskCompletionSource<bool> _lastResult;

        public NimRealtimeAsr(NimRealtimeOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            if (options.ChunkSamples <= 0) throw new ArgumentOutOfRangeException(nameof(options), "ChunkSamples must be positive.");
            _clock = new SpeechClock(options.InputSampleRate);
            _pending = new short[options.ChunkSamples];
            _message = new byte[AppendHead.Length + Pcm16Base64.EncodedLength(options.ChunkSamples) + AppendTail.Length];
            AppendHead.CopyTo(_message, 0);
        }

        public int SampleRate => _options.InputSampleRate;

        public bool IsOpen => _socket != null && _socket.IsOpen;

        public async Task StartAsync(IAsrListener listener, CancellationToken cancellationToken)
        {
            _listener = listener ?? throw new ArgumentNullException(nameof(listener));
            await OpenAsync(cancellationToken).ConfigureAwait(false);
        }

        async Task OpenAsync(CancellationToken cancellationToken)
        {
            var socket = new NimRealtimeSocket(_options, "transcription");
            _clock.Reset();
            _pendingCount = 0;
            var lastResult = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _lastResult = lastResult;
            // The server speaks first (conversation.created); the session is set after it.
            await socket.OpenAsync("conversation.created", SessionUpdate(), "transcription_session.updated", e => OnEvent(e, lastResult), failure =>
            {
                // A server that closes right after the last result (input_audio_buffer.done) ended the stream normally.
                var endedNormally = lastResult.Task.IsCompleted && lastResult.Task.Result;
                lastResult.TrySetResult(false);
                if (failure != null && !endedNormally) _listener.OnFailed(failure);
            }, cancellationToken).ConfigureAwait(false);
            _socket = socket;
        }

        string SessionUpdate()
        {
            var session = new JObject
            {
                ["modalities"] = new JArray("text"),
                ["input_audio_format"] = "pcm16",
                ["input_audio_transcription"] = new JObject
                {
                    ["language"] = _options.LanguageCode,
                    ["model"] = _options.AsrModel ?? "",
                    ["prompt"] = "",
                },
                ["input_audio_params"] = new JObject { ["sample_rate_hz"] = _options.InputSampleRate, ["num_channels"] = 1 },
                ["recognition_config"] = new JObject
                {
                    ["max_alternatives"] = 1,
                    ["enable_automatic_punctuation"] = _options.AutomaticPunctuation,
                    // Word times let the cascade measure the ASR final delay from the player's last word.
                    ["enable_word_time_offsets"] = true,
                    ["enable_profanity_filter"] = false,
                    ["enable_verbatim_transcripts"] = false,
                },
            };
            return new JObject { ["type"] = "transcription_session.update", ["session"] = session }.ToString(Newtonsoft.Json.Formatting.None);
        }

        void OnEvent(JObject e, TaskCompletionSource<bool> lastResult)
        {
            var type = JsonFields.Str(e, "type");
            switch (type)
            {
                case "conversation.item.input_audio_transcription.delta":
                    var delta = JsonFields.Str(e, "delta");
                    if (!string.IsNullOrEmpty(delta)) _listener.OnPartial(delta);
                    return;
                case "conversation.item.input_audio_transcription.completed":
                    var transcript = JsonFields.Str(e, "transcript") ?? string.Empty;
                    long stop = 0;
                    if (JsonFields.Arr(JsonFields.Obj(e, "words_info"), "words") is JArray words && words.Count > 0
                        && JsonFields.Number(words[words.Count - 1], "end_time") is double end)
                        stop = _clock.TimestampOf(end);
                    if (transcript.Trim().Length > 0) _listener.OnFinal(transcript.Trim(), stop);
                    if (JsonFields.Bool(e, "is_last_result") == true) lastResult.TrySetResult(true);
                    return;
                default:
                    var error = NimRealtimeSocket.AsError(e);
                    if (error != null) _listener.OnFailed(error);
                    return;
            }
        }

        public async ValueTask SendAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken cancellationToken)
        {
            await _audioLane.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_socket == null || !_socket.IsOpen) await OpenAsync(cancellationToken).ConfigureAwait(false);
                var src = pcm;
                while (src.Length > 0)
                {
                    var n = Math.Min(src.Length, _pending.Length - _pendingCount);
                    src.Span.Slice(0, n).CopyTo(new Span<short>(_pending, _pendingCount, n));
                    _pendingCount += n;
                    src = src.Slice(n);
                    if (_pendingCount == _pending.Length) await FlushChunk(cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                _audioLane.Release();
            }
        }

        async Task FlushChunk(CancellationToken cancellationToken)
        {
            if (_pendingCount == 0) return;
            var len = Pcm16Base64.Encode(new ReadOnlySpan<short>(_pending, 0, _pendingCount), new Span<byte>(_message, AppendHead.Length, _message.Length - AppendHead.Length));
            AppendTail.CopyTo(_message, AppendHead.Length + len);
            await _socket.SendAsync(new ReadOnlyMemory<byte>(_message, 0, AppendHead.Length + len + AppendTail.Length), cancellationToken).ConfigureAwait(false);
            await _socket.SendAsync(Commit, cancellationToken).ConfigureAwait(false);
            _clock.OnSent(_pendingCount);
            _pendingCount = 0;
        }

        public async Task FinishAsync(CancellationToken cancellationToken)
        {
            NimRealtimeSocket socket;
            TaskCompletionSource<bool> last;
            await _audioLane.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                socket = _socket;
                last = _lastResult;
                if (socket == null || !socket.IsOpen) return;
                await FlushChunk(cancellationToken).ConfigureAwait(false);
                await socket.SendAsync(Done, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _audioLane.Release();
            }
            // The finals arrive through the listener; wait (bounded) so the next turn starts on a fresh stream.
            var finished = await Task.WhenAny(last.Task, Task.Delay(_options.ResultTimeout, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            await socket.CloseAsync(cancellationToken).ConfigureAwait(false);
            if (finished != last.Task)
                throw new ProviderException(ProviderErrorKind.Stalled, "no_final", "The NIM sent no last result within " + _options.ResultTimeout.TotalSeconds + " s after input_audio_buffer.done.");
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            var socket = _socket;
            _socket = null;
            if (socket != null)
            {
                await socket.CloseAsync(cancellationToken).ConfigureAwait(false);
                socket.Dispose();
            }
        }

        public void Dispose()
        {
            _socket?.Dispose();
            _socket = null;
        }
    }
}
