// Stand-in for UnityEngine.InputSystem.InputActionSetupExtensions.AddBinding. Source: Unity-Technologies/InputSystem at
// c52fff9a4a583046093b599adc2b3a54b2749838, Packages/com.unity.inputsystem/InputSystem/Actions/InputActionSetupExtensions.cs:
// `public static class InputActionSetupExtensions`, `public static BindingSyntax AddBinding(this InputAction action,
// string path, string interactions = null, string processors = null, string groups = null)`, nested
// `public struct BindingSyntax`.
using System;

namespace UnityEngine.InputSystem
{
    public static class InputActionSetupExtensions
    {
        public static BindingSyntax AddBinding(this InputAction action, string path, string interactions = null,
            string processors = null, string groups = null)
        {
            if (action == null) throw new ArgumentNullException(nameof(action));
            action.m_Bindings.Add(path);
            return default;
        }

        public struct BindingSyntax { }
    }
}
