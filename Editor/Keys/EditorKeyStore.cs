using System;
using UnityEditor;

namespace Parley.Editor.Keys
{
    /// <summary>
    /// Development API keys live in EditorPrefs (per user, per machine), never in a scene, asset or
    /// Resources folder, so a build cannot ship them. Keys are namespaced by provider.
    /// </summary>
    public static class EditorKeyStore
    {
        const string Prefix = "Parley.ApiKey.";

        /// <summary>The stored key for <paramref name="provider"/>, or an empty string.</summary>
        public static string Get(string provider) => EditorPrefs.GetString(PrefKey(provider), string.Empty);

        public static bool Has(string provider) => EditorPrefs.HasKey(PrefKey(provider));

        /// <summary>Stores a key; an empty or whitespace key removes it instead of storing blanks.</summary>
        public static void Set(string provider, string apiKey)
        {
            if (string.IsNullOrWhiteSpace(apiKey)) { Clear(provider); return; }
            EditorPrefs.SetString(PrefKey(provider), apiKey.Trim());
        }

        public static void Clear(string provider) => EditorPrefs.DeleteKey(PrefKey(provider));

        /// <summary>A form safe to show in an inspector or log: the first four characters and the length.</summary>
        public static string Masked(string apiKey)
        {
            if (string.IsNullOrEmpty(apiKey)) return "(none)";
            var shown = apiKey.Length > 8 ? apiKey.Substring(0, 4) : string.Empty;
            return shown + new string('*', 6) + " (" + apiKey.Length + " chars)";
        }

        static string PrefKey(string provider)
        {
            if (string.IsNullOrWhiteSpace(provider)) throw new ArgumentException("Provider name is required.", nameof(provider));
            return Prefix + provider.Trim().ToLowerInvariant();
        }
    }
}
