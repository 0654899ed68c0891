using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;
using Grpc.Net.Client;
using Parley.Providers;
using Parley.Providers.Riva;
using Parley.RivaGrpc.Proto;

namespace Parley.RivaGrpc
{
    /// <summary>
    /// Streaming TTS over gRPC SynthesizeOnline, in either shape (<see cref="SynthesizeOnlineMode"/>): the newer
    /// client-streaming form keeps one call per reply and writes one request per phrase; the older server-streaming
    /// form makes one call per phrase (same method path, a single request), which also marks phrase boundaries.
    /// Audio is LINEAR_PCM at the asked rate.
    /// </summary>
    public sealed class RivaGrpcTts : ITtsStage
    {
        static readonly Marshaller<SynthesizeSpeechRequest> RequestMarshaller = Marshallers.Create(r => Google.Protobuf.MessageExtensions.ToByteArray(r), SynthesizeSpeechRequest.Parser.ParseFrom);
        static readonly Marshaller<SynthesizeSpeechResponse> ResponseMarshaller = Marshallers.Create(r => Google.Protobuf.MessageExtensions.ToByteArray(r), SynthesizeSpeechResponse.Parser.ParseFrom);
        /// <summary>The pre-87a6b16 signature: rpc SynthesizeOnline(SynthesizeSpeechRequest) returns (stream SynthesizeSpeechResponse).</summary>
        static readonly Method<SynthesizeSpeechRequest, SynthesizeSpeechResponse> LegacyOnline = new Method<SynthesizeSpeechRequest, SynthesizeSpeechResponse>(
            MethodType.ServerStreaming, "nvidia.riva.tts.RivaSpeechSynthesis", "SynthesizeOnline", RequestMarshaller, ResponseMarshaller);

        readonly RivaGrpcOptions _options;
        readonly GrpcChannel _channel;
        readonly bool _ownsChannel;

        public RivaGrpcTts(RivaGrpcOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _channel = options.CreateChannel(out _ownsChannel);
        }

        public int SampleRate => _options.OutputSampleRate;

        public async Task<ITtsStream> OpenAsync(ITtsSink sink, CancellationToken cancellationToken)
        {
            var headers = await _options.HeadersAsync(cancellationToken).ConfigureAwait(false);
            var stream = new Stream(this, sink, headers);
            if (_options.SynthesizeMode == SynthesizeOnlineMode.ClientStreaming) stream.OpenStreaming();
            return stream;
        }

        SynthesizeSpeechRequest Request(string text) => new SynthesizeSpeechRequest
        {
            Text = text,
            LanguageCode = _options.LanguageCode,
            Encoding = AudioEncoding.LinearPcm,
            SampleRateHz = _options.OutputSampleRate,
            VoiceName = _options.Voice ?? string.Empty,
        };

        public void Dispose()
        {
            if (_ownsChannel) _channel.Dispose();
        }

        sealed class Stream : ITtsStream
        {
            readonly RivaGrpcTts _owner;
            readonly ITtsSink _sink;
            readonly Metadata _headers;
            readonly CancellationTokenSource _abort = new CancellationTokenSource();
            AsyncDuplexStreamingCall<SynthesizeSpeechRequest, SynthesizeSpeechResponse> _call;
            Task _receive = Task.CompletedTask;
            Task _legacyChain = Task.CompletedTask;
            short[] _pcm = new short[8192];
            int _carry = -1;
            long _lastActivity = Environment.TickCount;

            public Stream(RivaGrpcTts owner, ITtsSink sink, Metadata headers)
            {
                _owner = owner;
                _sink = sink;
                _headers = headers;
            }

            public void OpenStreaming()
            {
                var client = new RivaSpeechSynthesis.RivaSpeechSynthesisClient(_owner._channel);
                _call = client.SynthesizeOnline(_headers, cancellationToken: _abort.Token);
                _receive = Task.Run(() => Receive(_call.ResponseStream));
            }

            async Task Receive(IAsyncStreamReader<SynthesizeSpeechResponse> responses)
            {
                while (await responses.MoveNext(_abort.Token).ConfigureAwait(false))
                {
                    Interlocked.Exchange(ref _lastActivity, Environment.TickCount);
                    Deliver(responses.Current.Audio.Span);
                }
            }

            void Deliver(ReadOnlySpan<byte> audio)
            {
                if (audio.Length == 0) return;
                var samples = (audio.Length + (_carry >= 0 ? 1 : 0)) / 2;
                if (_pcm.Length < samples) _pcm = new short[samples * 2];
                var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(new Span<short>(_pcm));
                var o = 0;
                var i = 0;
                if (_carry >= 0) { bytes[o++] = (byte)_carry; _carry = -1; }
                for (; i < audio.Length; i++) bytes[o++] = audio[i];
                if ((o & 1) != 0) { _carry = bytes[o - 1]; o--; }
                _sink.OnAudio(new ReadOnlySpan<short>(_pcm, 0, o / 2));
            }

            public async Task SpeakAsync(string phrase, CancellationToken cancellationToken)
            {
                if (string.IsNullOrWhiteSpace(phrase)) return;
                if (_call != null)
                {
                    try
                    {
                        await _call.RequestStream.WriteAsync(_owner.Request(phrase)).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is RpcException || e is InvalidOperationException || e is System.IO.IOException)
                    {
                        throw await Failure(e).ConfigureAwait(false);
                    }
                    return;
                }
                var previous = _legacyChain;
                _legacyChain = SpeakLegacy(previous, phrase);
            }

            async Task SpeakLegacy(Task previous, string phrase)
            {
                await previous.ConfigureAwait(false);
                var invoker = _owner._channel.CreateCallInvoker();
                using (var call = invoker.AsyncServerStreamingCall(LegacyOnline, null, new CallOptions(_headers, cancellationToken: _abort.Token), _owner.Request(phrase)))
                {
                    try
                    {
                        await Receive(call.ResponseStream).ConfigureAwait(false);
                    }
                    catch (RpcException e)
                    {
                        throw RivaGrpcErrors.Map(e);
                    }
                }
                _sink.OnPhraseDone();
            }

            async Task<ProviderException> Failure(Exception e)
            {
                try
                {
                    await Task.WhenAny(_receive, Task.Delay(2000)).ConfigureAwait(false);
                    if (_receive.IsFaulted) return RivaGrpcErrors.Map(_receive.Exception.InnerException);
                }
                catch (Exception)
                {
                }
                return RivaGrpcErrors.Map(e);
            }

            public async Task CompleteAsync(CancellationToken cancellationToken)
            {
                Task work;
                if (_call != null)
                {
                    try
                    {
                        await _call.RequestStream.CompleteAsync().ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is RpcException || e is InvalidOperationException || e is System.IO.IOException)
                    {
                        throw await Failure(e).ConfigureAwait(false);
                    }
                    work = _receive;
                }
                else work = _legacyChain;
                await SilenceBound.WaitAsync(work, () => Interlocked.Read(ref _lastActivity), _owner._options.ResultTimeout, "Riva TTS", cancellationToken).ConfigureAwait(false);
                try
                {
                    await work.ConfigureAwait(false);
                }
                catch (RpcException e)
                {
                    throw RivaGrpcErrors.Map(e);
                }
            }

            public void Abort()
            {
                try { _abort.Cancel(); } catch (ObjectDisposedException) { }
                _call?.Dispose();
            }

            public void Dispose() => Abort();
        }
    }
}
