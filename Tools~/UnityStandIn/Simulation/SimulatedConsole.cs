// What the stand-in's UnityEngine.Debug wrote. Not a Unity API, so it lives outside every Unity namespace
// (guide: "put nothing Unity lacks in a Unity namespace"); tests read it to check nothing secret was logged.
using System.Collections.Generic;

namespace Parley.Simulation
{
    /// <summary>The simulated player's console: every line UnityEngine.Debug logged, in order.</summary>
    public static class SimulatedConsole
    {
        static readonly object Gate = new object();
        static readonly List<string> Lines = new List<string>();

        internal static void Write(string level, object message)
        {
            lock (Gate) Lines.Add(level + ": " + message);
        }

        public static string[] Snapshot()
        {
            lock (Gate) return Lines.ToArray();
        }

        public static void Clear()
        {
            lock (Gate) Lines.Clear();
        }
    }
}
