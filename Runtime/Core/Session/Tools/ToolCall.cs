using Newtonsoft.Json.Linq;
using Parley.Session;

namespace Parley.Session.Tools
{
    /// <summary>A call the model made: its id, the tool and the arguments as JSON text.</summary>
    public sealed class ToolCall
    {
        public string CallId;
        public string Name;
        public string ArgumentsJson;

        /// <summary>The arguments as an object (empty when the model sent none or not an object).</summary>
        public JObject Arguments()
        {
            if (string.IsNullOrWhiteSpace(ArgumentsJson)) return new JObject();
            try { return JToken.Parse(ArgumentsJson) as JObject ?? new JObject(); }
            catch (Newtonsoft.Json.JsonException) { throw new ToolArgumentException("Arguments are not valid JSON."); }
        }
    }

    /// <summary>The model's arguments do not fit the tool's parameters; reported to the model as an error result.</summary>
    public sealed class ToolArgumentException : System.Exception
    {
        public ToolArgumentException(string message) : base(message) { }
    }

    /// <summary>What a tool call produced, as sent back to the model.</summary>
    public sealed class ToolResult
    {
        public string CallId;
        public string Name;
        public string ResultJson;
        public ToolOutcome Outcome;
        public double DurationMs;
    }
}
