using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Parley.Transport;

namespace Parley.Providers.Auth
{
    /// <summary>
    /// Ephemeral tokens from the game's backend (`parley talk --token-url`, the Token server sample): POSTs <c>{}</c>
    /// to the URL, presenting the player's own session token as <c>Authorization: Bearer</c> when one is given,
    /// and reads the answer with <see cref="Parse"/>. Not for WebGL (HttpClient has no socket there).
    /// </summary>
    public sealed class TokenEndpointCredential : ICredentialSource
    {
        readonly Uri _uri;
        readonly Func<CancellationToken, Task<string>> _playerToken;
        readonly HttpClient _http;

        /// <param name="playerToken">The player's token for the backend (null: no Authorization header).</param>
        public TokenEndpointCredential(Uri uri, Func<CancellationToken, Task<string>> playerToken = null, HttpClient http = null)
        {
            _uri = uri ?? throw new ArgumentNullException(nameof(uri));
            _playerToken = playerToken;
            _http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        }

        public async Task<Credential> GetAsync(CancellationToken cancellationToken)
        {
            var where = _uri.GetLeftPart(UriPartial.Path);
            using (var request = new HttpRequestMessage(HttpMethod.Post, _uri) { Content = new StringContent("{}", Encoding.UTF8, "application/json") })
            {
                if (_playerToken != null)
                {
                    var bearer = await _playerToken(cancellationToken).ConfigureAwait(false);
                    if (!string.IsNullOrEmpty(bearer)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
                }
                HttpResponseMessage res;
                try { res = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false); }
                catch (HttpRequestException e) { throw new TransportException(TransportErrorKind.Unreachable, "Token endpoint " + where + " unreachable: " + e.Message + ".", e); }
                using (res)
                {
                    if (!res.IsSuccessStatusCode)
                        throw new TransportException(TransportErrorKind.Rejected, "Token endpoint answered HTTP " + (int)res.StatusCode + ".", null, (int)res.StatusCode);
                    return Parse(await res.Content.ReadAsStringAsync().ConfigureAwait(false));
                }
            }
        }

        /// <summary>
        /// The secret in a token answer: <c>value</c> (OpenAI GA client secret, and the Token server sample for both
        /// vendors), <c>client_secret.value</c> (OpenAI beta), <c>token</c>, or <c>name</c> (Gemini's auth_tokens/… as
        /// minted); <c>expires_at</c> in Unix seconds when present.
        /// </summary>
        public static Credential Parse(string json)
        {
            JObject body;
            try { body = JObject.Parse(json ?? string.Empty); }
            catch (JsonReaderException) { throw Refused("The token endpoint's answer is not a JSON object."); }
            var secret = JsonFields.Obj(body, "client_secret");
            var token = JsonFields.Str(body, "value") ?? JsonFields.Str(secret, "value") ?? JsonFields.Str(body, "token") ?? JsonFields.Str(body, "name");
            if (string.IsNullOrEmpty(token)) throw Refused("The token endpoint's answer has no value, client_secret.value, token or name field.");
            var exp = JsonFields.Number(body, "expires_at") ?? JsonFields.Number(secret, "expires_at");
            // An expiry outside what DateTimeOffset holds is no expiry we can use: the credential is taken as unexpiring.
            var usable = exp.HasValue && exp.Value >= 0 && exp.Value <= 253402300799;
            return new Credential(token, usable ? DateTimeOffset.FromUnixTimeSeconds((long)exp.Value) : (DateTimeOffset?)null);
        }

        /// <summary>An answer without a usable secret: the same typed error as a refused key (never the answer itself, which may hold one).</summary>
        static ProviderException Refused(string message) => new ProviderException(ProviderErrorKind.Authentication, "token_endpoint", message);
    }
}
