// Stand-in for UnityEngine.InputSystem.InputAction and InputActionType. Source: Unity-Technologies/InputSystem at
// c52fff9a4a583046093b599adc2b3a54b2749838 (package 1.11.3), Packages/com.unity.inputsystem/InputSystem/Actions/
// InputAction.cs: `[Serializable] public sealed class InputAction : ICloneable, IDisposable`; `name` (get);
// `enabled` (get); `event Action<CallbackContext> started / performed / canceled`; `InputAction()` and
// `InputAction(string name = null, InputActionType type = default, string binding = null, string interactions = null,
// string processors = null, string expectedControlType = null)`; `Enable()`, `Disable()`, `Dispose()`, `Clone()`;
// nested `public struct CallbackContext`. InputActionType.cs: `enum InputActionType { Value, Button, PassThrough }`.
// No devices are simulated: the events fire only when a test calls Simulate.
using System;
using System.Collections.Generic;

namespace UnityEngine.InputSystem
{
    [Serializable]
    public sealed class InputAction : ICloneable, IDisposable
    {
        readonly string m_Name;
        readonly InputActionType m_Type;
        internal readonly List<string> m_Bindings = new List<string>();
        bool m_Enabled;

        public InputAction() { }

        public InputAction(string name = null, InputActionType type = default, string binding = null,
                           string interactions = null, string processors = null, string expectedControlType = null)
        {
            m_Name = name;
            m_Type = type;
            if (!string.IsNullOrEmpty(binding)) m_Bindings.Add(binding);
        }

        public string name => m_Name;
        public InputActionType type => m_Type;
        public bool enabled => m_Enabled;

        public event Action<CallbackContext> started;
        public event Action<CallbackContext> performed;
        public event Action<CallbackContext> canceled;

        public void Enable() => m_Enabled = true;
        public void Disable() => m_Enabled = false;
        public void Dispose() { m_Enabled = false; started = null; performed = null; canceled = null; }

        public InputAction Clone()
        {
            var clone = new InputAction(m_Name, m_Type);
            clone.m_Bindings.AddRange(m_Bindings);
            return clone;
        }

        object ICloneable.Clone() => Clone();

        /// <summary>Simulation only: a button bound to this action goes down (started, performed) or up (canceled).</summary>
        internal void Simulate(bool pressed)
        {
            if (!m_Enabled) return;
            if (pressed) { started?.Invoke(default); performed?.Invoke(default); }
            else canceled?.Invoke(default);
        }

        public struct CallbackContext { }
    }

    public enum InputActionType { Value, Button, PassThrough }
}
