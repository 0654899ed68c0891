// Stand-in for UnityEngine.Debug (api-signatures.md §13): not static, `object message` parameters.
using System;

namespace UnityEngine
{
    public partial class Debug
    {
        public static void Log(object message) => StandIn.Console.Write("Log", message);
        public static void LogWarning(object message) => StandIn.Console.Write("Warning", message);
        public static void LogError(object message) => StandIn.Console.Write("Error", message);
        public static void LogException(Exception exception) => StandIn.Console.Write("Exception", exception);
    }
}
