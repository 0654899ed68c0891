using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Parley.RivaGrpc.Proto;
using Parley.Servers.Common;

namespace Parley.Servers.Riva
{
    public sealed class RivaGrpcScript
    {
        public readonly ConcurrentQueue<string> Transcripts = new ConcurrentQueue<string>();
        public Func<string, short[]> Voice;
        public int TtsRate = 22050;
        public double VadThreshold = 0.01;
        public int EndSilenceMs = 500;
        public int WordEveryMs = 250;
        public int TtsChunkMs = 100;
        /// <summary>When set, calls must carry this bearer token / function-id (as NVCF requires) or fail Unauthenticated.</summary>
        public string RequiredToken;
        public string RequiredFunctionId;
        /// <summary>Fail StreamingRecognize with this status after <see cref="AsrFailAfterMs"/> of audio.</summary>
        public StatusCode AsrFailStatus = StatusCode.OK;
        public int AsrFailAfterMs;
    }

    /// <summary>
    /// Riva's gRPC services on loopback (Grpc.AspNetCore over h2c), implemented from the package's own protos:
    /// StreamingRecognize enforces config-first-then-audio and answers with interim and final results;
    /// SynthesizeOnline (bidi, the 87a6b16 shape) streams LINEAR_PCM per request — an older-form client's single
    /// request and half-close is served by the same handler.
    /// </summary>
    public sealed class RivaGrpcServer : IAsyncDisposable
    {
        readonly WebApplication _app;
        public readonly RivaGrpcScript Script;
        public Uri Address { get; private set; }
        public int AsrCalls, TtsCalls, TtsRequests, AudioMessages;
        public readonly ConcurrentQueue<string> SeenFunctionIds = new ConcurrentQueue<string>();
        public readonly ConcurrentQueue<string> Protocol = new ConcurrentQueue<string>();

        RivaGrpcServer(RivaGrpcScript script)
        {
            Script = script;
            var builder = KestrelLoopback.CreateBuilder(http2Only: true);
            builder.Services.AddGrpc();
            builder.Services.AddSingleton(this);
            _app = builder.Build();
            _app.MapGrpcService<AsrService>();
            _app.MapGrpcService<TtsService>();
        }

        public static async Task<RivaGrpcServer> StartAsync(RivaGrpcScript script)
        {
            var s = new RivaGrpcServer(script ?? new RivaGrpcScript());
            s.Address = await KestrelLoopback.StartAsync(s._app);
            return s;
        }

        internal void Authorize(ServerCallContext ctx)
        {
            var fid = ctx.RequestHeaders.GetValue("function-id");
            if (fid != null) SeenFunctionIds.Enqueue(fid);
            if (Script.RequiredToken != null && ctx.RequestHeaders.GetValue("authorization") != "Bearer " + Script.RequiredToken)
                throw new RpcException(new Status(StatusCode.Unauthenticated, "invalid or missing bearer token"));
            if (Script.RequiredFunctionId != null && fid != Script.RequiredFunctionId)
                throw new RpcException(new Status(StatusCode.NotFound, "function id not found"));
        }

        sealed class AsrService : RivaSpeechRecognition.RivaSpeechRecognitionBase
        {
            readonly RivaGrpcServer _s;
            public AsrService(RivaGrpcServer s) { _s = s; }

            public override async Task StreamingRecognize(IAsyncStreamReader<StreamingRecognizeRequest> requests, IServerStreamWriter<StreamingRecognizeResponse> responses, ServerCallContext context)
            {
                Interlocked.Increment(ref _s.AsrCalls);
                _s.Authorize(context);
                if (!await requests.MoveNext() || requests.Current.StreamingRequestCase != StreamingRecognizeRequest.StreamingRequestOneofCase.StreamingConfig)
                    throw new RpcException(new Status(StatusCode.InvalidArgument, "the first message must carry streaming_config only"));
                var config = requests.Current.StreamingConfig;
                var rate = config.Config.SampleRateHertz;
                if (config.Config.Encoding != AudioEncoding.LinearPcm || rate < 8000)
                    throw new RpcException(new Status(StatusCode.InvalidArgument, "unsupported encoding or sample rate"));
                var recognizer = new EnergyRecognizer(_s.Script.Transcripts, rate, _s.Script.VadThreshold, _s.Script.EndSilenceMs, _s.Script.WordEveryMs);
                double received = 0;
                while (await requests.MoveNext())
                {
                    if (requests.Current.StreamingRequestCase != StreamingRecognizeRequest.StreamingRequestOneofCase.AudioContent)
                        throw new RpcException(new Status(StatusCode.InvalidArgument, "after the config, only audio_content"));
                    Interlocked.Increment(ref _s.AudioMessages);
                    var bytes = requests.Current.AudioContent.Span;
                    var pcm = new short[bytes.Length / 2];
                    System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(bytes.Slice(0, pcm.Length * 2)).CopyTo(pcm);
                    received += pcm.Length * 1000.0 / rate;
                    foreach (var e in recognizer.Feed(pcm)) await responses.WriteAsync(ToProto(e, config.InterimResults));
                    if (_s.Script.AsrFailStatus != StatusCode.OK && received >= _s.Script.AsrFailAfterMs)
                        throw new RpcException(new Status(_s.Script.AsrFailStatus, "scripted failure: model instance crashed"));
                }
                foreach (var e in recognizer.End())
                    if (!e.Last) await responses.WriteAsync(ToProto(e, config.InterimResults));
            }

            static StreamingRecognizeResponse ToProto(RecognizerEvent e, bool interim)
            {
                var response = new StreamingRecognizeResponse();
                if (!e.Final && !interim) return response;
                var alt = new SpeechRecognitionAlternative { Transcript = e.Final ? e.Transcript : e.Hypothesis, Confidence = 0.9f };
                foreach (var w in e.Words) alt.Words.Add(new WordInfo { Word = w.Word, StartTime = w.StartMs, EndTime = w.EndMs, Confidence = 0.9f });
                var result = new StreamingRecognitionResult { IsFinal = e.Final, Stability = e.Final ? 1f : 0.5f };
                result.Alternatives.Add(alt);
                response.Results.Add(result);
                return response;
            }
        }

        sealed class TtsService : RivaSpeechSynthesis.RivaSpeechSynthesisBase
        {
            readonly RivaGrpcServer _s;
            public TtsService(RivaGrpcServer s) { _s = s; }

            public override async Task SynthesizeOnline(IAsyncStreamReader<SynthesizeSpeechRequest> requests, IServerStreamWriter<SynthesizeSpeechResponse> responses, ServerCallContext context)
            {
                Interlocked.Increment(ref _s.TtsCalls);
                _s.Authorize(context);
                while (await requests.MoveNext())
                {
                    Interlocked.Increment(ref _s.TtsRequests);
                    var r = requests.Current;
                    if (r.Encoding != AudioEncoding.LinearPcm) throw new RpcException(new Status(StatusCode.InvalidArgument, "only LINEAR_PCM"));
                    if (r.SampleRateHz != _s.Script.TtsRate) _s.Protocol.Enqueue("asked " + r.SampleRateHz + " Hz");
                    var pcm = _s.Script.Voice?.Invoke(r.Text) ?? ServerAudio.Babble(r.Text, _s.Script.TtsRate);
                    var chunk = _s.Script.TtsRate * _s.Script.TtsChunkMs / 1000;
                    for (var i = 0; i < pcm.Length; i += chunk)
                    {
                        var n = Math.Min(chunk, pcm.Length - i);
                        var bytes = new byte[n * 2];
                        Buffer.BlockCopy(pcm, i * 2, bytes, 0, n * 2);
                        var response = new SynthesizeSpeechResponse { Audio = ByteString.CopyFrom(bytes) };
                        if (i == 0) response.Meta = new SynthesizeSpeechResponseMetadata { Text = r.Text, ProcessedText = r.Text.ToLowerInvariant() };
                        await responses.WriteAsync(response);
                    }
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            using (var force = new CancellationTokenSource(3000)) await _app.StopAsync(force.Token);
            await _app.DisposeAsync();
        }
    }
}
