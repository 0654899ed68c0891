using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Providers.Auth;
using Parley.TokenServer.Auth;
using Parley.Transport;

namespace Parley.Tests.HostOnly.Samples
{
    /// <summary>
    /// The Token server sample (Samples~/TokenServer/Server~) running for real on loopback against fakes of both vendors'
    /// token endpoints: minting, player auth, the per-player rate limit, vendor failures that never leak the key,
    /// and Parley's own token client reading the answer.
    /// </summary>
    public class TokenServerTests
    {
        static async Task<JObject> JsonOf(HttpResponseMessage r) => JObject.Parse(await r.Content.ReadAsStringAsync());

        [Test]
        public async Task OpenAI_client_secret_is_minted_with_the_vendors_request_shape_and_passed_on()
        {
            await using var vendors = await FakeTokenVendors.StartAsync();
            await using var server = await TokenServerHarness.StartAsync(vendors);
            using var r = await server.MintAsync("openai", server.PlayerToken("player-1"));
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK), await r.Content.ReadAsStringAsync());
            var body = await JsonOf(r);
            Assert.That(body.Properties().Select(p => p.Name), Is.EquivalentTo(new[] { "provider", "value", "expires_at" }));
            Assert.That((string)body["provider"], Is.EqualTo("openai"));
            Assert.That((string)body["value"], Is.EqualTo(vendors.OpenAISecret));
            Assert.That((long)body["expires_at"], Is.EqualTo(vendors.OpenAIExpiresAt));
            Assert.That(r.Headers.CacheControl?.NoStore, Is.True, "a secret must not be cached");
            Assert.That(vendors.Violations, Is.Empty);
            var sent = vendors.OpenAIRequests.Single();
            Assert.That((string)sent["session"]["model"], Is.EqualTo("gpt-realtime"), "the server, not the player, picks the model");
            Assert.That((int)sent["expires_after"]["seconds"], Is.EqualTo(600));
            Assert.That(server.Logs.All, Does.Contain("player-1").And.Not.Contain(vendors.OpenAIKey).And.Not.Contain(vendors.OpenAISecret));
        }

        [Test]
        public async Task Gemini_ephemeral_token_is_minted_locked_to_the_model_with_an_expiry()
        {
            await using var vendors = await FakeTokenVendors.StartAsync();
            await using var server = await TokenServerHarness.StartAsync(vendors);
            var before = DateTimeOffset.UtcNow;
            using var r = await server.MintAsync("gemini", server.PlayerToken("player-2"));
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.OK), await r.Content.ReadAsStringAsync());
            var body = await JsonOf(r);
            Assert.That((string)body["provider"], Is.EqualTo("gemini"));
            Assert.That((string)body["value"], Is.EqualTo(vendors.GeminiToken));
            Assert.That(vendors.Violations, Is.Empty);
            var sent = vendors.GeminiRequests.Single();
            Assert.That((string)sent["bidiGenerateContentSetup"]["model"], Is.EqualTo("models/gemini-3.1-flash-live-preview"));
            Assert.That((int)sent["uses"], Is.EqualTo(1));
            // expires_at is the expireTime the fake echoed: 30 minutes (the default) after the request, to the second.
            var expires = DateTimeOffset.FromUnixTimeSeconds((long)body["expires_at"]);
            Assert.That(expires, Is.EqualTo(DateTimeOffset.Parse((string)sent["expireTime"])));
            Assert.That(expires - before, Is.InRange(TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(31)));
            Assert.That(server.Logs.All, Does.Not.Contain(vendors.GeminiKey).And.Not.Contain(vendors.GeminiToken));
        }

        [TestCase(null)]
        [TestCase("not-a-token")]
        [TestCase("forged")]
        [TestCase("expired")]
        [TestCase("other-secret")]
        public async Task A_missing_or_invalid_player_token_is_401_and_the_vendor_is_never_asked(string kind)
        {
            await using var vendors = await FakeTokenVendors.StartAsync();
            await using var server = await TokenServerHarness.StartAsync(vendors);
            var good = server.PlayerToken("player-3");
            string bearer;
            switch (kind)
            {
                case "forged":
                    // A valid token for player-3 with the player id swapped: the signature no longer matches.
                    bearer = HmacPlayerTokenValidator.Issue(server.PlayerSecret, "player-4", DateTimeOffset.UtcNow.AddHours(1)).Split('.')[0] + good.Substring(good.IndexOf('.'));
                    break;
                case "expired": bearer = server.PlayerToken("player-3", TimeSpan.FromMinutes(-1)); break;
                case "other-secret": bearer = HmacPlayerTokenValidator.Issue(Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), "player-3", DateTimeOffset.UtcNow.AddHours(1)); break;
                default: bearer = kind; break;
            }
            foreach (var vendor in new[] { "openai", "gemini" })
            {
                using var r = await server.MintAsync(vendor, bearer);
                Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), vendor);
                Assert.That(r.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
                Assert.That((string)(await JsonOf(r))["error"]["code"], Is.EqualTo("player_unauthorized"));
            }
            Assert.That(vendors.OpenAIRequests.Count + vendors.GeminiRequests.Count, Is.EqualTo(0));
            // The control: the good token passes on the same server.
            using (var ok = await server.MintAsync("openai", good)) Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        [Test]
        public async Task The_sixth_request_in_a_window_is_429_for_that_player_only()
        {
            await using var vendors = await FakeTokenVendors.StartAsync();
            await using var server = await TokenServerHarness.StartAsync(vendors, permitLimit: 5);
            var alice = server.PlayerToken("alice");
            var codes = new List<HttpStatusCode>();
            for (var i = 0; i < 6; i++)
                using (var r = await server.MintAsync(i % 2 == 0 ? "openai" : "gemini", alice))
                {
                    codes.Add(r.StatusCode);
                    if (r.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        Assert.That((string)(await JsonOf(r))["error"]["code"], Is.EqualTo("rate_limited"));
                        Assert.That(r.Headers.RetryAfter?.Delta, Is.Not.Null.And.GreaterThan(TimeSpan.Zero));
                    }
                }
            Assert.That(codes, Is.EqualTo(Enumerable.Repeat(HttpStatusCode.OK, 5).Append(HttpStatusCode.TooManyRequests)));
            Assert.That(vendors.OpenAIRequests.Count + vendors.GeminiRequests.Count, Is.EqualTo(5), "the refused request never reached a vendor");
            using (var bob = await server.MintAsync("openai", server.PlayerToken("bob"))) Assert.That(bob.StatusCode, Is.EqualTo(HttpStatusCode.OK), "another player has his own budget");
        }

        [TestCase("openai")]
        [TestCase("gemini")]
        public async Task A_vendor_rejecting_the_key_is_502_and_the_key_appears_nowhere(string vendor)
        {
            await using var vendors = await FakeTokenVendors.StartAsync();
            vendors.Behaviour = FakeTokenVendors.Mode.RejectKey;
            await using var server = await TokenServerHarness.StartAsync(vendors);
            using var r = await server.MintAsync(vendor, server.PlayerToken("player-5"));
            var text = await r.Content.ReadAsStringAsync();
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway), text);
            Assert.That((string)JObject.Parse(text)["error"]["code"], Is.EqualTo("vendor_rejected_key"));
            Assert.That((string)JObject.Parse(text)["error"]["message"], Does.Contain(vendor == "openai" ? "OPENAI_API_KEY" : "GEMINI_API_KEY"));
            var key = vendor == "openai" ? vendors.OpenAIKey : vendors.GeminiKey;
            var everything = text + "\n" + r.Headers + "\n" + r.Content.Headers;
            Assert.That(everything, Does.Not.Contain(key).And.Not.Contain(key.Substring(key.Length - 12)));
            // The failure was logged (so the capture works) and the log holds no part of the key either.
            Assert.That(server.Logs.All, Does.Contain("vendor_rejected_key"));
            Assert.That(server.Logs.All, Does.Not.Contain(key).And.Not.Contain(key.Substring(key.Length - 12)));
            Assert.That(vendors.Violations, Is.Empty);
        }

        [Test]
        public async Task A_vendor_rate_limit_is_503_with_retry_after_and_a_missing_key_is_503_not_configured()
        {
            await using var vendors = await FakeTokenVendors.StartAsync();
            vendors.Behaviour = FakeTokenVendors.Mode.RateLimited;
            await using (var server = await TokenServerHarness.StartAsync(vendors))
            using (var r = await server.MintAsync("openai", server.PlayerToken("player-6")))
            {
                Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
                Assert.That((string)(await JsonOf(r))["error"]["code"], Is.EqualTo("vendor_rate_limited"));
                Assert.That(r.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(20)), "the vendor's Retry-After is passed on");
            }
            await using (var server = await TokenServerHarness.StartAsync(vendors, extra: new Dictionary<string, string> { ["GEMINI_API_KEY"] = "" }))
            using (var r = await server.MintAsync("gemini", server.PlayerToken("player-7")))
            {
                Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
                Assert.That((string)(await JsonOf(r))["error"]["code"], Is.EqualTo("vendor_not_configured"));
                Assert.That(vendors.GeminiRequests, Is.Empty);
            }
        }

        [Test]
        public async Task An_unreachable_vendor_is_502()
        {
            await using var vendors = await FakeTokenVendors.StartAsync();
            // Port 1 on loopback: nothing listens there, so the connection is refused at once.
            await using var server = await TokenServerHarness.StartAsync(vendors, extra: new Dictionary<string, string> { ["TokenServer:OpenAI:BaseUrl"] = "http://127.0.0.1:1/v1" });
            using var r = await server.MintAsync("openai", server.PlayerToken("player-8"));
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That((string)(await JsonOf(r))["error"]["code"], Is.EqualTo("vendor_unreachable"));
        }

        [Test]
        public void The_server_refuses_to_start_without_a_strong_player_token_secret()
        {
            var e = Assert.Throws<InvalidOperationException>(() => Parley.TokenServer.TokenServerApp.Build(new[] { "--urls", "http://127.0.0.1:0", "--PARLEY_PLAYER_TOKEN_SECRET=short" }));
            Assert.That(e.Message, Does.Contain("PARLEY_PLAYER_TOKEN_SECRET").And.Not.Contain("short"));
        }

        [TestCase("openai")]
        [TestCase("gemini")]
        public async Task Parleys_token_client_reads_the_servers_answer(string vendor)
        {
            await using var vendors = await FakeTokenVendors.StartAsync();
            await using var server = await TokenServerHarness.StartAsync(vendors);
            var player = server.PlayerToken("player-9");
            var uri = new Uri(server.Root, "/v1/tokens/" + vendor);
            var credential = await new TokenEndpointCredential(uri, _ => Task.FromResult(player)).GetAsync(CancellationToken.None);
            Assert.That(credential.Secret, Is.EqualTo(vendor == "openai" ? vendors.OpenAISecret : vendors.GeminiToken));
            Assert.That(credential.ExpiresAt, Is.Not.Null);
            Assert.That(credential.ExpiresAt.Value, Is.GreaterThan(DateTimeOffset.UtcNow));
            if (vendor == "openai") Assert.That(credential.ExpiresAt.Value.ToUnixTimeSeconds(), Is.EqualTo(vendors.OpenAIExpiresAt));

            // Without the player's token the client gets a typed 401, not a secret.
            TransportException refused = null;
            try { await new TokenEndpointCredential(uri).GetAsync(CancellationToken.None); }
            catch (TransportException e) { refused = e; }
            Assert.That(refused, Is.Not.Null);
            Assert.That(refused.Kind, Is.EqualTo(TransportErrorKind.Rejected));
            Assert.That(refused.HttpStatus, Is.EqualTo(401));
        }
    }
}
