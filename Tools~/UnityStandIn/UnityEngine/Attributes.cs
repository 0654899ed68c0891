// Stand-ins for the scripting attributes the simulated player acts on (api-signatures.md §7,
// UnityCsReference Runtime/Export/Scripting/Attributes.cs): AddComponent adds a RequireComponent's types first
// and refuses a second DisallowMultipleComponent.
using System;

namespace UnityEngine
{
    [AttributeUsage(AttributeTargets.Class, Inherited = false)]
    public sealed class DisallowMultipleComponent : Attribute { }

    [AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
    public sealed class RequireComponent : Attribute
    {
        public Type m_Type0;
        public Type m_Type1;
        public Type m_Type2;

        public RequireComponent(Type requiredComponent) { m_Type0 = requiredComponent; }
        public RequireComponent(Type requiredComponent, Type requiredComponent2) { m_Type0 = requiredComponent; m_Type1 = requiredComponent2; }
        public RequireComponent(Type requiredComponent, Type requiredComponent2, Type requiredComponent3)
        {
            m_Type0 = requiredComponent; m_Type1 = requiredComponent2; m_Type2 = requiredComponent3;
        }
    }
}
