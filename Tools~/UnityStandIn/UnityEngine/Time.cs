// Stand-in for UnityEngine.Time (api-signatures.md §14; UnityCsReference Runtime/Export/Time/Time.bindings.cs).
// Values come from the simulated player's virtual clock: a frame's deltaTime is the time since the previous
// frame began, capped at maximumDeltaTime (Unity's default 1/3 s); no getter is thread-safe in the bindings,
// so each throws off the main thread. Outside a running player every value is 0 (edit mode before Play).
using Parley.Simulation;

namespace UnityEngine
{
    public class Time
    {
        public static float time { get { Engine.MainThreadOnly("get_time"); return (float)Engine.Clock.Time; } }
        public static double timeAsDouble { get { Engine.MainThreadOnly("get_timeAsDouble"); return Engine.Clock.Time; } }
        public static float deltaTime { get { Engine.MainThreadOnly("get_deltaTime"); return (float)Engine.Clock.DeltaTime; } }
        public static float unscaledTime { get { Engine.MainThreadOnly("get_unscaledTime"); return (float)Engine.Clock.UnscaledTime; } }
        public static double unscaledTimeAsDouble { get { Engine.MainThreadOnly("get_unscaledTimeAsDouble"); return Engine.Clock.UnscaledTime; } }
        public static float unscaledDeltaTime { get { Engine.MainThreadOnly("get_unscaledDeltaTime"); return (float)Engine.Clock.UnscaledDeltaTime; } }
        public static float timeScale
        {
            get { Engine.MainThreadOnly("get_timeScale"); return (float)Engine.Clock.TimeScale; }
            set { Engine.MainThreadOnly("set_timeScale"); Engine.Clock.TimeScale = value; }
        }
        public static float maximumDeltaTime
        {
            get { Engine.MainThreadOnly("get_maximumDeltaTime"); return (float)Engine.Clock.MaximumDeltaTime; }
            set { Engine.MainThreadOnly("set_maximumDeltaTime"); Engine.Clock.MaximumDeltaTime = value; }
        }
        public static int frameCount { get { Engine.MainThreadOnly("get_frameCount"); return Engine.Clock.FrameCount; } }
        public static float realtimeSinceStartup { get { Engine.MainThreadOnly("get_realtimeSinceStartup"); return (float)Engine.Clock.Realtime; } }
        public static double realtimeSinceStartupAsDouble { get { Engine.MainThreadOnly("get_realtimeSinceStartupAsDouble"); return Engine.Clock.Realtime; } }
    }
}
