using System;

namespace Parley.TokenServer
{
    /// <summary>The "TokenServer" configuration section. Keys are not here: they come from the environment only.</summary>
    public sealed class TokenServerOptions
    {
        public const string Section = "TokenServer";
        public RateLimitOptions RateLimit { get; set; } = new RateLimitOptions();
        public OpenAIOptions OpenAI { get; set; } = new OpenAIOptions();
        public GeminiOptions Gemini { get; set; } = new GeminiOptions();
        /// <summary>How long a vendor call may take before the player gets 504.</summary>
        public int VendorTimeoutSeconds { get; set; } = 15;
    }

    /// <summary>Per player: at most PermitLimit mints in each fixed window of WindowSeconds.</summary>
    public sealed class RateLimitOptions
    {
        public int PermitLimit { get; set; } = 5;
        public int WindowSeconds { get; set; } = 60;
    }

    /// <summary>POST {BaseUrl}/realtime/client_secrets. The session (model, instructions) is fixed here, not by the player.</summary>
    public sealed class OpenAIOptions
    {
        public string BaseUrl { get; set; } = "https://api.openai.com/v1";
        public string Model { get; set; } = "gpt-realtime";
        public string Instructions { get; set; }
        /// <summary>10..7200 (OpenAI's range); the secret can open sessions until then.</summary>
        public int ExpiresAfterSeconds { get; set; } = 600;
    }

    /// <summary>POST {BaseUrl}/auth_tokens (v1alpha). The token is locked to Model.</summary>
    public sealed class GeminiOptions
    {
        public string BaseUrl { get; set; } = "https://generativelanguage.googleapis.com/v1alpha";
        public string Model { get; set; } = "models/gemini-3.1-flash-live-preview";
        /// <summary>Sessions the token may open (0 = unlimited). Parley fetches a fresh token per connection, so 1 is enough.</summary>
        public int Uses { get; set; } = 1;
        public int ExpireMinutes { get; set; } = 30;
        public int NewSessionExpireSeconds { get; set; } = 60;
    }

    /// <summary>Environment variable names the server reads (never logged, never returned).</summary>
    public static class EnvironmentKeys
    {
        public const string OpenAI = "OPENAI_API_KEY";
        public const string Gemini = "GEMINI_API_KEY";
        public const string PlayerTokenSecret = "PARLEY_PLAYER_TOKEN_SECRET";
    }
}
