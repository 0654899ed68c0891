using System;
using System.Net.Http;
using Grpc.Core;
using Grpc.Net.Client;
using Parley.Providers.Auth;

namespace Parley.RivaGrpc
{
    /// <summary>Which shape of SynthesizeOnline the server has (nvidia-riva/common changed it in 87a6b16, 2026-03-02).</summary>
    public enum SynthesizeOnlineMode
    {
        /// <summary>Newer servers: one call per reply, one request per phrase (client streaming).</summary>
        ClientStreaming,
        /// <summary>Older servers: one call per phrase, a single request answered by a stream of audio.</summary>
        ServerStreaming,
    }

    /// <summary>How to reach Riva / a Speech NIM over gRPC (port 50051 locally; grpc.nvcf.nvidia.com:443 hosted).</summary>
    public sealed class RivaGrpcOptions
    {
        /// <summary>http://127.0.0.1:50051 (plain HTTP/2) or https://grpc.nvcf.nvidia.com:443.</summary>
        public Uri Address;
        /// <summary>
        /// The HTTP/2 handler. Required in Unity, whose Mono HttpClient has no HTTP/2 (for example Cysharp's
        /// YetAnotherHttpHandler); null on .NET hosts, which have one.
        /// </summary>
        public HttpMessageHandler HttpHandler;
        /// <summary>Or a channel the caller owns (shared between the ASR and TTS stages).</summary>
        public GrpcChannel Channel;
        /// <summary>NVIDIA cloud functions: the per-model function id sent as "function-id" metadata.</summary>
        public string FunctionId;
        /// <summary>Sent as "authorization: Bearer …" (NVIDIA_API_KEY for NVCF); null for a local server.</summary>
        public ICredentialSource Credentials;
        /// <summary>Plain http:// to a non-loopback host is refused unless this is set.</summary>
        public bool AllowInsecure;
        public TimeSpan ResultTimeout = TimeSpan.FromSeconds(15);

        public string LanguageCode = "en-US";
        public string AsrModel;
        public int InputSampleRate = 16000;
        /// <summary>Samples per audio_content message (100 ms at 16 kHz).</summary>
        public int ChunkSamples = 1600;
        public bool AutomaticPunctuation = true;

        public string Voice;
        public int OutputSampleRate = 22050;
        public SynthesizeOnlineMode SynthesizeMode = SynthesizeOnlineMode.ClientStreaming;

        internal GrpcChannel CreateChannel(out bool owned)
        {
            if (Channel != null) { owned = false; return Channel; }
            if (Address == null) throw new ArgumentException("RivaGrpcOptions needs an Address or a Channel.");
            Parley.Transport.EndpointSecurity.Check(Address, AllowInsecure);
            owned = true;
            return GrpcChannel.ForAddress(Address, new GrpcChannelOptions { HttpHandler = HttpHandler, DisposeHttpClient = HttpHandler == null });
        }

        internal async System.Threading.Tasks.Task<Metadata> HeadersAsync(System.Threading.CancellationToken cancellationToken)
        {
            var headers = new Metadata();
            if (!string.IsNullOrEmpty(FunctionId)) headers.Add("function-id", FunctionId);
            if (Credentials != null)
            {
                var c = await Credentials.GetAsync(cancellationToken).ConfigureAwait(false);
                if (!c.IsEmpty) headers.Add("authorization", "Bearer " + c.Secret);
            }
            return headers;
        }
    }
}
