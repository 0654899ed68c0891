using Newtonsoft.Json.Linq;

namespace Parley.Providers
{
    /// <summary>
    /// Typed reads of server JSON that never throw: a field of the wrong type reads as absent. Json.NET's explicit
    /// casts throw ArgumentException, FormatException or OverflowException on a wrong type or a huge number, and
    /// indexing a value that is not an object throws InvalidOperationException; a server's bad field must become a
    /// typed protocol error or be ignored, never such an exception.
    /// </summary>
    internal static class JsonFields
    {
        public static JToken Field(JToken o, string name) => o is JObject j && j.TryGetValue(name, out var t) ? t : null;

        /// <summary>The string value, or null when absent or not a string.</summary>
        public static string Str(JToken o, string name) => Field(o, name) is JValue v && v.Type == JTokenType.String ? (string)v.Value : null;

        public static JObject Obj(JToken o, string name) => Field(o, name) as JObject;

        public static JArray Arr(JToken o, string name) => Field(o, name) as JArray;

        /// <summary>A JSON integer in range, or a finite number's integer part in range; else <paramref name="fallback"/>.</summary>
        public static long Long(JToken o, string name, long fallback = 0)
        {
            var v = Field(o, name) as JValue;
            if (v?.Value is long l) return l;
            if (v?.Value is double d && d >= long.MinValue && d < long.MaxValue) return (long)d;
            return fallback;
        }

        public static int Int(JToken o, string name, int fallback = 0)
        {
            var l = Long(o, name, long.MinValue);
            return l >= int.MinValue && l <= int.MaxValue && l != long.MinValue ? (int)l : fallback;
        }

        /// <summary>A finite number, or null.</summary>
        public static double? Number(JToken o, string name)
        {
            var v = Field(o, name) as JValue;
            if (v?.Value is long l) return l;
            if (v?.Value is double d && !double.IsNaN(d) && !double.IsInfinity(d)) return d;
            return null;
        }

        /// <summary>A JSON boolean, or null.</summary>
        public static bool? Bool(JToken o, string name) => Field(o, name) is JValue v && v.Value is bool b ? b : (bool?)null;
    }
}
