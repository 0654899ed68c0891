using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Parley.Cli.Commands;
using Parley.Providers.Auth;
using Parley.Session.Metrics;
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
                    var cred = Credentials.Resolve(o.ApiKeyEnv, "OPENAI_API_KEY", o.TokenUrl, o.Insecure, warn);
                    return OpenAI(url, cred, o, CostModel.OpenAIRealtime());
                }
                case "gemini":
                {
                    var url = Urls.Parse(o.Url ?? "wss://generativelanguage.googleapis.com", "--url", o.Insecure, warn);
                    var cred = Credentials.Resolve(o.ApiKeyEnv, "GEMINI_API_KEY", o.TokenUrl, o.Insecure, warn);
                    return Gemini(url, cred, o);
                }
                case "riva":
                {
                    if (o.AsrUrl == null || o.TtsUrl == null || o.LlmUrl == null)
                        throw new CliError("--provider riva needs --asr-url, --tts-url and --llm-url (gRPC as http://host:50051 on loopback, or https://).");
                    var asr = Urls.Parse(o.AsrUrl, "--asr-url", o.Insecure, warn);
                    var tts = Urls.Parse(o.TtsUrl, "--tts-url", o.Insecure, warn);
                    var llm = Urls.Parse(o.LlmUrl, "--llm-url", o.Insecure, warn);
                    var cred = o.ApiKeyEnv != null || o.TokenUrl != null ? Credentials.Resolve(o.ApiKeyEnv, null, o.TokenUrl, o.Insecure, warn) : null;
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

        static Task<ProviderConnection> EmulatorAsync(TalkOptions o, CancellationToken ct) =>
            throw new CliError("The built-in emulator is not part of this build yet; use --provider replay.", ExitCodes.Failed);

        static ProviderConnection OpenAI(Uri url, ICredentialSource cred, TalkOptions o, CostModel cost) =>
            throw new CliError("The openai provider is not part of this build yet.", ExitCodes.Failed);

        static ProviderConnection Gemini(Uri url, ICredentialSource cred, TalkOptions o) =>
            throw new CliError("The gemini provider is not part of this build yet.", ExitCodes.Failed);

        static ProviderConnection Riva(Uri asr, Uri tts, Uri llm, ICredentialSource cred, TalkOptions o) =>
            throw new CliError("The riva provider is not part of this build yet.", ExitCodes.Failed);

        static ProviderConnection MiniCpmo(Uri url, TalkOptions o) =>
            throw new CliError("The minicpmo provider is not part of this build yet.", ExitCodes.Failed);
    }
}
