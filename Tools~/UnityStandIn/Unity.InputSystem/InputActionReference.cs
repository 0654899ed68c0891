// Stand-in for UnityEngine.InputSystem.InputActionReference. Source: Unity-Technologies/InputSystem at
// c52fff9a4a583046093b599adc2b3a54b2749838, Packages/com.unity.inputsystem/InputSystem/Actions/InputActionReference.cs:
// `public class InputActionReference : ScriptableObject`, `public InputAction action { get; }`,
// `public static InputActionReference Create(InputAction action)`. An asset reference to one action of an
// InputActionAsset (e.g. the XR Interaction Toolkit's default input actions).
namespace UnityEngine.InputSystem
{
    public class InputActionReference : ScriptableObject
    {
        InputAction m_Action;

        public InputAction action => m_Action;

        public static InputActionReference Create(InputAction action)
        {
            if (action == null) return null;
            var reference = CreateInstance<InputActionReference>();
            reference.m_Action = action;
            return reference;
        }
    }
}
