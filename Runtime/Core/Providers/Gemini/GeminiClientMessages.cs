using System;
using System.Globalization;
using System.IO;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Parley.Audio;

namespace Parley.Providers.Gemini
{
    /// <summary>
    /// Builds Gemini Live client messages (proto3 JSON of <c>BidiGenerateContentClientMessage</c>). Audio frames are
    /// written straight into a caller's byte buffer; the rest are rare and built with Json.NET.
    /// </summary>
    public static class GeminiClientMessages
    {
        public const int InputSampleRate = 16000;
        public const string InputMimeType = "audio/pcm;rate=16000";

        static readonly byte[] AudioPrefix = Encoding.ASCII.GetBytes("{\"realtimeInput\":{\"audio\":{\"data\":\"");
        static readonly byte[] AudioSuffix = Encoding.ASCII.GetBytes("\",\"mimeType\":\"" + InputMimeType + "\"}}}");

        public static readonly byte[] ActivityStart = Encoding.ASCII.GetBytes("{\"realtimeInput\":{\"activityStart\":{}}}");
        public static readonly byte[] ActivityEnd = Encoding.ASCII.GetBytes("{\"realtimeInput\":{\"activityEnd\":{}}}");
        public static readonly byte[] AudioStreamEnd = Encoding.ASCII.GetBytes("{\"realtimeInput\":{\"audioStreamEnd\":true}}");

        /// <summary>Bytes <see cref="WriteAudio"/> needs for <paramref name="samples"/> samples.</summary>
        public static int AudioMessageLength(int samples) => AudioPrefix.Length + Pcm16Base64.EncodedLength(samples) + AudioSuffix.Length;

        /// <summary>Writes <c>{"realtimeInput":{"audio":{"data":"…","mimeType":"audio/pcm;rate=16000"}}}</c>; returns its length.</summary>
        public static int WriteAudio(ReadOnlySpan<short> pcm, Span<byte> destination)
        {
            var needed = AudioMessageLength(pcm.Length);
            if (destination.Length < needed) throw new ArgumentException("Destination holds " + destination.Length + " bytes; " + needed + " needed.", nameof(destination));
            AudioPrefix.CopyTo(destination);
            var n = AudioPrefix.Length;
            n += Pcm16Base64.Encode(pcm, destination.Slice(n));
            AudioSuffix.CopyTo(destination.Slice(n));
            return n + AudioSuffix.Length;
        }

        public static string ModelName(string model) =>
            model.StartsWith("models/", StringComparison.Ordinal) || model.StartsWith("projects/", StringComparison.Ordinal) ? model : "models/" + model;

        /// <summary>The one <c>setup</c> message of a connection; <paramref name="resumeHandle"/> resumes a session.</summary>
        public static string Setup(SessionConfig config, GeminiLiveOptions options, string resumeHandle)
        {
            var sb = new StringBuilder(512);
            using (var w = new JsonTextWriter(new StringWriter(sb, CultureInfo.InvariantCulture)))
            {
                w.WriteStartObject();
                w.WritePropertyName("setup");
                w.WriteStartObject();
                w.WritePropertyName("model");
                w.WriteValue(ModelName(string.IsNullOrEmpty(config.Model) ? options.DefaultModel : config.Model));

                w.WritePropertyName("generationConfig");
                w.WriteStartObject();
                w.WritePropertyName("responseModalities");
                w.WriteStartArray();
                w.WriteValue("AUDIO");
                w.WriteEndArray();
                if (!string.IsNullOrEmpty(config.Voice) || !string.IsNullOrEmpty(config.Language))
                {
                    w.WritePropertyName("speechConfig");
                    w.WriteStartObject();
                    if (!string.IsNullOrEmpty(config.Voice))
                    {
                        w.WritePropertyName("voiceConfig");
                        w.WriteStartObject();
                        w.WritePropertyName("prebuiltVoiceConfig");
                        w.WriteStartObject();
                        w.WritePropertyName("voiceName");
                        w.WriteValue(config.Voice);
                        w.WriteEndObject();
                        w.WriteEndObject();
                    }
                    if (!string.IsNullOrEmpty(config.Language))
                    {
                        w.WritePropertyName("languageCode");
                        w.WriteValue(config.Language);
                    }
                    w.WriteEndObject();
                }
                if (config.MaxOutputTokens > 0)
                {
                    w.WritePropertyName("maxOutputTokens");
                    w.WriteValue(config.MaxOutputTokens);
                }
                w.WriteEndObject();

                if (!string.IsNullOrEmpty(config.Instructions))
                {
                    w.WritePropertyName("systemInstruction");
                    w.WriteStartObject();
                    w.WritePropertyName("parts");
                    w.WriteStartArray();
                    WriteTextPart(w, config.Instructions);
                    w.WriteEndArray();
                    w.WritePropertyName("role");
                    w.WriteValue("user");
                    w.WriteEndObject();
                }

                if (config.Tools.Count > 0)
                {
                    w.WritePropertyName("tools");
                    w.WriteStartArray();
                    w.WriteStartObject();
                    w.WritePropertyName("functionDeclarations");
                    w.WriteStartArray();
                    foreach (var tool in config.Tools)
                    {
                        w.WriteStartObject();
                        w.WritePropertyName("name");
                        w.WriteValue(tool.Name);
                        if (!string.IsNullOrEmpty(tool.Description))
                        {
                            w.WritePropertyName("description");
                            w.WriteValue(tool.Description);
                        }
                        w.WritePropertyName("parameters");
                        ToGeminiSchema(ParseSchema(tool)).WriteTo(w);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                    w.WriteEndArray();
                }

                WriteRealtimeInputConfig(w, config.TurnDetection ?? new TurnDetection());

                if (config.InputTranscription)
                {
                    w.WritePropertyName("inputAudioTranscription");
                    w.WriteStartObject();
                    w.WriteEndObject();
                }
                if (options.OutputTranscription)
                {
                    w.WritePropertyName("outputAudioTranscription");
                    w.WriteStartObject();
                    w.WriteEndObject();
                }

                // Always ask for resumption handles: they are what lets a goAway or a dropped socket be survived.
                w.WritePropertyName("sessionResumption");
                w.WriteStartObject();
                if (!string.IsNullOrEmpty(resumeHandle))
                {
                    w.WritePropertyName("handle");
                    w.WriteValue(resumeHandle);
                }
                w.WriteEndObject();

                if (options.ContextWindowCompression)
                {
                    w.WritePropertyName("contextWindowCompression");
                    w.WriteStartObject();
                    if (options.CompressionTriggerTokens > 0)
                    {
                        w.WritePropertyName("triggerTokens"); // int64 → JSON string in proto3 JSON
                        w.WriteValue(options.CompressionTriggerTokens.ToString(CultureInfo.InvariantCulture));
                    }
                    w.WritePropertyName("slidingWindow");
                    w.WriteStartObject();
                    if (options.CompressionTargetTokens > 0)
                    {
                        w.WritePropertyName("targetTokens");
                        w.WriteValue(options.CompressionTargetTokens.ToString(CultureInfo.InvariantCulture));
                    }
                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }
            return sb.ToString();
        }

        static void WriteRealtimeInputConfig(JsonTextWriter w, TurnDetection td)
        {
            w.WritePropertyName("realtimeInputConfig");
            w.WriteStartObject();
            w.WritePropertyName("automaticActivityDetection");
            w.WriteStartObject();
            w.WritePropertyName("disabled");
            w.WriteValue(td.Mode == TurnDetectionMode.Manual);
            if (td.Mode != TurnDetectionMode.Manual)
            {
                var start = Sensitivity("START", td.StartSensitivity);
                if (start != null)
                {
                    w.WritePropertyName("startOfSpeechSensitivity");
                    w.WriteValue(start);
                }
                var end = Sensitivity("END", td.EndSensitivity);
                if (end != null)
                {
                    w.WritePropertyName("endOfSpeechSensitivity");
                    w.WriteValue(end);
                }
                if (td.PrefixPaddingMs > 0)
                {
                    w.WritePropertyName("prefixPaddingMs");
                    w.WriteValue(td.PrefixPaddingMs);
                }
                if (td.SilenceDurationMs > 0)
                {
                    w.WritePropertyName("silenceDurationMs");
                    w.WriteValue(td.SilenceDurationMs);
                }
            }
            w.WriteEndObject();
            w.WritePropertyName("activityHandling");
            w.WriteValue(td.InterruptResponse ? "START_OF_ACTIVITY_INTERRUPTS" : "NO_INTERRUPTION");
            w.WriteEndObject();
        }

        /// <summary>"high"/"low" (or the full enum name) → START_SENSITIVITY_HIGH etc.; null keeps the server default.</summary>
        public static string Sensitivity(string edge, string value)
        {
            if (string.IsNullOrEmpty(value)) return null;
            var v = value.Trim().ToUpperInvariant();
            var prefix = edge + "_SENSITIVITY_";
            if (v.StartsWith(prefix, StringComparison.Ordinal)) v = v.Substring(prefix.Length);
            if (v != "HIGH" && v != "LOW")
                throw new ProviderException(ProviderErrorKind.InvalidRequest, "invalid_sensitivity",
                    edge.ToLowerInvariant() + " sensitivity must be \"high\" or \"low\", not \"" + value + "\".");
            return prefix + v;
        }

        static JToken ParseSchema(ToolDeclaration tool)
        {
            try
            {
                var schema = JToken.Parse(string.IsNullOrEmpty(tool.ParametersJsonSchema) ? "{\"type\":\"object\",\"properties\":{}}" : tool.ParametersJsonSchema);
                if (schema.Type != JTokenType.Object) throw new JsonReaderException("not an object");
                return schema;
            }
            catch (JsonReaderException e)
            {
                throw new ProviderException(ProviderErrorKind.InvalidRequest, "invalid_tool_schema",
                    "Tool \"" + tool.Name + "\" has parameters that are not a JSON object: " + e.Message);
            }
        }

        /// <summary>Gemini's Schema uses upper-case type names (OBJECT, STRING...) where JSON Schema has lower-case.</summary>
        static JToken ToGeminiSchema(JToken token)
        {
            if (token is JObject o)
            {
                foreach (var p in o.Properties())
                {
                    if (p.Name == "type" && p.Value.Type == JTokenType.String) p.Value = ((string)p.Value).ToUpperInvariant();
                    else if (p.Name != "enum" && p.Name != "required") ToGeminiSchema(p.Value);
                }
            }
            else if (token is JArray a)
            {
                foreach (var item in a) ToGeminiSchema(item);
            }
            return token;
        }

        static void WriteTextPart(JsonTextWriter w, string text)
        {
            w.WriteStartObject();
            w.WritePropertyName("text");
            w.WriteValue(text);
            w.WriteEndObject();
        }

        /// <summary><c>{"realtimeInput":{"text":"…"}}</c>: mid-conversation text (what 3.1 flash live expects, not clientContent).</summary>
        public static string Text(string text)
        {
            var o = new JObject { ["realtimeInput"] = new JObject { ["text"] = text } };
            return o.ToString(Formatting.None);
        }

        /// <summary>
        /// <c>{"clientContent":{"turns":[{"role":"user","parts":[{"text":…}]}],"turnComplete":false}}</c>: game context
        /// appended to the conversation without asking for a reply (clientContent has only user and model roles).
        /// </summary>
        public static string Context(string text)
        {
            var o = new JObject
            {
                ["clientContent"] = new JObject
                {
                    ["turns"] = new JArray(new JObject { ["role"] = "user", ["parts"] = new JArray(new JObject { ["text"] = text }) }),
                    ["turnComplete"] = false,
                },
            };
            return o.ToString(Formatting.None);
        }

        /// <summary>
        /// <c>clientContent</c> turns that seed a new session with what the player heard before a reconnect without a
        /// handle. Game context (System items) goes as user turns. turnComplete is true only when the last item other
        /// than context is the player's, so the model answers it.
        /// </summary>
        public static string History(System.Collections.Generic.List<HistoryItem> history)
        {
            var turns = new JArray();
            HistoryItem last = null;
            foreach (var item in history)
            {
                if (string.IsNullOrEmpty(item.Text)) continue;
                if (item.Role != HistoryRole.System) last = item;
                var role = item.Role == HistoryRole.Agent || item.Role == HistoryRole.ToolCall ? "model" : "user";
                turns.Add(new JObject
                {
                    ["parts"] = new JArray(new JObject { ["text"] = item.Text }),
                    ["role"] = role,
                });
            }
            var o = new JObject
            {
                ["clientContent"] = new JObject
                {
                    ["turns"] = turns,
                    ["turnComplete"] = last != null && last.Role == HistoryRole.User,
                },
            };
            return o.ToString(Formatting.None);
        }

        /// <summary>
        /// <c>toolResponse</c> with one function response. The response must be a JSON object (a protobuf Struct);
        /// any other JSON value, or text that is not JSON, is wrapped as <c>{"result": …}</c>.
        /// </summary>
        public static string ToolResponse(string callId, string name, string resultJson)
        {
            JToken result;
            try { result = string.IsNullOrEmpty(resultJson) ? new JObject() : JToken.Parse(resultJson); }
            catch (JsonReaderException) { result = new JValue(resultJson); }
            if (result.Type != JTokenType.Object) result = new JObject { ["result"] = result };
            var response = new JObject { ["id"] = callId, ["name"] = name, ["response"] = result };
            var o = new JObject { ["toolResponse"] = new JObject { ["functionResponses"] = new JArray(response) } };
            return o.ToString(Formatting.None);
        }
    }
}
