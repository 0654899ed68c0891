// Stand-in for UnityEngine.ScriptableObject (api-signatures.md §9; UnityCsReference
// Runtime/Export/Scripting/ScriptableObject.bindings.cs). CreateInstance makes the object with its
// parameterless constructor, as Unity does for a new asset; there is no asset database here.
using System;

namespace UnityEngine
{
    public class ScriptableObject : Object
    {
        public ScriptableObject() { }

        public static ScriptableObject CreateInstance(Type type)
        {
            if (type == null || !typeof(ScriptableObject).IsAssignableFrom(type) || type.IsAbstract)
            {
                Debug.LogError("Instance of " + (type == null ? "null" : type.FullName) + " couldn't be created.");
                return null;
            }
            var so = (ScriptableObject)Activator.CreateInstance(type, true);
            so.NameUnchecked = string.Empty;
            return so;
        }

        public static T CreateInstance<T>() where T : ScriptableObject => (T)CreateInstance(typeof(T));
    }
}
