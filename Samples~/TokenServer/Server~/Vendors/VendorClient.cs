using System;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace Parley.TokenServer.Vendors
{
    /// <summary>One POST of JSON to a vendor and the failure mapping both vendors share.</summary>
    public sealed class VendorClient
    {
        readonly HttpClient _http;

        public VendorClient(HttpClient http) { _http = http; }

        /// <summary>Sends <paramref name="body"/>; returns the answer as JSON or throws <see cref="VendorFailure"/>.</summary>
        public async Task<JsonNode> PostAsync(string vendor, Uri uri, Action<HttpRequestMessage> authorize, JsonNode body, CancellationToken ct)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
            authorize(request);
            HttpResponseMessage response;
            try { response = await _http.SendAsync(request, ct); }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new VendorFailure(504, "vendor_timeout", "The " + vendor + " API did not answer in time.");
            }
            catch (HttpRequestException)
            {
                throw new VendorFailure(502, "vendor_unreachable", "The " + vendor + " API could not be reached.");
            }
            using (response)
            {
                // An error body is never passed on or logged: it may quote the key. Gemini answers a bad key
                // with 400 and reason API_KEY_INVALID, so that one is looked for.
                if (!response.IsSuccessStatusCode)
                {
                    var keyInvalid = response.StatusCode == HttpStatusCode.BadRequest
                                     && (await response.Content.ReadAsStringAsync(ct)).Contains("API_KEY_INVALID", StringComparison.Ordinal);
                    throw VendorFailure.FromVendorStatus(vendor, (int)response.StatusCode, keyInvalid, response.Headers.RetryAfter?.Delta);
                }
                try { return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct)); }
                catch (JsonException) { throw new VendorFailure(502, "vendor_error", "The " + vendor + " API answered with something that is not JSON."); }
            }
        }

        public static VendorFailure MissingField(string vendor, string field) =>
            new VendorFailure(502, "vendor_error", "The " + vendor + " API's answer has no " + field + ".");
    }
}
