using System;
using Parley.Providers.Auth;
using Parley.Unity.Profiles;

namespace Parley.Unity.Keys
{
    /// <summary>A credential an agent needs but may not have (no token source in a build, no development key).</summary>
    public sealed class CredentialUnavailableException : Exception
    {
        public CredentialUnavailableException(string message) : base(message) { }
    }

    /// <summary>
    /// Where an agent's credential comes from, in order: its token source (editor and builds); nothing, when the
    /// profile's server needs none (self-hosted); in the editor only, a development key from the environment
    /// variable (e.g. OPENAI_API_KEY) or EditorPrefs. A build whose profile would need a raw key refuses to start.
    /// </summary>
    public static class AgentCredentials
    {
        /// <summary>
        /// Development keys stored in EditorPrefs, installed by the Parley.Editor assembly (a runtime assembly cannot
        /// name UnityEditor). Null in players.
        /// </summary>
        public static Func<string, string> EditorKeyLookup;

        /// <returns>The source, or null when the server needs no credential.</returns>
        /// <exception cref="CredentialUnavailableException">Nothing allowed here can provide one.</exception>
        public static ICredentialSource Resolve(VoiceProfile profile, TokenSource tokens, bool isEditor)
        {
            if (profile == null) throw new ArgumentNullException(nameof(profile));
            if (tokens != null && tokens.IsConfigured) return tokens.Build();
            if (!profile.RequiresCredential) return null;
            if (!isEditor)
                throw new CredentialUnavailableException(
                    "This build has no token source for '" + profile.ProviderName + "'. A player must never carry a raw API key: set the agent's " +
                    "Token Source to your backend's URL (it returns an ephemeral token) or assign TokenSource.Callback.");
            var key = Environment.GetEnvironmentVariable(profile.KeyEnvironmentVariable);
            if (string.IsNullOrWhiteSpace(key)) key = EditorKeyLookup?.Invoke(profile.ProviderName);
            if (string.IsNullOrWhiteSpace(key))
                throw new CredentialUnavailableException(
                    "No development key for '" + profile.ProviderName + "': set the environment variable " + profile.KeyEnvironmentVariable +
                    ", store one in EditorPrefs (Parley.Editor.Keys.EditorKeyStore), or give the agent a token source.");
            return new StaticCredential(key.Trim());
        }
    }
}
