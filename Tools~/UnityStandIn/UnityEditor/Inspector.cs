// Stand-ins for UnityEditor.Editor, CustomEditor, CanEditMultipleObjects and MessageType (api-signatures.md §18, §20;
// UnityCsReference Editor/Mono/Inspector/Editor.cs, Editor/Mono/Inspector/Core/CustomEditor.cs). The real Editor also
// implements IPreviewable and the internal IToolModeOwner; nothing here previews, so they are left out.
using System;
using UnityEngine;
using Object = UnityEngine.Object;

namespace UnityEditor
{
    public class CustomEditor : Attribute
    {
        public CustomEditor(Type inspectedType) : this(inspectedType, false) { }
        public CustomEditor(Type inspectedType, bool editorForChildClasses)
        {
            m_InspectedType = inspectedType;
            m_EditorForChildClasses = editorForChildClasses;
        }
        internal Type m_InspectedType;
        internal bool m_EditorForChildClasses;
        public bool isFallback { get; set; }
    }

    public sealed partial class CanEditMultipleObjects : Attribute { }

    public enum MessageType { None = 0, Info = 1, Warning = 2, Error = 3 }

    public partial class Editor : ScriptableObject
    {
        Object[] m_Targets = new Object[0];
        SerializedObject m_SerializedObject;

        public Object target
        {
            get => m_Targets.Length > 0 ? m_Targets[0] : null;
            set => throw new InvalidOperationException("You can't set the target on an editor.");
        }

        public Object[] targets => m_Targets;

        public SerializedObject serializedObject => m_SerializedObject ?? (m_SerializedObject = new SerializedObject(m_Targets));

        public virtual void OnInspectorGUI() { }

        public virtual bool RequiresConstantRepaint() => false;

        public void Repaint() { }

        // Editor.cs: `public static Editor CreateEditor(Object targetObject, Type editorType)`; the inspected objects are set once.
        public static Editor CreateEditor(Object targetObject, Type editorType)
        {
            var e = (Editor)CreateInstance(editorType);
            e.m_Targets = new[] { targetObject };
            return e;
        }

        // Editor.cs: `public static Editor CreateEditor(Object[] targetObjects, Type editorType)`.
        public static Editor CreateEditor(Object[] targetObjects, Type editorType)
        {
            var e = (Editor)CreateInstance(editorType);
            e.m_Targets = (Object[])targetObjects.Clone();
            return e;
        }
    }
}
