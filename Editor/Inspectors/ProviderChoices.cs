using System;
using System.Collections.Generic;

namespace Parley.Editor.Inspectors
{
    /// <summary>
    /// The models and voices an inspector offers for a provider. Suggestions only: the field stays free text, since
    /// vendors add models faster than packages ship. Sources: OpenAI's Realtime GA schema (model and voice enums, in
    /// Tests/Fixtures~/protocols/openai-realtime), Gemini Live's recorded setups and documented prebuilt voices; Riva:
    /// the LLM names of the Self-hosted sample's three servers (Samples~/SelfHosted/README.md: NIM, vLLM, Ollama) and the
    /// Magpie TTS voices NVIDIA documents (docs.nvidia.com/nim/speech/latest/tts/voices.html, naming
    /// Magpie-Multilingual.{LOCALE}.{Speaker}[.{Emotion}]; "Magpie-Multilingual.EN-US.Aria" also in the riva_tts.proto notes).
    /// </summary>
    public sealed class ProviderChoices
    {
        public readonly string[] Models;
        public readonly string[] Voices;
        /// <summary>What the inspector says about these fields for this provider, or null.</summary>
        public readonly string Note;

        ProviderChoices(string[] models, string[] voices, string note) { Models = models; Voices = voices; Note = note; }

        static readonly Dictionary<string, ProviderChoices> s_ByProvider = new Dictionary<string, ProviderChoices>(StringComparer.OrdinalIgnoreCase)
        {
            ["openai"] = new ProviderChoices(
                new[] { "gpt-realtime", "gpt-realtime-mini", "gpt-4o-realtime-preview", "gpt-4o-mini-realtime-preview" },
                new[] { "marin", "cedar", "alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse" },
                "The voice cannot change once the model has spoken in a session."),
            ["gemini"] = new ProviderChoices(
                new[] { "gemini-3.1-flash-live-preview", "gemini-2.5-flash-native-audio-preview-09-2025", "gemini-live-2.5-flash-preview", "gemini-2.0-flash-live-preview-04-09" },
                new[] { "Puck", "Charon", "Kore", "Fenrir", "Aoede", "Leda", "Orus", "Zephyr" },
                null),
            ["riva"] = new ProviderChoices(
                new[] { "meta/llama-3.1-8b-instruct", "meta-llama/Llama-3.1-8B-Instruct", "llama3.1:8b" },
                new[] { "Magpie-Multilingual.EN-US.Aria", "Magpie-Multilingual.EN-US.Aria.Happy", "Magpie-Multilingual.EN-US.Aria.Angry", "Magpie-Multilingual.FR-FR.Pascal.Calm" },
                "Model is the LLM's name as its server lists it (NIM, vLLM and Ollama spell Llama 3.1 differently); Voice is a TTS voice, " +
                "Magpie-Multilingual.{LOCALE}.{Speaker}[.{Emotion}]: the TTS server's GET /v1/audio/list_voices lists what it has."),
            ["minicpmo"] = new ProviderChoices(new string[0], new string[0],
                "A MiniCPM-o server runs one model; its voice is the server's reference voice. Model and voice are not sent."),
        };

        /// <summary>The choices for a provider ("openai", "gemini", "riva", "minicpmo"); an unknown provider gets none (free text only).</summary>
        public static ProviderChoices For(string provider) =>
            provider != null && s_ByProvider.TryGetValue(provider, out var c) ? c : new ProviderChoices(new string[0], new string[0], null);

        /// <summary>
        /// The entries of the suggestion pop-up next to a free-text field and the selected one: "(default)" for an
        /// empty value, the suggestions, and the current value as "(custom) x" when it is none of them.
        /// </summary>
        public static string[] PopupEntries(string[] suggestions, string current, out int selected)
        {
            var entries = new List<string> { "(default)" };
            entries.AddRange(suggestions);
            var value = (current ?? string.Empty).Trim();
            if (value.Length == 0) { selected = 0; return entries.ToArray(); }
            var i = Array.IndexOf(suggestions, value);
            if (i >= 0) { selected = i + 1; return entries.ToArray(); }
            entries.Add("(custom) " + value);
            selected = entries.Count - 1;
            return entries.ToArray();
        }

        /// <summary>The field value for a pop-up pick: "" for "(default)", the suggestion, or <paramref name="current"/> for the custom entry.</summary>
        public static string ValueOf(string[] suggestions, string current, int picked)
        {
            if (picked <= 0) return string.Empty;
            return picked <= suggestions.Length ? suggestions[picked - 1] : current ?? string.Empty;
        }
    }
}
