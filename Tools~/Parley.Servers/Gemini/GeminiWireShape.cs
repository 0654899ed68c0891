using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace Parley.Servers.Gemini;

/// <summary>
/// The structural comparison the replay server applies to client frames. A frame is reduced to its shape: the
/// set of JSON paths (array indexes folded to <c>[]</c>) with each leaf's JSON type. Two frames match when
/// (1) their top-level message kind is the same (setup, realtimeInput, clientContent, toolResponse) and so is
///     the realtimeInput member (audio, text, activityStart...);
/// (2) every path of the recorded frame exists in ours with the same type. Only <c>setup</c> may have extra
///     paths (it carries optional configuration the recorded test did not use); any other message must have
///     exactly the recorded paths;
/// (3) values that are protocol constants are equal: <c>mimeType</c>, <c>disabled</c>, <c>turnComplete</c>,
///     <c>role</c>, <c>audioStreamEnd</c>.
/// Everything else (audio payloads, ids, model names, texts, numbers) is not compared.
/// </summary>
public static class GeminiWireShape
{
    static readonly HashSet<string> ComparedValues = new(StringComparer.Ordinal) { "mimeType", "disabled", "turnComplete", "role", "audioStreamEnd" };

    public static Dictionary<string, string> Shape(JToken token)
    {
        var shape = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk(token, "", shape);
        return shape;
    }

    static void Walk(JToken t, string path, Dictionary<string, string> shape)
    {
        switch (t)
        {
            case JObject o:
                shape[path] = "object";
                foreach (var p in o.Properties()) Walk(p.Value, path.Length == 0 ? p.Name : path + "." + p.Name, shape);
                break;
            case JArray a:
                shape[path] = "array";
                foreach (var item in a) Walk(item, path + "[]", shape);
                break;
            default:
                var type = t.Type switch
                {
                    JTokenType.Integer or JTokenType.Float => "number",
                    JTokenType.Boolean => "boolean",
                    JTokenType.Null => "null",
                    _ => "string",
                };
                var leaf = path.Substring(path.LastIndexOf('.') + 1);
                shape[path] = ComparedValues.Contains(leaf) ? type + "=" + t.ToString(Newtonsoft.Json.Formatting.None) : type;
                break;
        }
    }

    /// <summary>Top-level kind plus, for realtimeInput, its member: "setup", "realtimeInput.audio", "toolResponse".</summary>
    public static string Kind(JObject message)
    {
        var top = message.Properties().FirstOrDefault();
        if (top == null) return "";
        if (top.Name == "realtimeInput" && top.Value is JObject ri && ri.Properties().FirstOrDefault() is JProperty member)
            return "realtimeInput." + member.Name;
        return top.Name;
    }

    /// <summary>Differences between a recorded client frame and ours; empty when they match.</summary>
    public static List<string> Compare(string recordedJson, string actualJson)
    {
        var diffs = new List<string>();
        JObject expected, actual;
        try { expected = JObject.Parse(recordedJson); }
        catch (Exception e) { diffs.Add("recorded frame is not a JSON object: " + e.Message); return diffs; }
        try { actual = JObject.Parse(actualJson); }
        catch (Exception e) { diffs.Add("client frame is not a JSON object: " + e.Message); return diffs; }

        var kind = Kind(expected);
        if (kind != Kind(actual)) { diffs.Add($"message kind {Kind(actual)}, recorded {kind}"); return diffs; }
        var want = Shape(expected);
        var got = Shape(actual);
        foreach (var (path, type) in want)
        {
            if (!got.TryGetValue(path, out var ours)) diffs.Add($"missing {path} ({type})");
            else if (ours != type) diffs.Add($"{path}: {ours}, recorded {type}");
        }
        if (kind != "setup")
            foreach (var path in got.Keys)
                if (!want.ContainsKey(path)) diffs.Add($"extra {path}");
        return diffs;
    }
}
