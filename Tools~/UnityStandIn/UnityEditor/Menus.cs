// Stand-ins for menu, selection, undo and play-state members editor code uses, as UnityCsReference (2021.3) declares them:
// MenuItem (Editor/Mono/MenuItem.cs), MenuCommand (Editor/Mono/MenuCommand.cs), Selection.activeObject
// (Editor/Mono/Selection.bindings.cs), Undo.RecordObject / RecordObjects / RegisterCreatedObjectUndo
// (Editor/Mono/Undo/Undo.bindings.cs), EditorApplication.isPlaying (Editor/Mono/EditorApplication.bindings.cs),
// EditorUtility.SetDirty (Editor/Mono/EditorUtility.bindings.cs). There is no undo history here: recording does nothing.
using System;
using Object = UnityEngine.Object;

namespace UnityEditor
{
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public sealed class MenuItem : Attribute
    {
        public MenuItem(string itemName) : this(itemName, false) { }
        public MenuItem(string itemName, bool isValidateFunction) : this(itemName, isValidateFunction, itemName.StartsWith("GameObject/Create Other") ? 10 : 1000) { }
        public MenuItem(string itemName, bool isValidateFunction, int priority)
        {
            menuItem = itemName;
            validate = isValidateFunction;
            this.priority = priority;
        }

        public string menuItem;
        public bool validate;
        public int priority;
    }

    public sealed class MenuCommand
    {
        public Object context;
        public int userData;
        public MenuCommand(Object inContext, int inUserData) { context = inContext; userData = inUserData; }
        public MenuCommand(Object inContext) { context = inContext; userData = 0; }
    }

    public sealed partial class Selection
    {
        public static Object activeObject { get; set; }
    }

    public partial class Undo
    {
        public static void RecordObject(Object objectToUndo, string name) { }
        public static void RecordObjects(Object[] objectsToUndo, string name) { }
        public static void RegisterCreatedObjectUndo(Object objectToUndo, string name) { }
    }

    public partial class EditorUtility
    {
        public static void SetDirty(Object target) { }
    }

    public sealed partial class EditorApplication
    {
        public static bool isPlaying { get; set; }
    }
}
