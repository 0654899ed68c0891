using Parley.Unity.Agent;
using UnityEditor;
using UnityEngine;

namespace Parley.Editor.Menus
{
    /// <summary>
    /// GameObject → Parley → Voice Agent (one undoable step, selected, a child of the GameObject the menu was opened on,
    /// as Unity's own GameObject menu items do). The profiles' Assets → Create → Parley entries
    /// come from their [CreateAssetMenu] attributes.
    /// </summary>
    static class ParleyMenus
    {
        [MenuItem("GameObject/Parley/Voice Agent", false, 10)]
        static void CreateVoiceAgent(MenuCommand command)
        {
            var go = new GameObject("Voice Agent");
            // [RequireComponent] brings the AudioSource and AgentVoice along.
            go.AddComponent<VoiceAgent>();
            // Under the right-clicked or selected GameObject (MenuCommand.context), at its origin; at the scene root otherwise.
            GameObjectUtility.SetParentAndAlign(go, command.context as GameObject);
            Undo.RegisterCreatedObjectUndo(go, "Create Voice Agent");
            Selection.activeObject = go;
        }
    }
}
