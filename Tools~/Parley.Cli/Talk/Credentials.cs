using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Parley.Providers.Auth;
using Parley.Transport;

namespace Parley.Cli.Talk
{
    /// <summary>The key from an environment variable, or an ephemeral token from the game's backend (--token-url).</summary>
    static class Credentials
    {
        public static ICredentialSource Resolve(string keyEnv, string defaultEnv, string tokenUrl, bool insecure, System.IO.TextWriter warn)
        {
            if (tokenUrl != null)
            {
                var uri = Urls.Parse(tokenUrl, "--token-url", insecure, warn);
                return new DelegateCredential(ct => FetchTokenAsync(uri, ct));
            }
            var name = keyEnv ?? defaultEnv;
            var value = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrEmpty(value))
                throw new CliError("The environment variable " + name + " is not set: export it with your key, pass --api-key-env NAME, or use --token-url URL.", ExitCodes.Auth);
            return new StaticCredential(value);
        }

        /// <summary>POSTs to the backend and reads {"value"} / {"client_secret":{"value"}} / {"token"} (OpenAI client secrets, Gemini ephemeral tokens).</summary>
        static async Task<Credential> FetchTokenAsync(Uri uri, CancellationToken ct)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
            HttpResponseMessage res;
            try { res = await http.PostAsync(uri, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), ct); }
            catch (HttpRequestException e) { throw new TransportException(TransportErrorKind.Unreachable, "Token endpoint " + uri.GetLeftPart(UriPartial.Path) + " unreachable: " + e.Message + ".", e); }
            if (!res.IsSuccessStatusCode)
                throw new TransportException(TransportErrorKind.Rejected, "Token endpoint answered HTTP " + (int)res.StatusCode + ".", null, (int)res.StatusCode);
            var body = JObject.Parse(await res.Content.ReadAsStringAsync(ct));
            var token = (string)body["value"] ?? (string)body["client_secret"]?["value"] ?? (string)body["token"] ?? (string)body["name"];
            if (string.IsNullOrEmpty(token)) throw new CliError("The token endpoint's answer has no value/client_secret.value/token field.", ExitCodes.Auth);
            var exp = (long?)body["expires_at"] ?? (long?)body["client_secret"]?["expires_at"];
            return new Credential(token, exp.HasValue ? DateTimeOffset.FromUnixTimeSeconds(exp.Value) : (DateTimeOffset?)null);
        }
    }

    static class Urls
    {
        /// <summary>Parses a URL option and applies the transport-security rule (warning when plain text is allowed by --insecure).</summary>
        public static Uri Parse(string value, string option, bool insecure, System.IO.TextWriter warn)
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != "ws" && uri.Scheme != "wss" && uri.Scheme != "http" && uri.Scheme != "https"))
                throw new CliError(option + " '" + value + "' is not a ws://, wss://, http:// or https:// URL.");
            if (EndpointSecurity.Check(uri, insecure))
                warn.WriteLine("warning: " + option + " " + uri.Scheme + "://" + uri.Host + " is not encrypted (allowed by --insecure); use it only on a network you trust.");
            return uri;
        }
    }
}
