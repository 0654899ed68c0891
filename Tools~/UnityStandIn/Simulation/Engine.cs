// The engine state behind the stand-in's static Unity members (Unity keeps the same state natively, per process).
// Internal: package code sees only the Unity API; tests and hosts drive it through SimulatedPlayer.
using System.Threading;
using UnityEngine;

namespace Parley.Simulation
{
    internal static class Engine
    {
        /// <summary>The running simulated player, or null (edit mode: no main-thread checks, no audio, no lifecycle).</summary>
        internal static SimulatedPlayer Player;

        internal static readonly PlayerClock Clock = new PlayerClock();
        internal static readonly AudioEngine Audio = new AudioEngine();
        internal static readonly MicrophoneRegistry Microphones = new MicrophoneRegistry();
        internal static readonly SimulatedPermissions Permissions = new SimulatedPermissions();

        /// <summary>
        /// Unity's check for bindings without IsThreadSafe: off the main thread they throw UnityException with this
        /// text (observed for AudioSource.isPlaying, audio-behaviour.md §2). Checked only while a player runs.
        /// </summary>
        internal static void MainThreadOnly(string member)
        {
            var player = Player;
            if (player == null || Thread.CurrentThread.ManagedThreadId == player.MainThreadId) return;
            throw new UnityException(member + " can only be called from the main thread.\n"
                + "Constructors and field initializers will be executed from the loading thread when loading a scene.\n"
                + "Don't use this function in the constructor or field initializers, instead move initialization code to the Awake or Start function.");
        }
    }

    /// <summary>The values UnityEngine.Time reports, advanced once per simulated frame.</summary>
    internal sealed class PlayerClock
    {
        internal double Time, DeltaTime, UnscaledTime, UnscaledDeltaTime, Realtime;
        internal double TimeScale = 1.0;
        internal double MaximumDeltaTime = 1.0 / 3.0;
        internal int FrameCount;

        internal void Reset()
        {
            Time = DeltaTime = UnscaledTime = UnscaledDeltaTime = Realtime = 0;
            TimeScale = 1.0;
            MaximumDeltaTime = 1.0 / 3.0;
            FrameCount = 0;
        }

        /// <summary>A frame begins at virtual time <paramref name="now"/>; the previous one began at <paramref name="previous"/>.</summary>
        internal void BeginFrame(double now, double previous, bool first)
        {
            Realtime = now;
            var elapsed = first ? 0.0 : now - previous;
            // Unity caps deltaTime at maximumDeltaTime (a hitch slows game time instead of jumping it).
            var capped = elapsed > MaximumDeltaTime ? MaximumDeltaTime : elapsed;
            UnscaledDeltaTime = capped;
            UnscaledTime += capped;
            DeltaTime = capped * TimeScale;
            Time += DeltaTime;
            FrameCount++;
        }
    }
}
