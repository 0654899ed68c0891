// Stand-in for UnityEngine.AudioListener (UnityCsReference Modules/Audio/Public/ScriptBindings/Audio.bindings.cs:
// `public sealed class AudioListener : AudioBehaviour`, [RequireComponent(typeof(Transform))], static volume and
// pause, static GetOutputData(float[] samples, int channel)). The simulated mixer hears through the first
// enabled listener: its position drives distance attenuation and its output is what
// Parley.Simulation.SimulatedPlayer.Heard reports.
using System;
using Parley.Simulation;

namespace UnityEngine
{
    [RequireComponent(typeof(Transform))]
    public sealed class AudioListener : AudioBehaviour
    {
        public static float volume
        {
            get { Engine.MainThreadOnly("get_volume"); return Engine.Audio.ListenerVolume; }
            set { Engine.MainThreadOnly("set_volume"); Engine.Audio.ListenerVolume = Math.Max(0f, value); }
        }

        public static bool pause
        {
            get { Engine.MainThreadOnly("get_pause"); return Engine.Audio.ListenerPaused; }
            set { Engine.MainThreadOnly("set_pause"); Engine.Audio.ListenerPaused = value; }
        }

        /// <summary>The newest samples.Length frames of one channel of the listener's (master) output.</summary>
        public static void GetOutputData(float[] samples, int channel)
        {
            Engine.MainThreadOnly("GetOutputData");
            Engine.Audio.CopyRecentOutput(samples, channel);
        }
    }
}
