using System;
using System.Collections.Generic;

namespace Parley.Fuzz
{
    /// <summary>Every decoder of server input, by name.</summary>
    public static class FuzzTargets
    {
        public static readonly string[] Names =
        {
            "pcm16-base64", "wav-chunk", "gemini-message", "openai-audio-delta", "sse-parser", "llm-stream", "openai-events", "nim-events", "gemini-events",
        };

        public static FuzzTarget Create(string name)
        {
            switch (name)
            {
                case "pcm16-base64": return new Pcm16Base64Target();
                case "wav-chunk": return new WavChunkTarget();
                case "gemini-message": return new GeminiMessageTarget();
                case "openai-audio-delta": return new OpenAIAudioDeltaTarget();
                case "sse-parser": return new SseParserTarget();
                case "llm-stream": return new LlmStreamTarget();
                case "openai-events": return new OpenAIEventsTarget();
                case "nim-events": return new NimEventsTarget();
                case "gemini-events": return new GeminiEventsTarget();
                default: throw new ArgumentException("Unknown target '" + name + "'; targets: " + string.Join(", ", Names) + ".", nameof(name));
            }
        }
    }
}
