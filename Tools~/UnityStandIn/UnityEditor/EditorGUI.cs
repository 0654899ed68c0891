// Stand-ins for UnityEditor.EditorGUILayout and EditorGUI (api-signatures.md §20; UnityCsReference Editor/Mono/EditorGUILayout.cs,
// Editor/Mono/EditorGUI.cs). There is no GUI here: nothing is drawn, fields return the value they were given, a change
// check reports no change.
using System;
using UnityEngine;

namespace UnityEditor
{
    public sealed partial class EditorGUILayout
    {
        public static bool PropertyField(SerializedProperty property, params GUILayoutOption[] options) => false;
        public static bool PropertyField(SerializedProperty property, GUIContent label, params GUILayoutOption[] options) => false;
        public static bool PropertyField(SerializedProperty property, bool includeChildren, params GUILayoutOption[] options) => false;
        public static void HelpBox(string message, MessageType type) { }
        public static void LabelField(string label, params GUILayoutOption[] options) { }
        public static void LabelField(string label, string label2, params GUILayoutOption[] options) { }
        public static void Space() { }
        public static string TextField(string label, string text, params GUILayoutOption[] options) => text;
        public static string PasswordField(string label, string password, params GUILayoutOption[] options) => password;   // EditorGUILayout.cs
        public static int Popup(string label, int selectedIndex, string[] displayedOptions, params GUILayoutOption[] options) => selectedIndex;
        public static bool Foldout(bool foldout, string content) => foldout;
    }

    public sealed partial class EditorGUI
    {
        public static void BeginChangeCheck() { }
        public static bool EndChangeCheck() => false;
        // EditorGUI.cs: `public static bool showMixedValue { get; set; }`.
        public static bool showMixedValue { get; set; }
        public static int indentLevel { get; set; }

        public struct DisabledScope : IDisposable
        {
            public DisabledScope(bool disabled) { }
            public void Dispose() { }
        }
    }
}
