using System;
using System.Collections.Generic;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Parley.Providers;

namespace Parley.Session.Tools
{
    /// <summary>
    /// Turns a <see cref="ToolAttribute"/> method into a <see cref="ToolDefinition"/>: JSON-Schema from its
    /// parameters, arguments bound by name, invoked with MethodInfo.Invoke (AOT-safe, no emitted code).
    /// </summary>
    static class MethodTool
    {
        public static IEnumerable<ToolDefinition> FromObject(object target)
        {
            var type = target as Type ?? target.GetType();
            var instance = target is Type ? null : target;
            const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
            foreach (var m in type.GetMethods(flags))
            {
                var attr = m.GetCustomAttribute<ToolAttribute>();
                if (attr == null) continue;
                if (!m.IsStatic && instance == null)
                    throw new ArgumentException("Tool method " + type.Name + "." + m.Name + " is an instance method; register an instance.");
                yield return Build(m, instance, attr);
            }
        }

        static ToolDefinition Build(MethodInfo m, object instance, ToolAttribute attr)
        {
            var parameters = m.GetParameters();
            var decl = new ToolDeclaration(attr.Name ?? SnakeCase(m.Name), attr.Description, Schema(m, parameters));
            Func<ToolCall, CancellationToken, Task<string>> handler = (call, ct) => Invoke(m, instance, parameters, call, ct);
            return new ToolDefinition(decl, handler)
            {
                Timeout = attr.TimeoutMs > 0 ? TimeSpan.FromMilliseconds(attr.TimeoutMs) : TimeSpan.Zero,
                RequiresApproval = attr.RequiresApproval,
            };
        }

        static string Schema(MethodInfo m, ParameterInfo[] parameters)
        {
            var props = new JObject();
            var required = new JArray();
            foreach (var p in parameters)
            {
                if (p.ParameterType == typeof(CancellationToken) || p.ParameterType == typeof(ToolCall)) continue;
                var prop = TypeSchema(p.ParameterType, m, p);
                var desc = p.GetCustomAttribute<ToolParameterAttribute>();
                if (desc != null) prop["description"] = desc.Description;
                props[p.Name] = prop;
                if (!p.HasDefaultValue) required.Add(p.Name);
            }
            var schema = new JObject { ["type"] = "object", ["properties"] = props };
            if (required.Count > 0) schema["required"] = required;
            return schema.ToString(Formatting.None);
        }

        static JObject TypeSchema(Type t, MethodInfo m, ParameterInfo p)
        {
            var u = Nullable.GetUnderlyingType(t) ?? t;
            if (u == typeof(string)) return new JObject { ["type"] = "string" };
            if (u == typeof(bool)) return new JObject { ["type"] = "boolean" };
            if (u == typeof(int) || u == typeof(long) || u == typeof(short)) return new JObject { ["type"] = "integer" };
            if (u == typeof(float) || u == typeof(double) || u == typeof(decimal)) return new JObject { ["type"] = "number" };
            if (u.IsEnum) return new JObject { ["type"] = "string", ["enum"] = new JArray(Enum.GetNames(u)) };
            if (u.IsArray)
            {
                var items = TypeSchema(u.GetElementType(), m, p);
                return new JObject { ["type"] = "array", ["items"] = items };
            }
            throw new ArgumentException("Tool method " + m.DeclaringType.Name + "." + m.Name + ": parameter '" + p.Name +
                "' has type " + t.Name + "; use string, bool, integer, floating point, enum or arrays of them, or register the tool with an explicit schema.");
        }

        static async Task<string> Invoke(MethodInfo m, object instance, ParameterInfo[] parameters, ToolCall call, CancellationToken ct)
        {
            var args = call.Arguments();
            var values = new object[parameters.Length];
            for (var i = 0; i < parameters.Length; i++)
            {
                var p = parameters[i];
                if (p.ParameterType == typeof(CancellationToken)) { values[i] = ct; continue; }
                if (p.ParameterType == typeof(ToolCall)) { values[i] = call; continue; }
                var token = args[p.Name];
                if (token == null || token.Type == JTokenType.Null)
                {
                    if (p.HasDefaultValue) { values[i] = p.DefaultValue; continue; }
                    throw new ToolArgumentException("argument '" + p.Name + "' is missing (it is not optional)");
                }
                values[i] = Convert(token, p.ParameterType, p.Name);
            }
            var ret = m.Invoke(instance, values);
            if (ret is Task task)
            {
                await task.ConfigureAwait(false);
                var resultProp = task.GetType().GetProperty("Result");
                // Task (no result) exposes Result as VoidTaskResult internally; only Task<T> counts.
                ret = m.ReturnType.IsGenericType ? resultProp?.GetValue(task) : null;
                if (!m.ReturnType.IsGenericType) return "{\"ok\":true}";
            }
            else if (m.ReturnType == typeof(void)) return "{\"ok\":true}";
            if (ret == null) return "null";
            if (ret is string s) return s;
            return JsonConvert.SerializeObject(ret);
        }

        static object Convert(JToken token, Type t, string name)
        {
            var u = Nullable.GetUnderlyingType(t) ?? t;
            try
            {
                if (u.IsEnum)
                {
                    var text = (string)token;
                    foreach (var n in Enum.GetNames(u))
                        if (string.Equals(n, text, StringComparison.OrdinalIgnoreCase)) return Enum.Parse(u, n);
                    throw new ToolArgumentException("argument '" + name + "' must be one of " + string.Join(", ", Enum.GetNames(u)));
                }
                return token.ToObject(u);
            }
            catch (Exception e) when (e is JsonException || e is FormatException || e is InvalidCastException || e is ArgumentException && !(e is ToolArgumentException))
            {
                throw new ToolArgumentException("argument '" + name + "' is not a valid " + u.Name);
            }
        }

        internal static string SnakeCase(string name)
        {
            var sb = new StringBuilder(name.Length + 4);
            for (var i = 0; i < name.Length; i++)
            {
                var c = name[i];
                if (char.IsUpper(c))
                {
                    if (i > 0 && (char.IsLower(name[i - 1]) || i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))) sb.Append('_');
                    sb.Append(char.ToLowerInvariant(c));
                }
                else sb.Append(c);
            }
            return sb.ToString();
        }
    }
}
