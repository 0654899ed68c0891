using System;

namespace Parley.Providers.Riva
{
    /// <summary>
    /// Whether a Riva cascade talks to NVIDIA's hosted endpoints (NVCF: grpc.nvcf.nvidia.com, integrate.api.nvidia.com,
    /// any *.nvidia.com host), which want an NVIDIA API key as the bearer, or to a server of your own, which needs none.
    /// A self-hosted server behind your own auth is configured with a token source like any other.
    /// </summary>
    public static class RivaEndpoints
    {
        /// <summary>The variable the CLI's documented hosted-Riva command reads (`--api-key-env NVIDIA_API_KEY`).</summary>
        public const string KeyEnvironmentVariable = "NVIDIA_API_KEY";

        /// <summary>True when <paramref name="url"/> is an absolute URL on nvidia.com or a subdomain of it.</summary>
        public static bool IsNvidiaHosted(string url)
        {
            if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)) return false;
            var host = uri.Host.TrimEnd('.');
            return host.Equals("nvidia.com", StringComparison.OrdinalIgnoreCase)
                || host.EndsWith(".nvidia.com", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>True when any of the cascade's endpoints (ASR, TTS, LLM) is NVIDIA-hosted: the cascade then needs a credential.</summary>
        public static bool AnyNvidiaHosted(params string[] urls)
        {
            if (urls == null) return false;
            foreach (var u in urls)
                if (IsNvidiaHosted(u)) return true;
            return false;
        }
    }
}
