// Stand-in for UnityEngine.Debug (api-signatures.md §13): not static, `object message` parameters.
using System;

namespace UnityEngine
{
    public partial class Debug
    {
        public static void Log(object message) => Parley.Simulation.SimulatedConsole.Write("Log", message);
        public static void LogWarning(object message) => Parley.Simulation.SimulatedConsole.Write("Warning", message);
        public static void LogError(object message) => Parley.Simulation.SimulatedConsole.Write("Error", message);
        public static void LogException(Exception exception) => Parley.Simulation.SimulatedConsole.Write("Exception", exception);
    }
}
