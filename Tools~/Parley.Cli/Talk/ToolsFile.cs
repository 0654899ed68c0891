using System;
using System.IO;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Parley.Session.Tools;

namespace Parley.Cli.Talk
{
    /// <summary>`--tools FILE`: a JSON array of {"name","description","parameters"}; each tool answers {"ok": true}.</summary>
    static class ToolsFile
    {
        public static int Load(string path, ToolRegistry registry)
        {
            JToken root;
            try { root = JToken.Parse(File.ReadAllText(path)); }
            catch (JsonException e) { throw new CliError("The tools file '" + path + "' is not valid JSON: " + e.Message, ExitCodes.BadInput); }
            catch (IOException e) { throw new CliError("Cannot read the tools file '" + path + "': " + e.Message, ExitCodes.BadInput); }
            if (!(root is JArray list)) throw new CliError("The tools file '" + path + "' must hold a JSON array of {\"name\",\"description\",\"parameters\"}.", ExitCodes.BadInput);
            var n = 0;
            foreach (var item in list)
            {
                var name = (string)item["name"];
                var parameters = item["parameters"] ?? new JObject { ["type"] = "object", ["properties"] = new JObject() };
                try
                {
                    registry.Register(name, (string)item["description"] ?? "", parameters.ToString(Formatting.None), _ => "{\"ok\":true}")
                        .RunOnMainThread = false;
                }
                catch (ArgumentException e) { throw new CliError("Tool #" + (n + 1) + " in '" + path + "': " + e.Message, ExitCodes.BadInput); }
                n++;
            }
            return n;
        }
    }
}
