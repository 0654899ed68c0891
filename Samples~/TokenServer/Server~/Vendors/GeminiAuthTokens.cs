using System;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace Parley.TokenServer.Vendors
{
    /// <summary>Gemini <c>POST /v1alpha/auth_tokens</c>: the answer's <c>name</c> (auth_tokens/…) is the token, locked to one model.</summary>
    public sealed class GeminiAuthTokens
    {
        public const string Vendor = "gemini";
        readonly VendorClient _client;
        readonly TimeProvider _time;

        public GeminiAuthTokens(VendorClient client, TimeProvider time)
        {
            _client = client;
            _time = time;
        }

        public async Task<VendorToken> MintAsync(string apiKey, GeminiOptions o, CancellationToken ct)
        {
            var now = _time.GetUtcNow();
            var expires = now.AddMinutes(o.ExpireMinutes);
            var body = new JsonObject
            {
                ["uses"] = o.Uses,
                ["expireTime"] = Rfc3339(expires),
                ["newSessionExpireTime"] = Rfc3339(now.AddSeconds(o.NewSessionExpireSeconds)),
                ["bidiGenerateContentSetup"] = new JsonObject { ["model"] = o.Model },
            };
            var uri = new Uri(o.BaseUrl.TrimEnd('/') + "/auth_tokens");
            var answer = await _client.PostAsync(Vendor, uri, r => r.Headers.Add("x-goog-api-key", apiKey), body, ct);
            var name = (string)answer?["name"];
            if (string.IsNullOrEmpty(name) || !name.StartsWith("auth_tokens/", StringComparison.Ordinal)) throw VendorClient.MissingField(Vendor, "name (auth_tokens/…)");
            // The answer echoes expireTime; when it does, it is the authority.
            var echoed = (string)answer["expireTime"];
            if (echoed != null && DateTimeOffset.TryParse(echoed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var e)) expires = e;
            return new VendorToken(name, expires);
        }

        static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
