using System;

namespace Parley.Editor.Inspectors
{
    /// <summary>Where an agent's credential will come from (the order of <c>AgentCredentials.Resolve</c>).</summary>
    public enum KeyOrigin { TokenSource, NotNeeded, EnvironmentVariable, EditorPreferences, Missing }

    /// <summary>
    /// What the inspector says about an agent's key source: found or missing, and where from. It never holds or shows
    /// a key: it is given presence checks, and a token URL is shown without its query (which could carry a secret).
    /// </summary>
    public sealed class KeySourceStatus
    {
        public KeyOrigin Origin;
        /// <summary>One line for the inspector.</summary>
        public string Summary;
        public bool WorksInEditor;
        public bool WorksInBuild;
        /// <summary>What a player build will use, always said (only the token source, or nothing for self-hosted servers).</summary>
        public string BuildNote;

        /// <param name="provider">The profile's provider name, e.g. "openai".</param>
        /// <param name="requiresCredential">False for a self-hosted server that needs no key.</param>
        /// <param name="environmentVariable">The profile's key variable, e.g. OPENAI_API_KEY.</param>
        /// <param name="tokenUrl">The agent's serialized token source URL, or null.</param>
        /// <param name="environmentHasValue">True when the variable is set to something not blank.</param>
        /// <param name="preferencesHaveKey">True when Preferences → Parley holds a key for the provider.</param>
        public static KeySourceStatus Describe(string provider, bool requiresCredential, string environmentVariable, string tokenUrl,
            Func<string, bool> environmentHasValue, Func<string, bool> preferencesHaveKey)
        {
            if (!string.IsNullOrWhiteSpace(tokenUrl))
                return new KeySourceStatus
                {
                    Origin = KeyOrigin.TokenSource, WorksInEditor = true, WorksInBuild = true,
                    Summary = "Token source: " + SafeUrl(tokenUrl) + " (editor and builds).",
                    BuildNote = "A build asks this endpoint for a short-lived token on every connection.",
                };
            if (!requiresCredential)
                return new KeySourceStatus
                {
                    Origin = KeyOrigin.NotNeeded, WorksInEditor = true, WorksInBuild = true,
                    Summary = "No key needed: the " + provider + " server is self-hosted.",
                    BuildNote = "A build connects without a credential.",
                };
            const string buildNote = "A build uses only a token source: with none set, the agent refuses to start in a player (unless code sets TokenSource.Callback).";
            if (environmentHasValue(environmentVariable))
                return new KeySourceStatus
                {
                    Origin = KeyOrigin.EnvironmentVariable, WorksInEditor = true,
                    Summary = "Development key found in the environment variable " + environmentVariable + " (editor only).", BuildNote = buildNote,
                };
            if (preferencesHaveKey(provider))
                return new KeySourceStatus
                {
                    Origin = KeyOrigin.EditorPreferences, WorksInEditor = true,
                    Summary = "Development key found in Preferences → Parley (" + provider + ", this machine only, editor only).", BuildNote = buildNote,
                };
            return new KeySourceStatus
            {
                Origin = KeyOrigin.Missing,
                Summary = "Missing: no token source, no " + environmentVariable + " and no key for " + provider + " in Preferences → Parley.",
                BuildNote = buildNote,
            };
        }

        /// <summary>
        /// Scheme, host and port only: a path segment or query could carry a secret (key patterns need a boundary a
        /// URL path does not give, so masking cannot be relied on there).
        /// </summary>
        static string SafeUrl(string url)
        {
            if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)) return "(not a URL)";
            var rest = uri.PathAndQuery.Length > 1 ? "/…" : "";
            return uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped) + rest;
        }
    }
}
