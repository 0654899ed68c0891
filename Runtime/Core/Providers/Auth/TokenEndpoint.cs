using System;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Parley.Transport;

namespace Parley.Providers.Auth
{
    /// <summary>
    /// The game's backend, which mints a short-lived credential per connection: an HTTP POST (body `{}`) answered
    /// with JSON. Accepted shapes (Documentation~/components.md, "Keys"): OpenAI's client secret as the backend gets
    /// it from `POST /v1/realtime/client_secrets` (`{"value":"ek_…","expires_at":1735689600}`) or wrapped
    /// (`{"client_secret":{"value":…,"expires_at":…}}`), a Gemini ephemeral token (`{"name":"auth_tokens/…"}`), or
    /// `{"token":"…"}`. `expires_at` is Unix seconds.
    /// </summary>
    public sealed class TokenEndpoint : ICredentialSource
    {
        readonly Uri _uri;
        readonly HttpClient _http;

        public TokenEndpoint(Uri uri, HttpClient http = null)
        {
            _uri = uri ?? throw new ArgumentNullException(nameof(uri));
            if (uri.Scheme != "https" && uri.Scheme != "http") throw new ArgumentException("The token endpoint must be an http(s) URL, not " + uri.Scheme + "://.", nameof(uri));
            _http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        }

        public Uri Uri => _uri;

        /// <summary>Asks the backend once (called for every connection attempt, so each reconnect gets a fresh token).</summary>
        public async Task<Credential> GetAsync(CancellationToken cancellationToken)
        {
            HttpResponseMessage res;
            try { res = await _http.PostAsync(_uri, new StringContent("{}", Encoding.UTF8, "application/json"), cancellationToken).ConfigureAwait(false); }
            catch (HttpRequestException e) { throw new TransportException(TransportErrorKind.Unreachable, "Token endpoint " + _uri.GetLeftPart(UriPartial.Path) + " unreachable: " + e.Message + ".", e); }
            using (res)
            {
                if (!res.IsSuccessStatusCode)
                    throw new TransportException(TransportErrorKind.Rejected, "Token endpoint answered HTTP " + (int)res.StatusCode + ".", null, (int)res.StatusCode);
                return Parse(await res.Content.ReadAsStringAsync().ConfigureAwait(false));
            }
        }

        /// <summary>Reads one of the accepted answers; throws <see cref="ProviderException"/> (Authentication) for anything else.</summary>
        public static Credential Parse(string json)
        {
            JObject body;
            try { body = JObject.Parse(json ?? string.Empty); }
            catch (Newtonsoft.Json.JsonReaderException) { throw Refused("The token endpoint's answer is not a JSON object."); }
            var secret = body["client_secret"] as JObject;
            var token = (string)body["value"] ?? (string)secret?["value"] ?? (string)body["token"] ?? (string)body["name"];
            if (string.IsNullOrEmpty(token)) throw Refused("The token endpoint's answer has no value, client_secret.value, token or name field.");
            var exp = (long?)body["expires_at"] ?? (long?)secret?["expires_at"];
            return new Credential(token, exp.HasValue ? DateTimeOffset.FromUnixTimeSeconds(exp.Value) : (DateTimeOffset?)null);
        }

        static ProviderException Refused(string message) => new ProviderException(ProviderErrorKind.Authentication, "token_endpoint", message);

        public override string ToString() => "token endpoint " + _uri.GetLeftPart(UriPartial.Path);
    }
}
