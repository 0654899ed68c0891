using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Parley.Cli.Commands;
using Parley.Providers.Auth;
using Parley.Session.Recording;

namespace Parley.Cli.Talk
{
    /// <summary>
    /// Turns `talk`'s provider options into a provider factory: the only place that knows each provider's type.
    /// Everything the user can get wrong (URL, key variable, transport) is checked here, before any audio runs.
    /// </summary>
    static class ProviderCatalog
    {
        public static async Task<ProviderConnection> CreateAsync(TalkOptions o, TextWriter warn, CancellationToken ct)
        {
            switch (o.Provider)
            {
                case "emulator":
                    return await EmulatorAsync(o, ct);
                case "openai":
                {
                    var url = Urls.Parse(o.Url ?? "wss://api.openai.com/v1/realtime", "--url", o.Insecure, warn);
                    var cred = Credentials.Resolve(o.ApiKeyEnv, "OPENAI_API_KEY", o.TokenUrl, o.TokenAuthEnv, o.Insecure, warn);
                    return OpenAI(url, cred, o, Parley.Providers.PriceTable.OpenAIExamples());
                }
                case "gemini":
                {
                    var url = Urls.Parse(o.Url ?? "wss://generativelanguage.googleapis.com", "--url", o.Insecure, warn);
                    var cred = Credentials.Resolve(o.ApiKeyEnv, "GEMINI_API_KEY", o.TokenUrl, o.TokenAuthEnv, o.Insecure, warn);
                    return Gemini(url, cred, o);
                }
                case "riva":
                {
                    if (o.AsrUrl == null || o.TtsUrl == null || o.LlmUrl == null)
                        throw new CliError("--provider riva needs --asr-url, --tts-url and --llm-url (gRPC as http://host:50051 on loopback, or https://).");
                    var asr = Urls.Parse(o.AsrUrl, "--asr-url", o.Insecure, warn);
                    var tts = Urls.Parse(o.TtsUrl, "--tts-url", o.Insecure, warn);
                    var llm = Urls.Parse(o.LlmUrl, "--llm-url", o.Insecure, warn);
                    var cred = o.ApiKeyEnv != null || o.TokenUrl != null ? Credentials.Resolve(o.ApiKeyEnv, null, o.TokenUrl, o.TokenAuthEnv, o.Insecure, warn) : null;
                    return Riva(asr, tts, llm, cred, o);
                }
                case "minicpmo":
                {
                    if (o.Url == null) throw new CliError("--provider minicpmo needs --url (the demo server's base URL, e.g. http://127.0.0.1:32550).");
                    var url = Urls.Parse(o.Url, "--url", o.Insecure, warn);
                    return MiniCpmo(url, o);
                }
                case "replay":
                    try { ReplayProvider.FromFile(o.Replay); } // one clear line now if it is not a recording
                    catch (InvalidDataException e) { throw new CliError("'" + o.Replay + "' is not a Parley recording: " + e.Message, ExitCodes.BadInput); }
                    return new ProviderConnection
                    {
                        Name = "replay",
                        Factory = () => ReplayProvider.FromFile(o.Replay, o.Fast ? ReplayPacing.AsFastAsPossible : ReplayPacing.RealTime),
                    };
                default:
                    throw new CliError("Unknown provider '" + o.Provider + "'.");
            }
        }

        /// <summary>The bundled OpenAI Realtime emulator on a loopback port of this process, and the OpenAI provider pointed at it.</summary>
        static async Task<ProviderConnection> EmulatorAsync(TalkOptions o, CancellationToken ct)
        {
            var options = new Parley.Servers.OpenAI.OpenAIRealtimeEmulatorOptions
            {
                Strict = true,
                PlaybackSpeed = o.Fast ? 0 : 1,
                // With --tools, the reply to the first turn calls the first tool, so the round trip shows offline.
                ToolCallOnTurn = o.ToolsFile != null ? 1 : 0,
            };
            var emulator = await Parley.Servers.OpenAI.OpenAIRealtimeEmulator.StartAsync(options);
            // The emulator is free, but what the same conversation would cost on OpenAI is worth showing.
            var connection = OpenAI(emulator.Uri, new StaticCredential("emulator"), o, Parley.Providers.PriceTable.OpenAIExamples());
            connection.Name = "emulator";
            connection.CostNote = "at OpenAI's example prices for " + (o.Model ?? "gpt-realtime") + "; the emulator itself is free";
            connection.Owned = emulator;
            connection.ServerHeardMs = () => emulator.HeardMs;
            return connection;
        }

        static ProviderConnection OpenAI(Uri url, ICredentialSource cred, TalkOptions o, Parley.Providers.PriceTable prices) => new ProviderConnection
        {
            Name = "openai",
            Factory = () =>
            {
                var options = new Parley.Providers.OpenAI.OpenAIRealtimeOptions { Credentials = cred, AllowInsecure = o.Insecure, Prices = prices };
                // A URL with a query is used as given (Azure-style gateways); otherwise the provider adds ?model=--model,
                // and a bare server address gets the GA path.
                if (url.Query.Length > 1) options.FullUrl = url;
                else options.BaseUrl = url.AbsolutePath == "/" ? url.GetLeftPart(UriPartial.Authority) + "/v1/realtime" : url.GetLeftPart(UriPartial.Path);
                return new Parley.Providers.OpenAI.OpenAIRealtimeProvider(options);
            },
        };

        static ProviderConnection Gemini(Uri url, ICredentialSource cred, TalkOptions o) => new ProviderConnection
        {
            Name = "gemini",
            Factory = () => new Parley.Providers.Gemini.GeminiLiveProvider(cred, new Parley.Providers.Gemini.GeminiLiveOptions { Host = url }),
        };

        static ProviderConnection Riva(Uri asr, Uri tts, Uri llm, ICredentialSource cred, TalkOptions o)
        {
            var grpc = o.RivaTransport == "grpc";
            if (grpc)
                foreach (var (uri, option) in new[] { (asr, "--asr-url"), (tts, "--tts-url") })
                    if (uri.Scheme != "http" && uri.Scheme != "https")
                        throw new CliError(option + " for --riva-transport grpc is http://host:50051 (plain, loopback or --insecure) or https://host:443, not " + uri.Scheme + "://.");
            return new ProviderConnection
            {
                Name = "riva",
                Factory = () =>
                {
                    var chat = new Parley.Providers.Llm.ChatCompletionsClient(new Parley.Providers.Llm.ChatCompletionsOptions
                    {
                        BaseUri = llm, Model = o.LlmModel ?? o.Model, Credentials = cred, AllowInsecure = o.Insecure,
                    });
                    var stages = new Parley.Providers.Riva.RivaCascadeOptions { Llm = chat };
                    if (grpc)
                    {
                        stages.Asr = new Parley.RivaGrpc.RivaGrpcAsr(RivaGrpcStage(asr, o.AsrFunctionId, cred, o));
                        stages.Tts = new Parley.RivaGrpc.RivaGrpcTts(RivaGrpcStage(tts, o.TtsFunctionId, cred, o));
                    }
                    else
                    {
                        stages.Asr = new Parley.Providers.Riva.NimRealtimeAsr(new Parley.Providers.Riva.NimRealtimeOptions { BaseUri = asr, Credentials = cred, AllowInsecure = o.Insecure, Voice = o.Voice });
                        stages.Tts = new Parley.Providers.Riva.NimRealtimeTts(new Parley.Providers.Riva.NimRealtimeOptions { BaseUri = tts, Credentials = cred, AllowInsecure = o.Insecure, Voice = o.Voice });
                    }
                    return new Parley.Providers.Riva.RivaCascadeProvider(stages);
                },
            };
        }

        /// <summary>One gRPC stage's own channel (ASR and TTS may be different servers); .NET has HTTP/2, so no handler.</summary>
        static Parley.RivaGrpc.RivaGrpcOptions RivaGrpcStage(Uri address, string functionId, ICredentialSource cred, TalkOptions o) => new Parley.RivaGrpc.RivaGrpcOptions
        {
            Address = address, FunctionId = functionId, Credentials = cred, AllowInsecure = o.Insecure, Voice = o.Voice,
        };

        static ProviderConnection MiniCpmo(Uri url, TalkOptions o) => new ProviderConnection
        {
            Name = "minicpmo",
            Factory = () => new Parley.Providers.MiniCpmo.MiniCpmoProvider(new Parley.Providers.MiniCpmo.MiniCpmoOptions
            {
                BaseUri = url, AllowInsecure = o.Insecure, AssistantPrompt = o.Instructions,
            }),
        };
    }
}
