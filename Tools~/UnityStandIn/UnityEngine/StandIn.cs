// Test-side hooks of the stand-in. Not a Unity API: lives in its own namespace so package code
// cannot use it by accident (only the tests assembly references it by name).
using System.Collections.Generic;

namespace UnityEngine.StandIn
{
    /// <summary>What the stand-in's Debug wrote, so tests can check that nothing secret was logged.</summary>
    public static class Console
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
