using System;
using System.Collections.Generic;
using Parley.Editor.Keys;
using UnityEditor;
using UnityEngine;

namespace Parley.Editor.Preferences
{
    /// <summary>
    /// Preferences → Parley: development keys per provider, kept in EditorPrefs on this machine (or read from an
    /// environment variable), never in the project. The page says what a build uses: only the token source.
    /// </summary>
    static class ParleyPreferences
    {
        [SettingsProvider]
        static SettingsProvider Create() => new SettingsProvider("Preferences/Parley", SettingsScope.User, DevelopmentKeys.Keywords)
        {
            guiHandler = Draw,
        };

        static readonly Dictionary<string, string> s_Typed = new Dictionary<string, string>();

        static void Draw(string searchContext)
        {
            EditorGUILayout.HelpBox(DevelopmentKeys.Intro, MessageType.Info);
            foreach (var row in DevelopmentKeys.Rows(v => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(v)), EditorKeyStore.Has))
            {
                EditorGUILayout.Space();
                EditorGUILayout.LabelField(row.Label, row.Status);
                s_Typed.TryGetValue(row.Provider, out var typed);
                typed = EditorGUILayout.PasswordField("New key", typed ?? string.Empty);
                s_Typed[row.Provider] = typed;
                if (GUILayout.Button("Save " + row.Label + " key") && !string.IsNullOrWhiteSpace(typed))
                {
                    EditorKeyStore.Set(row.Provider, typed);
                    s_Typed[row.Provider] = string.Empty;
                }
                if (row.InPreferences && GUILayout.Button("Remove the stored " + row.Label + " key")) EditorKeyStore.Clear(row.Provider);
            }
        }
    }
}
