using System;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace Parley.TokenServer.Vendors
{
    /// <summary>OpenAI GA <c>POST /v1/realtime/client_secrets</c>: an <c>ek_…</c> secret for one fixed session config.</summary>
    public sealed class OpenAIClientSecrets
    {
        public const string Vendor = "openai";
        readonly VendorClient _client;

        public OpenAIClientSecrets(VendorClient client) { _client = client; }

        public async Task<VendorToken> MintAsync(string apiKey, OpenAIOptions o, CancellationToken ct)
        {
            var session = new JsonObject { ["type"] = "realtime", ["model"] = o.Model };
            if (!string.IsNullOrEmpty(o.Instructions)) session["instructions"] = o.Instructions;
            var body = new JsonObject
            {
                ["expires_after"] = new JsonObject { ["anchor"] = "created_at", ["seconds"] = o.ExpiresAfterSeconds },
                ["session"] = session,
            };
            var uri = new Uri(o.BaseUrl.TrimEnd('/') + "/realtime/client_secrets");
            var answer = await _client.PostAsync(Vendor, uri, r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey), body, ct);
            var value = (string)answer?["value"];
            if (string.IsNullOrEmpty(value)) throw VendorClient.MissingField(Vendor, "value");
            var expires = answer["expires_at"]?.GetValue<long>();
            if (expires == null) throw VendorClient.MissingField(Vendor, "expires_at");
            return new VendorToken(value, DateTimeOffset.FromUnixTimeSeconds(expires.Value));
        }
    }
}
