using System;
using System.Globalization;
using System.IO;
using System.Text;
using Newtonsoft.Json;

namespace Parley.Providers.OpenAI
{
    /// <summary>
    /// Builds GA client events. Control events are rare and go through Json.NET; the per-chunk audio append
    /// is built by <see cref="AppendEventWriter"/> into a reused buffer.
    /// </summary>
    public static class OpenAIClientEvents
    {
        /// <summary>The GA `session.update` with the given wire formats (the provider passes the ones it was built with).</summary>
        public static string SessionUpdate(SessionConfig config, OpenAIRealtimeOptions options, OpenAIAudioEncoding input, OpenAIAudioEncoding output)
        {
            return Write(w =>
            {
                w.WritePropertyName("type"); w.WriteValue("session.update");
                w.WritePropertyName("session");
                w.WriteStartObject();
                w.WritePropertyName("type"); w.WriteValue("realtime");
                w.WritePropertyName("output_modalities");
                w.WriteStartArray(); w.WriteValue(options.TextOnly ? "text" : "audio"); w.WriteEndArray();
                if (config.Instructions != null) { w.WritePropertyName("instructions"); w.WriteValue(config.Instructions); }
                w.WritePropertyName("audio");
                w.WriteStartObject();
                w.WritePropertyName("input");
                w.WriteStartObject();
                w.WritePropertyName("format"); WriteFormat(w, input);
                // Off is expressed by omission: the GA client types have no null here (both default to off).
                if (config.InputTranscription)
                {
                    w.WritePropertyName("transcription");
                    w.WriteStartObject();
                    w.WritePropertyName("model"); w.WriteValue(string.IsNullOrEmpty(config.TranscriptionModel) ? "gpt-4o-mini-transcribe" : config.TranscriptionModel);
                    if (!string.IsNullOrEmpty(config.Language)) { w.WritePropertyName("language"); w.WriteValue(config.Language); }
                    w.WriteEndObject();
                }
                if (config.NoiseReduction != NoiseReduction.None)
                {
                    w.WritePropertyName("noise_reduction");
                    w.WriteStartObject();
                    w.WritePropertyName("type"); w.WriteValue(config.NoiseReduction == NoiseReduction.NearField ? "near_field" : "far_field");
                    w.WriteEndObject();
                }
                w.WritePropertyName("turn_detection"); WriteTurnDetection(w, config.TurnDetection ?? new TurnDetection());
                w.WriteEndObject();
                if (!options.TextOnly)
                {
                    w.WritePropertyName("output");
                    w.WriteStartObject();
                    w.WritePropertyName("format"); WriteFormat(w, output);
                    if (!string.IsNullOrEmpty(config.Voice)) { w.WritePropertyName("voice"); w.WriteValue(config.Voice); }
                    if (options.Speed > 0) { w.WritePropertyName("speed"); w.WriteValue(options.Speed); }
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WritePropertyName("tools");
                w.WriteStartArray();
                foreach (var t in config.Tools)
                {
                    w.WriteStartObject();
                    w.WritePropertyName("type"); w.WriteValue("function");
                    w.WritePropertyName("name"); w.WriteValue(t.Name);
                    if (!string.IsNullOrEmpty(t.Description)) { w.WritePropertyName("description"); w.WriteValue(t.Description); }
                    w.WritePropertyName("parameters"); w.WriteRawValue(string.IsNullOrEmpty(t.ParametersJsonSchema) ? "{\"type\":\"object\",\"properties\":{}}" : t.ParametersJsonSchema);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                if (config.Tools.Count > 0) { w.WritePropertyName("tool_choice"); w.WriteValue("auto"); }
                w.WritePropertyName("max_output_tokens");
                if (config.MaxOutputTokens > 0) w.WriteValue(Math.Min(config.MaxOutputTokens, 4096)); else w.WriteValue("inf");
                w.WriteEndObject();
            });
        }

        /// <summary>The GA format type: `audio/pcm`, `audio/pcmu` or `audio/pcma`.</summary>
        public static string FormatType(OpenAIAudioEncoding encoding) =>
            encoding == OpenAIAudioEncoding.Pcmu ? "audio/pcmu" : encoding == OpenAIAudioEncoding.Pcma ? "audio/pcma" : "audio/pcm";

        static void WriteFormat(JsonWriter w, OpenAIAudioEncoding encoding)
        {
            w.WriteStartObject();
            w.WritePropertyName("type"); w.WriteValue(FormatType(encoding));
            // PCM names its (only) rate; the G.711 formats have no rate field (8 kHz is implied).
            if (encoding == OpenAIAudioEncoding.Pcm24k) { w.WritePropertyName("rate"); w.WriteValue(24000); }
            w.WriteEndObject();
        }

        static void WriteTurnDetection(JsonWriter w, TurnDetection td)
        {
            if (td.Mode == TurnDetectionMode.Manual) { w.WriteNull(); return; }
            w.WriteStartObject();
            if (td.Mode == TurnDetectionMode.SemanticVad)
            {
                w.WritePropertyName("type"); w.WriteValue("semantic_vad");
                w.WritePropertyName("eagerness"); w.WriteValue(string.IsNullOrEmpty(td.Eagerness) ? "auto" : td.Eagerness);
            }
            else
            {
                w.WritePropertyName("type"); w.WriteValue("server_vad");
                w.WritePropertyName("threshold"); w.WriteValue(Math.Max(0f, Math.Min(1f, td.Threshold)));
                w.WritePropertyName("prefix_padding_ms"); w.WriteValue(td.PrefixPaddingMs);
                w.WritePropertyName("silence_duration_ms"); w.WriteValue(td.SilenceDurationMs);
            }
            w.WritePropertyName("create_response"); w.WriteValue(td.CreateResponse);
            w.WritePropertyName("interrupt_response"); w.WriteValue(td.InterruptResponse);
            w.WriteEndObject();
        }

        public static string Simple(string type) => "{\"type\":\"" + type + "\"}";

        public static string ResponseCancel(string responseId, string eventId) => Write(w =>
        {
            w.WritePropertyName("type"); w.WriteValue("response.cancel");
            w.WritePropertyName("event_id"); w.WriteValue(eventId);
            if (responseId != null) { w.WritePropertyName("response_id"); w.WriteValue(responseId); }
        });

        public static string Truncate(string itemId, int audioEndMs, string eventId) => Write(w =>
        {
            w.WritePropertyName("type"); w.WriteValue("conversation.item.truncate");
            w.WritePropertyName("event_id"); w.WriteValue(eventId);
            w.WritePropertyName("item_id"); w.WriteValue(itemId);
            w.WritePropertyName("content_index"); w.WriteValue(0);
            w.WritePropertyName("audio_end_ms"); w.WriteValue(audioEndMs);
        });

        public static string FunctionCallOutput(string callId, string output) => Write(w =>
        {
            w.WritePropertyName("type"); w.WriteValue("conversation.item.create");
            w.WritePropertyName("item");
            w.WriteStartObject();
            w.WritePropertyName("type"); w.WriteValue("function_call_output");
            w.WritePropertyName("call_id"); w.WriteValue(callId);
            w.WritePropertyName("output"); w.WriteValue(output ?? "");
            w.WriteEndObject();
        });

        public static string UserText(string text) => Message("user", "input_text", text);

        /// <summary>Game context: a system message item (the GA schema's RealtimeConversationItemSystemMessage).</summary>
        public static string SystemText(string text) => Message("system", "input_text", text);

        static string Message(string role, string contentType, string text) => Write(w =>
        {
            w.WritePropertyName("type"); w.WriteValue("conversation.item.create");
            w.WritePropertyName("item");
            w.WriteStartObject();
            w.WritePropertyName("type"); w.WriteValue("message");
            w.WritePropertyName("role"); w.WriteValue(role);
            w.WritePropertyName("content");
            w.WriteStartArray();
            w.WriteStartObject();
            w.WritePropertyName("type"); w.WriteValue(contentType);
            w.WritePropertyName("text"); w.WriteValue(text ?? "");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        });

        /// <summary>
        /// One history item replayed on a new connection (OpenAI has no resumption): a text message, a function
        /// call or its output. Agent turns go back as `output_text` (assistant audio cannot be replayed). Null
        /// for items that cannot be expressed (no text, or a tool item without its call id or name).
        /// </summary>
        public static string HistoryItem(HistoryItem item)
        {
            if (item == null || item.Text == null) return null;
            switch (item.Role)
            {
                case HistoryRole.User: return item.Text.Length == 0 ? null : Message("user", "input_text", item.Text);
                case HistoryRole.System: return item.Text.Length == 0 ? null : SystemText(item.Text);
                case HistoryRole.Agent: return item.Text.Length == 0 ? null : Message("assistant", "output_text", item.Text);
                case HistoryRole.ToolResult: return string.IsNullOrEmpty(item.CallId) ? null : FunctionCallOutput(item.CallId, item.Text);
                case HistoryRole.ToolCall:
                    if (string.IsNullOrEmpty(item.ToolName)) return null;
                    return Write(w =>
                    {
                        w.WritePropertyName("type"); w.WriteValue("conversation.item.create");
                        w.WritePropertyName("item");
                        w.WriteStartObject();
                        w.WritePropertyName("type"); w.WriteValue("function_call");
                        if (!string.IsNullOrEmpty(item.CallId)) { w.WritePropertyName("call_id"); w.WriteValue(item.CallId); }
                        w.WritePropertyName("name"); w.WriteValue(item.ToolName);
                        w.WritePropertyName("arguments"); w.WriteValue(item.Text.Length == 0 ? "{}" : item.Text);
                        w.WriteEndObject();
                    });
                default: return null;
            }
        }

        static string Write(Action<JsonWriter> body)
        {
            var sw = new StringWriter(CultureInfo.InvariantCulture);
            using (var w = new JsonTextWriter(sw))
            {
                w.WriteStartObject();
                body(w);
                w.WriteEndObject();
            }
            return sw.ToString();
        }
    }

    /// <summary>
    /// `{"type":"input_audio_buffer.append","audio":"…"}` built into one reused byte buffer: the base64 is
    /// written in place, so a steady stream of equal-sized chunks allocates nothing here. G.711 input is
    /// encoded into a reused byte buffer first.
    /// </summary>
    public sealed class AppendEventWriter
    {
        static readonly byte[] Prefix = Encoding.ASCII.GetBytes("{\"type\":\"input_audio_buffer.append\",\"audio\":\"");
        static readonly byte[] Suffix = Encoding.ASCII.GetBytes("\"}");
        byte[] _buffer = new byte[Prefix.Length + Suffix.Length + 8192];
        byte[] _codes;

        /// <summary>The event for <paramref name="pcm"/> (mono PCM16 at the encoding's rate) in <paramref name="encoding"/>.</summary>
        public ReadOnlyMemory<byte> Build(ReadOnlySpan<short> pcm, OpenAIAudioEncoding encoding)
        {
            if (encoding == OpenAIAudioEncoding.Pcm24k) return Build(pcm);
            // Sized on first use (a second of 8 kHz audio); grows only for a larger chunk.
            if (_codes == null || _codes.Length < pcm.Length) _codes = new byte[Math.Max(pcm.Length, 8000)];
            var codes = new Span<byte>(_codes, 0, pcm.Length);
            if (encoding == OpenAIAudioEncoding.Pcmu) Parley.Audio.G711.MuLawEncode(pcm, codes);
            else if (encoding == OpenAIAudioEncoding.Pcma) Parley.Audio.G711.ALawEncode(pcm, codes);
            else throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown OpenAI audio encoding.");
            return BuildBytes(codes);
        }

        public ReadOnlyMemory<byte> Build(ReadOnlySpan<short> pcm)
        {
            var body = Parley.Audio.Pcm16Base64.EncodedLength(pcm.Length);
            Ensure(body);
            var n = Parley.Audio.Pcm16Base64.Encode(pcm, new Span<byte>(_buffer, Prefix.Length, body));
            return Finish(n);
        }

        /// <summary>Raw bytes (G.711) as the audio payload.</summary>
        public ReadOnlyMemory<byte> BuildBytes(ReadOnlySpan<byte> bytes)
        {
            var body = Parley.Audio.Kernels.Base64Kernel.EncodedLength(bytes.Length);
            Ensure(body);
            var n = Parley.Audio.Pcm16Base64.EncodeBytes(bytes, new Span<byte>(_buffer, Prefix.Length, body));
            return Finish(n);
        }

        void Ensure(int body)
        {
            var total = Prefix.Length + body + Suffix.Length;
            if (_buffer.Length < total)
            {
                _buffer = new byte[total];
            }
            Prefix.CopyTo(_buffer, 0);
        }

        ReadOnlyMemory<byte> Finish(int written)
        {
            Suffix.CopyTo(_buffer, Prefix.Length + written);
            return new ReadOnlyMemory<byte>(_buffer, 0, Prefix.Length + written + Suffix.Length);
        }
    }
}
