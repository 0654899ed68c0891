using System;
using Parley.Providers.Auth;
using Parley.Transport;

namespace Parley.Cli.Talk
{
    /// <summary>The key from an environment variable, or an ephemeral token from the game's backend (--token-url).</summary>
    static class Credentials
    {
        public static ICredentialSource Resolve(string keyEnv, string defaultEnv, string tokenUrl, bool insecure, System.IO.TextWriter warn)
        {
            if (tokenUrl != null)
            {
                var uri = Urls.Parse(tokenUrl, "--token-url", insecure, warn);
                return new TokenEndpoint(uri);
            }
            var name = keyEnv ?? defaultEnv;
            var value = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrEmpty(value))
                throw new CliError("The environment variable " + name + " is not set: export it with your key, pass --api-key-env NAME, or use --token-url URL.", ExitCodes.Auth);
            return new StaticCredential(value);
        }
    }

    static class Urls
    {
        /// <summary>Parses a URL option and applies the transport-security rule (warning when plain text is allowed by --insecure).</summary>
        public static Uri Parse(string value, string option, bool insecure, System.IO.TextWriter warn)
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != "ws" && uri.Scheme != "wss" && uri.Scheme != "http" && uri.Scheme != "https"))
                throw new CliError(option + " '" + value + "' is not a ws://, wss://, http:// or https:// URL.");
            if (EndpointSecurity.Check(uri, insecure))
                warn.WriteLine("warning: " + option + " " + uri.Scheme + "://" + uri.Host + " is not encrypted (allowed by --insecure); use it only on a network you trust.");
            return uri;
        }
    }
}
