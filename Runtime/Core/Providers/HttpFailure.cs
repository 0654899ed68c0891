using System;
using System.Net.Http;

namespace Parley.Providers
{
    /// <summary>An HttpClient connect failure as a typed error: TLS against a plain server, or unreachable.</summary>
    public static class HttpFailure
    {
        public static ProviderException Classify(HttpRequestException e, Uri endpoint)
        {
            var peer = endpoint.Scheme + "://" + endpoint.Authority;
            var all = e.ToString();
            if (all.IndexOf("SSL", StringComparison.OrdinalIgnoreCase) >= 0 || all.IndexOf("TLS", StringComparison.Ordinal) >= 0
                || e.InnerException is System.Security.Authentication.AuthenticationException)
                return new ProviderException(ProviderErrorKind.Transport, "tls", "TLS handshake with " + peer + " failed (is the server speaking plain http?).", e);
            return new ProviderException(ProviderErrorKind.Transport, "unreachable", "Could not reach " + peer + ": " + (e.InnerException ?? e).Message, e);
        }
    }
}
