// Stand-in for UnityEditor.InitializeOnLoadMethodAttribute (UnityCsReference Editor/Mono/EditorAssemblies.cs:
// `[AttributeUsage(AttributeTargets.Method)] public class InitializeOnLoadMethodAttribute : Attribute`).
using System;

namespace UnityEditor
{
    [AttributeUsage(AttributeTargets.Method)]
    public class InitializeOnLoadMethodAttribute : Attribute { }
}
