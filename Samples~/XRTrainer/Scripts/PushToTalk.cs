using Parley.Session;
using Parley.Unity.Agent;
using UnityEngine;
#if PARLEY_INPUT_SYSTEM
using UnityEngine.InputSystem;
#endif

namespace Parley.Samples.XRTrainer
{
    /// <summary>
    /// Hold to talk, release for the agent to answer. With the Input System package (com.unity.inputsystem) it
    /// listens to an action: the one you assign (e.g. a trigger in the XR Interaction Toolkit's input actions) or,
    /// when none is assigned, its own bound to either controller's trigger and the space bar. Without the package it
    /// reads a key through the legacy Input Manager.
    /// </summary>
    [AddComponentMenu("Parley Samples/Push To Talk")]
    public sealed class PushToTalk : MonoBehaviour
    {
        [SerializeField, Tooltip("The agent that listens while the button is held.")]
        VoiceAgent agent;
#if PARLEY_INPUT_SYSTEM
        [SerializeField, Tooltip("A button action from your input actions asset; empty = trigger on either XR controller or space.")]
        InputActionReference action;
        InputAction _action;
        bool _ownsAction;
#else
        [SerializeField, Tooltip("Key held to talk (legacy Input Manager; install the Input System package for XR controllers).")]
        KeyCode key = KeyCode.Space;
#endif

        /// <summary>True while the player holds the button and the agent listens.</summary>
        public bool Talking { get; private set; }

        public VoiceAgent Agent { get => agent; set => agent = value; }
#if PARLEY_INPUT_SYSTEM
        /// <summary>The button action to listen to (set before the component is enabled); null = the built-in one.</summary>
        public InputActionReference Action { get => action; set => action = value; }
#else
        public KeyCode Key { get => key; set => key = value; }
#endif

        /// <summary>What to press, for on-screen help.</summary>
#if PARLEY_INPUT_SYSTEM
        public string Binding => action != null ? "\"" + action.name + "\"" : "the trigger (or space)";
#else
        public string Binding => key.ToString();
#endif

#if PARLEY_INPUT_SYSTEM
        void OnEnable()
        {
            _action = action != null ? action.action : null;
            _ownsAction = _action == null;
            if (_ownsAction)
            {
                _action = new InputAction("Push to talk", InputActionType.Button, "<XRController>{RightHand}/{TriggerButton}");
                _action.AddBinding("<XRController>{LeftHand}/{TriggerButton}");
                _action.AddBinding("<Keyboard>/space");
            }
            _action.performed += OnPressed;
            _action.canceled += OnReleased;
            _action.Enable();
        }

        void OnDisable()
        {
            if (_action == null) return;
            _action.performed -= OnPressed;
            _action.canceled -= OnReleased;
            if (_ownsAction) _action.Dispose();   // an action from an asset stays enabled for its other users
            _action = null;
            Release();
        }

        void OnPressed(InputAction.CallbackContext context) => Press();
        void OnReleased(InputAction.CallbackContext context) => Release();
#else
        void Update()
        {
            if (Input.GetKeyDown(key)) Press();
            if (Input.GetKeyUp(key)) Release();
        }

        void OnDisable() => Release();
#endif

        void Press()
        {
            if (Talking || !Connected) return;
            Talking = true;
            agent.BeginPushToTalk();
        }

        bool Connected => agent != null && agent.State != SessionState.Idle && agent.State != SessionState.Connecting && agent.State != SessionState.Closed;

        void Release()
        {
            if (!Talking) return;
            Talking = false;
            if (Connected) agent.EndPushToTalk();
        }
    }
}
