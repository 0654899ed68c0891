using System.Collections.Generic;

namespace Parley.Providers
{
    public enum TurnDetectionMode
    {
        /// <summary>The server decides when the player stopped talking, from audio energy/VAD.</summary>
        ServerVad,
        /// <summary>The server decides from meaning as well (OpenAI semantic_vad).</summary>
        SemanticVad,
        /// <summary>Push-to-talk: the game marks the start and end of each player turn.</summary>
        Manual,
    }

    public enum NoiseReduction { None, NearField, FarField }

    /// <summary>Turn detection and its tunables; each provider maps what it has and ignores the rest.</summary>
    public sealed class TurnDetection
    {
        public TurnDetectionMode Mode = TurnDetectionMode.ServerVad;
        /// <summary>Server VAD activation threshold 0..1 (OpenAI default 0.5).</summary>
        public float Threshold = 0.5f;
        public int PrefixPaddingMs = 300;
        public int SilenceDurationMs = 500;
        /// <summary>Semantic VAD eagerness: auto, low, medium, high.</summary>
        public string Eagerness = "auto";
        /// <summary>The server starts a response by itself when the player stops.</summary>
        public bool CreateResponse = true;
        /// <summary>Player speech interrupts the agent's reply (barge-in).</summary>
        public bool InterruptResponse = true;
        /// <summary>Gemini start/end-of-speech sensitivity ("high"/"low"; null = server default).</summary>
        public string StartSensitivity;
        public string EndSensitivity;
    }

    /// <summary>A function the model may call: JSON-Schema parameters as JSON text.</summary>
    public sealed class ToolDeclaration
    {
        public string Name;
        public string Description;
        public string ParametersJsonSchema = "{\"type\":\"object\",\"properties\":{}}";

        public ToolDeclaration() { }
        public ToolDeclaration(string name, string description, string parametersJsonSchema)
        {
            Name = name;
            Description = description;
            ParametersJsonSchema = parametersJsonSchema;
        }
    }

    public enum HistoryRole { User, Agent, ToolCall, ToolResult, System }

    /// <summary>One conversation item as the player experienced it; replayed after a reconnect without resumption.</summary>
    public sealed class HistoryItem
    {
        public HistoryRole Role;
        public string Text;
        public string CallId;
        public string ToolName;

        public HistoryItem() { }
        public HistoryItem(HistoryRole role, string text)
        {
            Role = role;
            Text = text;
        }
    }

    /// <summary>Everything a provider needs to open a conversation. Holds no secrets (see <see cref="Auth.ICredentialSource"/>).</summary>
    public sealed class SessionConfig
    {
        public string Model;
        public string Voice;
        public string Instructions;
        public TurnDetection TurnDetection = new TurnDetection();
        public bool InputTranscription = true;
        public string TranscriptionModel;
        public string Language;
        public NoiseReduction NoiseReduction = NoiseReduction.None;
        public readonly List<ToolDeclaration> Tools = new List<ToolDeclaration>();
        /// <summary>Cap on output tokens per response; 0 = provider default (unlimited where allowed).</summary>
        public int MaxOutputTokens;
        /// <summary>Resume a previous session (Gemini session resumption handle); null for a new one.</summary>
        public string ResumeHandle;
        /// <summary>Context to restore on a provider that cannot resume: what the player heard, oldest first.</summary>
        public readonly List<HistoryItem> History = new List<HistoryItem>();
    }
}
