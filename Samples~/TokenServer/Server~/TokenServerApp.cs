using System;
using System.Net.Http;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.TokenServer.Auth;
using Parley.TokenServer.Vendors;

namespace Parley.TokenServer
{
    /// <summary>
    /// The service: <c>POST /v1/tokens/openai</c> and <c>POST /v1/tokens/gemini</c> answer an authenticated player with
    /// <c>{"provider","value","expires_at"}</c>, the shape Parley's <c>TokenEndpointCredential</c> reads.
    /// Order matters: the player is identified first, so the rate limiter can count per player.
    /// </summary>
    public static class TokenServerApp
    {
        const string PlayerItem = "Parley.TokenServer.Player";

        /// <param name="configure">Runs after the defaults: replace <see cref="IPlayerTokenValidator"/>, add configuration or logging.</param>
        public static WebApplication Build(string[] args, Action<WebApplicationBuilder> configure = null)
        {
            var builder = WebApplication.CreateBuilder(args);
            AddTokenServer(builder.Services, builder.Configuration);
            configure?.Invoke(builder);
            var app = builder.Build();
            // A missing or weak player-token secret stops the server at start, not at the first player.
            app.Services.GetRequiredService<IPlayerTokenValidator>();
            MapTokenServer(app);
            return app;
        }

        public static void AddTokenServer(IServiceCollection services, IConfiguration configuration)
        {
            services.Configure<TokenServerOptions>(configuration.GetSection(TokenServerOptions.Section));
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddSingleton<IPlayerTokenValidator, HmacPlayerTokenValidator>();
            services.AddSingleton(sp => new VendorClient(new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<TokenServerOptions>>().Value.VendorTimeoutSeconds),
            }));
            services.AddSingleton<OpenAIClientSecrets>();
            services.AddSingleton<GeminiAuthTokens>();
            services.AddRateLimiter(o =>
            {
                o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx =>
                {
                    if (!(ctx.Items[PlayerItem] is string player)) return RateLimitPartition.GetNoLimiter(string.Empty);
                    var limit = ctx.RequestServices.GetRequiredService<IOptions<TokenServerOptions>>().Value.RateLimit;
                    return RateLimitPartition.GetFixedWindowLimiter(player, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = limit.PermitLimit,
                        Window = TimeSpan.FromSeconds(limit.WindowSeconds),
                        QueueLimit = 0,
                    });
                });
                o.OnRejected = (context, ct) =>
                {
                    var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : (TimeSpan?)null;
                    Log(context.HttpContext).LogWarning("Rate limit reached for player {PlayerId}", context.HttpContext.Items[PlayerItem]);
                    return new ValueTask(Error(429, "rate_limited", "Too many token requests for this player. Try again later.", retry).ExecuteAsync(context.HttpContext));
                };
            });
        }

        public static void MapTokenServer(WebApplication app)
        {
            app.UseWhen(ctx => ctx.Request.Path.StartsWithSegments("/v1/tokens"), branch => branch.Use(AuthenticateAsync));
            app.UseRateLimiter();
            app.MapGet("/healthz", () => Results.Text("ok"));
            app.MapPost("/v1/tokens/openai", (HttpContext ctx, OpenAIClientSecrets openai, IOptions<TokenServerOptions> o) =>
                MintAsync(ctx, OpenAIClientSecrets.Vendor, EnvironmentKeys.OpenAI, (key, ct) => openai.MintAsync(key, o.Value.OpenAI, ct)));
            app.MapPost("/v1/tokens/gemini", (HttpContext ctx, GeminiAuthTokens gemini, IOptions<TokenServerOptions> o) =>
                MintAsync(ctx, GeminiAuthTokens.Vendor, EnvironmentKeys.Gemini, (key, ct) => gemini.MintAsync(key, o.Value.Gemini, ct)));
        }

        static async Task AuthenticateAsync(HttpContext ctx, Func<Task> next)
        {
            var header = ctx.Request.Headers.Authorization.ToString();
            string player = null;
            if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                player = await ctx.RequestServices.GetRequiredService<IPlayerTokenValidator>().ValidateAsync(header.Substring(7).Trim(), ctx.RequestAborted);
            if (player == null)
            {
                ctx.Response.Headers.WWWAuthenticate = "Bearer";
                await Error(401, "player_unauthorized", "A valid player token is required (Authorization: Bearer <player token>).").ExecuteAsync(ctx);
                return;
            }
            ctx.Items[PlayerItem] = player;
            await next();
        }

        static async Task<IResult> MintAsync(HttpContext ctx, string vendor, string keyName, Func<string, CancellationToken, Task<VendorToken>> mint)
        {
            var log = Log(ctx);
            var player = (string)ctx.Items[PlayerItem];
            var key = ctx.RequestServices.GetRequiredService<IConfiguration>()[keyName];
            if (string.IsNullOrEmpty(key))
            {
                log.LogError("{Vendor} token requested but {KeyVariable} is not set", vendor, keyName);
                return Error(503, "vendor_not_configured", "This server is not configured for " + vendor + ".");
            }
            try
            {
                var token = await mint(key, ctx.RequestAborted);
                log.LogInformation("Minted a {Vendor} token for player {PlayerId}, expires {ExpiresAt:O}", vendor, player, token.ExpiresAt);
                // A secret must not sit in a proxy's or the client's HTTP cache.
                ctx.Response.Headers.CacheControl = "no-store";
                return Results.Json(new TokenAnswer { Provider = vendor, Value = token.Value, ExpiresAt = token.ExpiresAt.ToUnixTimeSeconds() });
            }
            catch (VendorFailure f)
            {
                log.LogWarning("{Vendor} token for player {PlayerId} failed: {Code} (vendor HTTP {VendorStatus})", vendor, player, f.Code, f.VendorStatus);
                return Error(f.Status, f.Code, f.Message, f.RetryAfter);
            }
        }

        static IResult Error(int status, string code, string message, TimeSpan? retryAfter = null) => new ErrorResult(status, code, message, retryAfter);

        static ILogger Log(HttpContext ctx) => ctx.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Parley.TokenServer");

        /// <summary>The success answer; names match OpenAI's client-secret answer so one parser reads both vendors.</summary>
        sealed class TokenAnswer
        {
            [System.Text.Json.Serialization.JsonPropertyName("provider")] public string Provider { get; set; }
            [System.Text.Json.Serialization.JsonPropertyName("value")] public string Value { get; set; }
            [System.Text.Json.Serialization.JsonPropertyName("expires_at")] public long ExpiresAt { get; set; }
        }

        /// <summary><c>{"error":{"code","message"}}</c> with the status (and Retry-After when known).</summary>
        sealed class ErrorResult : IResult
        {
            readonly int _status;
            readonly string _code, _message;
            readonly TimeSpan? _retryAfter;

            public ErrorResult(int status, string code, string message, TimeSpan? retryAfter)
            {
                _status = status;
                _code = code;
                _message = message;
                _retryAfter = retryAfter;
            }

            public Task ExecuteAsync(HttpContext ctx)
            {
                ctx.Response.StatusCode = _status;
                if (_retryAfter.HasValue) ctx.Response.Headers.RetryAfter = ((int)Math.Ceiling(_retryAfter.Value.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ctx.Response.WriteAsJsonAsync(new { error = new { code = _code, message = _message } });
            }
        }
    }
}
