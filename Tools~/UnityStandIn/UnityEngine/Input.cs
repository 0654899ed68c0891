// Stand-ins for UnityEngine.Input (UnityCsReference 2021.3 Modules/InputLegacy/Input.bindings.cs: `public class Input`,
// GetKey/GetKeyDown/GetKeyUp(KeyCode) wrap native calls) and UnityEngine.KeyCode (Runtime/Export/Input/KeyCode.cs; only
// the members used, with Unity's values). No keyboard is simulated: every key is up unless a test presses it.
using System.Collections.Generic;
using Parley.Simulation;

namespace UnityEngine
{
    public class Input
    {
        static readonly HashSet<KeyCode> s_Held = new HashSet<KeyCode>();
        static readonly Dictionary<KeyCode, int> s_DownFrame = new Dictionary<KeyCode, int>();
        static readonly Dictionary<KeyCode, int> s_UpFrame = new Dictionary<KeyCode, int>();

        public static bool GetKey(KeyCode key) { Engine.MainThreadOnly("GetKeyInt"); return s_Held.Contains(key); }

        public static bool GetKeyDown(KeyCode key) { Engine.MainThreadOnly("GetKeyDownInt"); return s_DownFrame.TryGetValue(key, out var f) && f == Time.frameCount; }

        public static bool GetKeyUp(KeyCode key) { Engine.MainThreadOnly("GetKeyUpInt"); return s_UpFrame.TryGetValue(key, out var f) && f == Time.frameCount; }

        /// <summary>Simulation: the key goes down (or up) in frame <paramref name="frame"/> (SimulatedPlayer.SetKey).</summary>
        internal static void SetKey(KeyCode key, bool down, int frame)
        {
            if (down && s_Held.Add(key)) s_DownFrame[key] = frame;
            if (!down && s_Held.Remove(key)) s_UpFrame[key] = frame;
        }

        /// <summary>Simulation: every key up, no press or release pending (a new player).</summary>
        internal static void Reset()
        {
            s_Held.Clear();
            s_DownFrame.Clear();
            s_UpFrame.Clear();
        }
    }

    public enum KeyCode
    {
        None = 0,
        Backspace = 8,
        Tab = 9,
        Return = 13,
        Escape = 27,
        Space = 32,
        Alpha0 = 48,
        Alpha1 = 49,
        Alpha2 = 50,
        A = 97,
        R = 114,
        T = 116,
        V = 118,
        Z = 122,
    }
}
