using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Newtonsoft.Json.Linq;
using Parley.Servers.Common;

namespace Parley.Tests.HostOnly.Samples
{
    /// <summary>
    /// Loopback fakes of OpenAI's POST /v1/realtime/client_secrets and Gemini's POST /v1alpha/auth_tokens
    /// (shared/protocols README §1.8, §2.1): they check the auth header and the body's shape, and answer with the
    /// vendors' documented JSON, or with the vendors' own error bodies (which quote the key) when told to.
    /// </summary>
    sealed class FakeTokenVendors : IAsyncDisposable
    {
        public enum Mode { Mint, RejectKey, RateLimited }

        readonly WebApplication _app;
        public readonly string OpenAIKey = "sk-test-" + Guid.NewGuid().ToString("N");
        public readonly string GeminiKey = "AIza" + Guid.NewGuid().ToString("N");
        public readonly string OpenAISecret = "ek_" + Guid.NewGuid().ToString("N");
        public readonly string GeminiToken = "auth_tokens/" + Guid.NewGuid().ToString("N");
        public readonly long OpenAIExpiresAt = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        public readonly ConcurrentQueue<string> Violations = new ConcurrentQueue<string>();
        public readonly ConcurrentQueue<JObject> OpenAIRequests = new ConcurrentQueue<JObject>();
        public readonly ConcurrentQueue<JObject> GeminiRequests = new ConcurrentQueue<JObject>();
        public Mode Behaviour = Mode.Mint;
        public Uri OpenAIBase, GeminiBase;

        FakeTokenVendors()
        {
            _app = KestrelLoopback.CreateBuilder().Build();
            _app.MapPost("/v1/realtime/client_secrets", OpenAIAsync);
            _app.MapPost("/v1alpha/auth_tokens", GeminiAsync);
        }

        public static async Task<FakeTokenVendors> StartAsync()
        {
            var f = new FakeTokenVendors();
            var root = await KestrelLoopback.StartAsync(f._app);
            f.OpenAIBase = new Uri(root, "/v1");
            f.GeminiBase = new Uri(root, "/v1alpha");
            return f;
        }

        async Task OpenAIAsync(HttpContext ctx)
        {
            var body = await ReadAsync(ctx);
            OpenAIRequests.Enqueue(body);
            if ((string)ctx.Request.Headers.Authorization != "Bearer " + OpenAIKey) Violations.Enqueue("openai: Authorization is not Bearer <key>");
            if ((string)body["expires_after"]?["anchor"] != "created_at") Violations.Enqueue("openai: expires_after.anchor must be created_at");
            var seconds = (int?)body["expires_after"]?["seconds"];
            if (seconds == null || seconds < 10 || seconds > 7200) Violations.Enqueue("openai: expires_after.seconds outside 10..7200");
            if ((string)body["session"]?["type"] != "realtime") Violations.Enqueue("openai: session.type must be realtime");
            if (string.IsNullOrEmpty((string)body["session"]?["model"])) Violations.Enqueue("openai: session.model missing");
            switch (Behaviour)
            {
                case Mode.RejectKey:
                    // OpenAI's answer to a wrong key quotes it (here in full, so any echo is caught).
                    await WriteAsync(ctx, 401, "{\"error\":{\"message\":\"Incorrect API key provided: " + OpenAIKey + ". You can find your API key at https://platform.openai.com/account/api-keys.\","
                                                + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}");
                    return;
                case Mode.RateLimited:
                    ctx.Response.Headers.RetryAfter = "20";
                    await WriteAsync(ctx, 429, "{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
                    return;
            }
            await WriteAsync(ctx, 200, "{\"value\":\"" + OpenAISecret + "\",\"expires_at\":" + OpenAIExpiresAt + ",\"session\":{\"type\":\"realtime\",\"object\":\"realtime.session\","
                                       + "\"id\":\"sess_C9CiUVUzUzYIssh3ELY1d\",\"model\":\"" + (string)body["session"]?["model"] + "\",\"output_modalities\":[\"audio\"]}}");
        }

        async Task GeminiAsync(HttpContext ctx)
        {
            var body = await ReadAsync(ctx);
            GeminiRequests.Enqueue(body);
            if ((string)ctx.Request.Headers["x-goog-api-key"] != GeminiKey) Violations.Enqueue("gemini: x-goog-api-key is not the key");
            if (ctx.Request.Headers.ContainsKey("Authorization")) Violations.Enqueue("gemini: unexpected Authorization header");
            if (ctx.Request.Query.ContainsKey("key")) Violations.Enqueue("gemini: the key must not travel in the URL");
            if (body["uses"]?.Type != JTokenType.Integer) Violations.Enqueue("gemini: uses must be an integer");
            foreach (var field in new[] { "expireTime", "newSessionExpireTime" })
                if (!DateTimeOffset.TryParseExact((string)body[field], "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
                    Violations.Enqueue("gemini: " + field + " is not an RFC 3339 UTC time");
            if (!((string)body["bidiGenerateContentSetup"]?["model"] ?? "").StartsWith("models/", StringComparison.Ordinal)) Violations.Enqueue("gemini: bidiGenerateContentSetup.model must be models/…");
            switch (Behaviour)
            {
                case Mode.RejectKey:
                    // Gemini answers a bad key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID.
                    await WriteAsync(ctx, 400, "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API key. (" + GeminiKey + ")\",\"status\":\"INVALID_ARGUMENT\","
                                                + "\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\",\"domain\":\"googleapis.com\"}]}}");
                    return;
                case Mode.RateLimited:
                    await WriteAsync(ctx, 429, "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted.\",\"status\":\"RESOURCE_EXHAUSTED\"}}");
                    return;
            }
            await WriteAsync(ctx, 200, "{\"name\":\"" + GeminiToken + "\",\"uses\":" + (int?)body["uses"] + ",\"expireTime\":\"" + (string)body["expireTime"]
                                       + "\",\"newSessionExpireTime\":\"" + (string)body["newSessionExpireTime"] + "\"}");
        }

        static async Task<JObject> ReadAsync(HttpContext ctx)
        {
            using (var r = new StreamReader(ctx.Request.Body))
            {
                // Dates stay strings: the check is on the text Gemini receives.
                try { return Newtonsoft.Json.JsonConvert.DeserializeObject<JObject>(await r.ReadToEndAsync(), new Newtonsoft.Json.JsonSerializerSettings { DateParseHandling = Newtonsoft.Json.DateParseHandling.None }); }
                catch (Newtonsoft.Json.JsonReaderException) { return new JObject(); }
            }
        }

        static Task WriteAsync(HttpContext ctx, int status, string json)
        {
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "application/json";
            return ctx.Response.WriteAsync(json);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
