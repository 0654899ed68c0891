using System;
using System.Collections.Generic;

namespace Parley.Editor.Preferences
{
    /// <summary>What Preferences → Parley lists and says (engine-free): one row per provider with its key's status, never the key.</summary>
    public static class DevelopmentKeys
    {
        public sealed class Row
        {
            public string Provider, Label, EnvironmentVariable, Status;
            public bool InEnvironment, InPreferences;
        }

        /// <summary>Providers whose profiles need a cloud key: the profile's ProviderName and its KeyEnvironmentVariable.</summary>
        public static readonly string[][] Providers =
        {
            new[] { "openai", "OpenAI", "OPENAI_API_KEY" },
            new[] { "gemini", "Gemini", "GEMINI_API_KEY" },
            // Riva cascades need one only on NVIDIA-hosted endpoints (NVCF); a self-hosted server needs none.
            new[] { "riva", "NVIDIA (Riva on NVCF)", Parley.Providers.Riva.RivaEndpoints.KeyEnvironmentVariable },
        };

        public static readonly string[] Keywords = { "Parley", "API key", "OpenAI", "Gemini", "NVIDIA", "Riva", "token", "development key" };

        public const string Intro =
            "Development keys let the editor talk to a provider while you build the game. They are kept in EditorPrefs for your user " +
            "on this machine (or read from the environment variable, which wins), never in the project, so no scene, asset or " +
            "Resources folder can carry them. A player build uses only each agent's token source (your backend's short-lived tokens); " +
            "these keys never reach a build, and the build check fails a build that contains a key.";

        public static List<Row> Rows(Func<string, bool> environmentHasValue, Func<string, bool> preferencesHaveKey)
        {
            var rows = new List<Row>();
            foreach (var p in Providers)
            {
                var row = new Row
                {
                    Provider = p[0], Label = p[1], EnvironmentVariable = p[2],
                    InEnvironment = environmentHasValue(p[2]), InPreferences = preferencesHaveKey(p[0]),
                };
                row.Status = row.InEnvironment
                    ? "From " + p[2] + (row.InPreferences ? " (it overrides the stored key)" : "") + "; editor only."
                    : row.InPreferences ? "Stored in EditorPrefs on this machine; editor only."
                    : "None: set " + p[2] + " or save one below.";
                if (p[0] == "riva") row.Status += " Only Riva profiles pointed at NVIDIA-hosted endpoints use it; a self-hosted server needs no key.";
                rows.Add(row);
            }
            return rows;
        }
    }
}
