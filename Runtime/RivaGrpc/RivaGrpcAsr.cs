using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Parley.Providers;
using Parley.Providers.Riva;
using Parley.RivaGrpc.Proto;

namespace Parley.RivaGrpc
{
    /// <summary>
    /// Streaming ASR over gRPC StreamingRecognize: the first request carries only the streaming_config (with
    /// interim results), every later one only audio_content. Interim hypotheses become partial deltas when they
    /// extend the previous one; finals carry the whole utterance.
    /// </summary>
    public sealed class RivaGrpcAsr : IAsrStage
    {
        readonly RivaGrpcOptions _options;
        readonly GrpcChannel _channel;
        readonly bool _ownsChannel;
        readonly RivaSpeechRecognition.RivaSpeechRecognitionClient _client;
        readonly SpeechClock _clock;
        readonly byte[] _pending;
        readonly SemaphoreSlim _lane = new SemaphoreSlim(1, 1);
        int _pendingBytes;
        IAsrListener _listener;
        AsyncDuplexStreamingCall<StreamingRecognizeRequest, StreamingRecognizeResponse> _call;
        Task _receive;
        string _partial = string.Empty;
        volatile bool _finishing;

        public RivaGrpcAsr(RivaGrpcOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _channel = options.CreateChannel(out _ownsChannel);
            _client = new RivaSpeechRecognition.RivaSpeechRecognitionClient(_channel);
            _clock = new SpeechClock(options.InputSampleRate);
            _pending = new byte[options.ChunkSamples * 2];
        }

        public int SampleRate => _options.InputSampleRate;

        public async Task StartAsync(IAsrListener listener, CancellationToken cancellationToken)
        {
            _listener = listener ?? throw new ArgumentNullException(nameof(listener));
            await OpenAsync(cancellationToken).ConfigureAwait(false);
        }

        async Task OpenAsync(CancellationToken cancellationToken)
        {
            var headers = await _options.HeadersAsync(cancellationToken).ConfigureAwait(false);
            var call = _client.StreamingRecognize(headers);
            var config = new RecognitionConfig
            {
                Encoding = AudioEncoding.LinearPcm,
                SampleRateHertz = _options.InputSampleRate,
                LanguageCode = _options.LanguageCode,
                MaxAlternatives = 1,
                AudioChannelCount = 1,
                EnableWordTimeOffsets = true,
                EnableAutomaticPunctuation = _options.AutomaticPunctuation,
            };
            if (!string.IsNullOrEmpty(_options.AsrModel)) config.Model = _options.AsrModel;
            try
            {
                await call.RequestStream.WriteAsync(new StreamingRecognizeRequest { StreamingConfig = new StreamingRecognitionConfig { Config = config, InterimResults = true } }).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RpcException || e is InvalidOperationException || e is System.IO.IOException)
            {
                var error = await StatusOf(call, e).ConfigureAwait(false);
                call.Dispose();
                throw error;
            }
            _clock.Reset();
            _pendingBytes = 0;
            _partial = string.Empty;
            _finishing = false;
            _call = call;
            _receive = Task.Run(() => ReceiveLoop(call));
        }

        /// <summary>A failed write often hides the real status; read it from the response side (bounded).</summary>
        static async Task<ProviderException> StatusOf(AsyncDuplexStreamingCall<StreamingRecognizeRequest, StreamingRecognizeResponse> call, Exception e)
        {
            try
            {
                var next = call.ResponseStream.MoveNext(CancellationToken.None);
                if (await Task.WhenAny(next, Task.Delay(2000)).ConfigureAwait(false) == next) await next.ConfigureAwait(false);
            }
            catch (RpcException rpc)
            {
                return RivaGrpcErrors.Map(rpc);
            }
            return RivaGrpcErrors.Map(e);
        }

        async Task ReceiveLoop(AsyncDuplexStreamingCall<StreamingRecognizeRequest, StreamingRecognizeResponse> call)
        {
            try
            {
                while (await call.ResponseStream.MoveNext(CancellationToken.None).ConfigureAwait(false))
                {
                    foreach (var result in call.ResponseStream.Current.Results)
                    {
                        if (result.Alternatives.Count == 0) continue;
                        var alt = result.Alternatives[0];
                        if (result.IsFinal)
                        {
                            long stop = 0;
                            if (alt.Words.Count > 0) stop = _clock.TimestampOf(alt.Words[alt.Words.Count - 1].EndTime);
                            _partial = string.Empty;
                            var text = alt.Transcript.Trim();
                            if (text.Length > 0) _listener.OnFinal(text, stop);
                        }
                        else
                        {
                            var hypothesis = alt.Transcript;
                            if (hypothesis.Length > _partial.Length && hypothesis.StartsWith(_partial, StringComparison.Ordinal))
                                _listener.OnPartial(hypothesis.Substring(_partial.Length));
                            _partial = hypothesis;
                        }
                    }
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && (_finishing || _call != call))
            {
            }
            catch (Exception e) when (e is RpcException || e is System.IO.IOException || e is InvalidOperationException)
            {
                if (_call == call) _listener.OnFailed(RivaGrpcErrors.Map(e));
            }
        }

        public async ValueTask SendAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken cancellationToken)
        {
            await _lane.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_call == null || _finishing) await OpenAsync(cancellationToken).ConfigureAwait(false);
                var done = 0;
                while (done < pcm.Length)
                {
                    done += Append(pcm.Span, done);
                    if (_pendingBytes == _pending.Length) await Flush().ConfigureAwait(false);
                }
            }
            finally
            {
                _lane.Release();
            }
        }

        /// <summary>Copies as many samples from <paramref name="from"/> as fit in the pending chunk; returns how many.</summary>
        int Append(ReadOnlySpan<short> pcm, int from)
        {
            var n = Math.Min(pcm.Length - from, (_pending.Length - _pendingBytes) / 2);
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(pcm.Slice(from, n)).CopyTo(new Span<byte>(_pending, _pendingBytes, n * 2));
            _pendingBytes += n * 2;
            return n;
        }

        async Task Flush()
        {
            if (_pendingBytes == 0) return;
            try
            {
                await _call.RequestStream.WriteAsync(new StreamingRecognizeRequest { AudioContent = ByteString.CopyFrom(_pending, 0, _pendingBytes) }).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RpcException || e is InvalidOperationException || e is System.IO.IOException)
            {
                throw await StatusOf(_call, e).ConfigureAwait(false);
            }
            _clock.OnSent(_pendingBytes / 2);
            _pendingBytes = 0;
        }

        public async Task FinishAsync(CancellationToken cancellationToken)
        {
            Task receive;
            await _lane.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_call == null || _finishing) return;
                await Flush().ConfigureAwait(false);
                _finishing = true;
                await _call.RequestStream.CompleteAsync().ConfigureAwait(false);
                receive = _receive;
            }
            finally
            {
                _lane.Release();
            }
            var done = await Task.WhenAny(receive, Task.Delay(_options.ResultTimeout, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (done != receive)
                throw new ProviderException(ProviderErrorKind.Stalled, "no_final", "Riva did not end the recognition stream within " + _options.ResultTimeout.TotalSeconds + " s of the audio's end.");
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            var call = _call;
            _call = null;
            _finishing = true;
            call?.Dispose();
            return Task.CompletedTask;
        }

        public void Dispose()
        {
            StopAsync(CancellationToken.None);
            if (_ownsChannel) _channel.Dispose();
        }
    }
}
