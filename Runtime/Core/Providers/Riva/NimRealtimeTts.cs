using System;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Parley.Audio;

namespace Parley.Providers.Riva
{
    /// <summary>
    /// Streaming TTS over the NIM realtime WebSocket (<c>/v1/realtime?intent=synthesize</c>): one connection per reply,
    /// <c>synthesize_session.update</c> → <c>synthesize_session.updated</c>, then per phrase <c>input_text.append</c> +
    /// <c>input_text.commit</c>; audio arrives as <c>conversation.item.speech.data</c> (base64 PCM16 at the asked rate)
    /// and each commit ends with <c>conversation.item.speech.completed</c>; <c>input_text.done</c> ends the reply
    /// (the server's last completed carries <c>is_last_result</c>). Interruption closes the socket.
    /// </summary>
    public sealed class NimRealtimeTts : ITtsStage
    {
        readonly NimRealtimeOptions _options;

        public NimRealtimeTts(NimRealtimeOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
        }

        public int SampleRate => _options.OutputSampleRate;

        public async Task<ITtsStream> OpenAsync(ITtsSink sink, CancellationToken cancellationToken)
        {
            if (sink == null) throw new ArgumentNullException(nameof(sink));
            var socket = new NimRealtimeSocket(_options, "synthesize");
            var stream = new Stream(socket, sink);
            var session = new JObject
            {
                ["input_text_synthesis"] = new JObject { ["language_code"] = _options.LanguageCode, ["voice_name"] = _options.Voice ?? "" },
                ["output_audio_params"] = new JObject { ["sample_rate_hz"] = _options.OutputSampleRate, ["audio_format"] = "pcm16" },
            };
            var setup = new JObject { ["type"] = "synthesize_session.update", ["session"] = session }.ToString(Newtonsoft.Json.Formatting.None);
            await socket.OpenAsync(null, setup, "synthesize_session.updated", stream.OnEvent, stream.OnClosed, cancellationToken).ConfigureAwait(false);
            var rate = JsonFields.Int(JsonFields.Obj(JsonFields.Obj(socket.Accepted, "session"), "output_audio_params"), "sample_rate_hz", _options.OutputSampleRate);
            if (rate != _options.OutputSampleRate)
            {
                socket.Abort();
                throw new ProviderException(ProviderErrorKind.Protocol, "sample_rate", "The NIM TTS would send " + rate + " Hz; " + _options.OutputSampleRate + " Hz was asked for.");
            }
            return stream;
        }

        public void Dispose() { }

        sealed class Stream : ITtsStream
        {
            readonly NimRealtimeSocket _socket;
            readonly ITtsSink _sink;
            readonly TaskCompletionSource<bool> _finished = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            byte[] _bytes = new byte[16384];
            short[] _pcm = new short[8192];
            int _carry = -1;
            int _committed;
            int _completed;
            volatile bool _doneSent;

            public Stream(NimRealtimeSocket socket, ITtsSink sink)
            {
                _socket = socket;
                _sink = sink;
            }

            /// <summary>The watchdog runs while audio is owed: a committed phrase not completed, or the done not answered.</summary>
            void UpdateOwed() => _socket.ExpectResult(!_finished.Task.IsCompleted && (_completed < Volatile.Read(ref _committed) || _doneSent));

            public async Task SpeakAsync(string phrase, CancellationToken cancellationToken)
            {
                if (string.IsNullOrWhiteSpace(phrase)) return;
                ThrowIfFailed();
                await _socket.SendAsync(new JObject { ["type"] = "input_text.append", ["text"] = phrase }.ToString(Newtonsoft.Json.Formatting.None), cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _committed);
                await _socket.SendAsync("{\"type\":\"input_text.commit\"}", cancellationToken).ConfigureAwait(false);
                UpdateOwed();
            }

            public async Task CompleteAsync(CancellationToken cancellationToken)
            {
                ThrowIfFailed();
                if (!_doneSent)
                {
                    _doneSent = true;
                    await _socket.SendAsync("{\"type\":\"input_text.done\"}", cancellationToken).ConfigureAwait(false);
                    UpdateOwed();
                }
                // Bounded by the connection's stall watchdog (silence while audio is owed), not by the reply's length.
                using (cancellationToken.Register(() => _finished.TrySetCanceled()))
                    await _finished.Task.ConfigureAwait(false);
                await _socket.CloseAsync(cancellationToken).ConfigureAwait(false);
            }

            void ThrowIfFailed()
            {
                if (_finished.Task.IsFaulted) throw _finished.Task.Exception.InnerException;
            }

            internal void OnEvent(JObject e)
            {
                var type = JsonFields.Str(e, "type");
                if (type == "conversation.item.speech.data")
                {
                    var b64 = JsonFields.Str(e, "audio");
                    if (!string.IsNullOrEmpty(b64)) Deliver(b64);
                }
                else if (type == "conversation.item.speech.completed")
                {
                    if (_completed < Volatile.Read(ref _committed))
                    {
                        _completed++;
                        _sink.OnPhraseDone();
                    }
                    if (JsonFields.Bool(e, "is_last_result") == true || (_doneSent && _completed >= Volatile.Read(ref _committed)))
                        _finished.TrySetResult(true);
                    UpdateOwed();
                }
                else
                {
                    var error = NimRealtimeSocket.AsError(e);
                    if (error != null) _finished.TrySetException(error);
                }
            }

            void Deliver(string b64)
            {
                var max = b64.Length / 4 * 3 + 3;
                if (_bytes.Length < max + 1) _bytes = new byte[max * 2];
                var ascii = System.Text.Encoding.ASCII.GetBytes(b64);
                var offset = 0;
                if (_carry >= 0) { _bytes[0] = (byte)_carry; offset = 1; _carry = -1; }
                int n;
                try
                {
                    n = Pcm16Base64.DecodeBytes(ascii, new Span<byte>(_bytes, offset, _bytes.Length - offset)) + offset;
                }
                catch (FormatException ex)
                {
                    _finished.TrySetException(new ProviderException(ProviderErrorKind.Protocol, "bad_audio", "The NIM TTS sent audio that is not base64.", ex));
                    return;
                }
                // A sample split across two messages: keep its first byte for the next one.
                if ((n & 1) != 0) { _carry = _bytes[n - 1]; n--; }
                var samples = n / 2;
                if (_pcm.Length < samples) _pcm = new short[samples * 2];
                Buffer.BlockCopy(_bytes, 0, _pcm, 0, n);
                _sink.OnAudio(new ReadOnlySpan<short>(_pcm, 0, samples));
            }

            internal void OnClosed(ProviderException failure)
            {
                if (failure != null) _finished.TrySetException(failure);
                else if (!_doneSent) _finished.TrySetException(new ProviderException(ProviderErrorKind.Transport, "closed", "The NIM TTS connection closed before the reply was complete."));
                else _finished.TrySetResult(true);
            }

            public void Abort() => _socket.Dispose();

            public void Dispose() => _socket.Dispose();
        }
    }
}
