// Stand-in for UnityEditor.EditorPrefs (api-signatures.md §21): a sealed class, not static.
// Backed by an in-memory dictionary (the real one is the per-user registry/plist).
using System.Collections.Generic;

namespace UnityEditor
{
    public sealed class EditorPrefs
    {
        static readonly Dictionary<string, object> Store = new Dictionary<string, object>();

        public static void SetString(string key, string value) { lock (Store) Store[key] = value; }
        public static string GetString(string key) => GetString(key, string.Empty);
        public static string GetString(string key, string defaultValue)
        {
            lock (Store) return Store.TryGetValue(key, out var v) && v is string s ? s : defaultValue;
        }
        public static bool HasKey(string key) { lock (Store) return Store.ContainsKey(key); }
        public static void DeleteKey(string key) { lock (Store) Store.Remove(key); }
    }
}
