using System;
using System.Collections.Generic;
using Parley.Editor.Keys;
using Parley.Editor.Validation;
using Parley.Unity.Profiles;
using UnityEditor;

namespace Parley.Editor.Inspectors
{
    /// <summary>
    /// The inspector of every provider profile: model and voice as free text with the provider's suggestions, the
    /// development key status (never the key), key material in any field, and Test connection with the development
    /// key. Every write goes through SerializedProperty (Undo, multi-object editing).
    /// </summary>
    [CustomEditor(typeof(VoiceProfile), true)]
    [CanEditMultipleObjects]
    sealed class VoiceProfileEditor : UnityEditor.Editor
    {
        readonly ConnectionTestPanel _test = new ConnectionTestPanel();

        public override void OnInspectorGUI()
        {
            serializedObject.Update();
            var profile = (VoiceProfile)target;
            var choices = ProviderChoices.For(profile.ProviderName);
            var it = serializedObject.GetIterator();
            for (var enter = true; it.NextVisible(enter); enter = false)
            {
                if (it.propertyPath == "m_Script") continue;
                if (it.propertyPath == "model") FreeTextWithChoices(it, "Model", choices.Models);
                else if (it.propertyPath == "voice") FreeTextWithChoices(it, "Voice", choices.Voices);
                else EditorGUILayout.PropertyField(it, true);
            }
            serializedObject.ApplyModifiedProperties();
            if (choices.Note != null) EditorGUILayout.HelpBox(choices.Note, MessageType.None);

            var status = KeySourceStatus.Describe(profile.ProviderName, profile.RequiresCredential, profile.KeyEnvironmentVariable, null,
                v => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(v)), EditorKeyStore.Has);
            EditorGUILayout.HelpBox(status.Summary + "\nAn agent's token source takes precedence. " + status.BuildNote, status.WorksInEditor ? MessageType.Info : MessageType.Warning);

            var strings = new List<KeyValuePair<string, string>>();
            SerializedStrings.Collect(serializedObject, string.Empty, strings);
            foreach (var issue in SerializedKeyCheck.Check(strings)) EditorGUILayout.HelpBox(issue.Message, MessageType.Error);

            if (!serializedObject.isEditingMultipleObjects) _test.Draw(profile, null, null);
        }

        /// <summary>A text field plus a pop-up of suggestions that writes the pick into the same property.</summary>
        static void FreeTextWithChoices(SerializedProperty property, string label, string[] suggestions)
        {
            EditorGUI.showMixedValue = property.hasMultipleDifferentValues;
            EditorGUI.BeginChangeCheck();
            var typed = EditorGUILayout.TextField(label, property.stringValue);
            if (EditorGUI.EndChangeCheck()) property.stringValue = typed;
            EditorGUI.showMixedValue = false;
            if (suggestions.Length == 0 || property.hasMultipleDifferentValues) return;
            var entries = ProviderChoices.PopupEntries(suggestions, property.stringValue, out var selected);
            EditorGUI.BeginChangeCheck();
            var picked = EditorGUILayout.Popup(" ", selected, entries);
            if (EditorGUI.EndChangeCheck()) property.stringValue = ProviderChoices.ValueOf(suggestions, property.stringValue, picked);
        }

        public override bool RequiresConstantRepaint() => _test.Running;

        void OnDisable() => _test.Cancel();
    }
}
