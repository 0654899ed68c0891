using Parley.Unity.Keys;
using UnityEditor;

namespace Parley.Editor.Keys
{
    /// <summary>Lets agents in Play mode read development keys from EditorPrefs (the runtime assembly cannot name UnityEditor).</summary>
    static class EditorKeyHook
    {
        [InitializeOnLoadMethod]
        static void Install() => AgentCredentials.EditorKeyLookup = EditorKeyStore.Get;
    }
}
