using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Parley.TokenServer;
using Parley.TokenServer.Auth;

namespace Parley.Tests.HostOnly.Samples
{
    /// <summary>The sample's real server on 127.0.0.1:0 (Kestrel), pointed at the fakes, with every log line captured.</summary>
    sealed class TokenServerHarness : IAsyncDisposable
    {
        public readonly string PlayerSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        public readonly LogCapture Logs = new LogCapture();
        public readonly HttpClient Http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        WebApplication _app;
        public Uri Root;

        public static async Task<TokenServerHarness> StartAsync(FakeTokenVendors vendors, int permitLimit = 5, IDictionary<string, string> extra = null)
        {
            var h = new TokenServerHarness();
            var settings = new Dictionary<string, string>
            {
                [EnvironmentKeys.PlayerTokenSecret] = h.PlayerSecret,
                [EnvironmentKeys.OpenAI] = vendors.OpenAIKey,
                [EnvironmentKeys.Gemini] = vendors.GeminiKey,
                ["TokenServer:OpenAI:BaseUrl"] = vendors.OpenAIBase.ToString(),
                ["TokenServer:Gemini:BaseUrl"] = vendors.GeminiBase.ToString(),
                ["TokenServer:RateLimit:PermitLimit"] = permitLimit.ToString(),
                // An hour: the window cannot roll over during a test, however loaded the machine.
                ["TokenServer:RateLimit:WindowSeconds"] = "3600",
            };
            if (extra != null) foreach (var kv in extra) settings[kv.Key] = kv.Value;
            h._app = TokenServerApp.Build(new[] { "--urls", "http://127.0.0.1:0" }, b =>
            {
                b.Configuration.AddInMemoryCollection(settings);
                b.Logging.ClearProviders();
                b.Logging.SetMinimumLevel(LogLevel.Trace);
                b.Logging.AddProvider(h.Logs);
            });
            await h._app.StartAsync();
            // The port Kestrel bound for :0 (WebApplication.Urls reads the server's addresses once started).
            h.Root = new Uri(h._app.Urls.First());
            return h;
        }

        public string PlayerToken(string player, TimeSpan? validFor = null) =>
            HmacPlayerTokenValidator.Issue(PlayerSecret, player, DateTimeOffset.UtcNow + (validFor ?? TimeSpan.FromHours(1)));

        public Task<HttpResponseMessage> MintAsync(string vendor, string bearer)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Root, "/v1/tokens/" + vendor)) { Content = new StringContent("{}") };
            if (bearer != null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            return Http.SendAsync(request);
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>Every formatted log line (and exception) the server writes, at every level.</summary>
    sealed class LogCapture : ILoggerProvider
    {
        public readonly ConcurrentQueue<string> Lines = new ConcurrentQueue<string>();
        public string All => string.Join("\n", Lines);
        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
        public void Dispose() { }

        sealed class Logger : ILogger
        {
            readonly LogCapture _owner;
            readonly string _category;
            public Logger(LogCapture owner, string category) { _owner = owner; _category = category; }
            public IDisposable BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception exception, Func<TState, Exception, string> formatter)
            {
                _owner.Lines.Enqueue(logLevel + " " + _category + ": " + formatter(state, exception) + (exception != null ? " " + exception : ""));
            }
        }
    }
}
