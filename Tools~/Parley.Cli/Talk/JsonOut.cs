using System;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;

namespace Parley.Cli.Talk
{
    /// <summary>Session objects as JSON: snake_case names, enums as strings, NaN (did not happen) as null.</summary>
    static class JsonOut
    {
        static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
        {
            ContractResolver = new DefaultContractResolver { NamingStrategy = new SnakeCaseNamingStrategy() },
            Converters = { new StringEnumConverter(new SnakeCaseNamingStrategy()) },
        });

        public static JObject From(object o)
        {
            var j = JObject.FromObject(o, Serializer);
            CleanNaN(j);
            return j;
        }

        static void CleanNaN(JToken t)
        {
            if (t is JValue v)
            {
                if (v.Value is double d && (double.IsNaN(d) || double.IsInfinity(d))) v.Value = null;
                else if (v.Value is double r) v.Value = Math.Round(r, 3);
                return;
            }
            foreach (var c in t.Children()) CleanNaN(c);
        }

        public static string Line(JObject o) => o.ToString(Formatting.None);
    }
}
