using System.Collections.Generic;

namespace Parley.Providers.Llm
{
    /// <summary>A function call the model asked for, assembled from streamed deltas.</summary>
    public sealed class ChatToolCall
    {
        public string Id;
        public string Name;
        public string ArgumentsJson;
    }

    /// <summary>One chat-completions message (system, user, assistant with optional tool calls, tool result).</summary>
    public sealed class ChatMessage
    {
        public string Role;
        public string Content;
        public string ToolCallId;
        public readonly List<ChatToolCall> ToolCalls = new List<ChatToolCall>();

        public ChatMessage() { }
        public ChatMessage(string role, string content)
        {
            Role = role;
            Content = content;
        }

        public static ChatMessage System(string text) => new ChatMessage("system", text);
        public static ChatMessage User(string text) => new ChatMessage("user", text);
        public static ChatMessage Assistant(string text) => new ChatMessage("assistant", text);
        public static ChatMessage Tool(string callId, string resultJson) => new ChatMessage("tool", resultJson) { ToolCallId = callId };
    }

    /// <summary>What one streamed completion produced.</summary>
    public sealed class ChatCompletionResult
    {
        public string Text;
        public readonly List<ChatToolCall> ToolCalls = new List<ChatToolCall>();
        /// <summary>stop, length, tool_calls, content_filter... (null if the server sent none but ended with [DONE]).</summary>
        public string FinishReason;
        public TokenUsage Usage;
        public bool HasUsage;
        /// <summary>Request sent → first content or tool-call delta, in milliseconds (-1 if none arrived).</summary>
        public double FirstTokenMs = -1;
    }
}
