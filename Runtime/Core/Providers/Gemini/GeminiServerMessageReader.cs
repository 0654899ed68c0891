using System;
using System.Globalization;
using System.Text;

namespace Parley.Providers.Gemini
{
    /// <summary>
    /// Parses Gemini Live server messages (proto3 JSON of <c>BidiGenerateContentServerMessage</c>) from the raw
    /// received bytes, whether they came in a text or a binary frame. Unknown fields are skipped (the server adds
    /// fields over time); malformed JSON throws <see cref="FormatException"/>.
    /// </summary>
    public static class GeminiServerMessageReader
    {
        static readonly byte[] SetupComplete = Utf8("setupComplete");
        static readonly byte[] SessionId = Utf8("sessionId");
        static readonly byte[] ServerContent = Utf8("serverContent");
        static readonly byte[] ModelTurn = Utf8("modelTurn");
        static readonly byte[] Parts = Utf8("parts");
        static readonly byte[] InlineData = Utf8("inlineData");
        static readonly byte[] MimeType = Utf8("mimeType");
        static readonly byte[] Data = Utf8("data");
        static readonly byte[] Text = Utf8("text");
        static readonly byte[] TurnComplete = Utf8("turnComplete");
        static readonly byte[] Interrupted = Utf8("interrupted");
        static readonly byte[] GenerationComplete = Utf8("generationComplete");
        static readonly byte[] WaitingForInput = Utf8("waitingForInput");
        static readonly byte[] TurnCompleteReason = Utf8("turnCompleteReason");
        static readonly byte[] InputTranscription = Utf8("inputTranscription");
        static readonly byte[] OutputTranscription = Utf8("outputTranscription");
        static readonly byte[] ToolCall = Utf8("toolCall");
        static readonly byte[] FunctionCalls = Utf8("functionCalls");
        static readonly byte[] Id = Utf8("id");
        static readonly byte[] Name = Utf8("name");
        static readonly byte[] Args = Utf8("args");
        static readonly byte[] ToolCallCancellation = Utf8("toolCallCancellation");
        static readonly byte[] Ids = Utf8("ids");
        static readonly byte[] GoAway = Utf8("goAway");
        static readonly byte[] TimeLeft = Utf8("timeLeft");
        static readonly byte[] SessionResumptionUpdate = Utf8("sessionResumptionUpdate");
        static readonly byte[] NewHandle = Utf8("newHandle");
        static readonly byte[] Resumable = Utf8("resumable");
        static readonly byte[] UsageMetadata = Utf8("usageMetadata");
        static readonly byte[] PromptTokenCount = Utf8("promptTokenCount");
        static readonly byte[] CachedContentTokenCount = Utf8("cachedContentTokenCount");
        static readonly byte[] ResponseTokenCount = Utf8("responseTokenCount");
        static readonly byte[] TotalTokenCount = Utf8("totalTokenCount");
        static readonly byte[] PromptTokensDetails = Utf8("promptTokensDetails");
        static readonly byte[] ResponseTokensDetails = Utf8("responseTokensDetails");
        static readonly byte[] Modality = Utf8("modality");
        static readonly byte[] TokenCount = Utf8("tokenCount");
        static readonly byte[] AudioModality = Utf8("AUDIO");
        static readonly byte[] TextModality = Utf8("TEXT");
        static readonly byte[] AudioPcm = Utf8("audio/pcm");
        static readonly byte[] RateParameter = Utf8("rate=");

        static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

        /// <summary>Output rate when the server labels audio without a rate (Vertex sends plain "audio/pcm").</summary>
        public const int DefaultOutputRate = 24000;

        /// <exception cref="FormatException">Not JSON, or not a JSON object.</exception>
        public static void Read(ReadOnlySpan<byte> json, GeminiServerMessage m)
        {
            m.Clear();
            var s = new Utf8JsonScanner(json);
            if (!s.Read() || s.Token != JsonToken.StartObject) throw new FormatException("A Gemini server message must be a JSON object.");
            while (s.Read() && s.Token == JsonToken.PropertyName)
            {
                if (s.NameIs(SetupComplete)) ReadSetupComplete(ref s, m);
                else if (s.NameIs(ServerContent)) ReadServerContent(ref s, m);
                else if (s.NameIs(ToolCall)) ReadToolCall(ref s, m);
                else if (s.NameIs(ToolCallCancellation)) ReadCancellation(ref s, m);
                else if (s.NameIs(GoAway)) ReadGoAway(ref s, m);
                else if (s.NameIs(SessionResumptionUpdate)) ReadResumption(ref s, m);
                else if (s.NameIs(UsageMetadata)) ReadUsage(ref s, m);
                else { m.UnknownFields++; s.SkipValue(); }
            }
            if (s.Token != JsonToken.EndObject) throw new FormatException("Expected a property name at byte " + s.TokenStart + ".");
            s.Read(); // verifies nothing follows the object
        }

        static void Expect(ref Utf8JsonScanner s, JsonToken token)
        {
            s.Read();
            if (s.Token != token) throw new FormatException("Expected " + token + " at byte " + s.TokenStart + ", found " + s.Token + ".");
        }

        /// <summary>Reads the value after a name as an object; false (value skipped) if it is something else.</summary>
        static bool EnterObject(ref Utf8JsonScanner s)
        {
            s.Read();
            if (s.Token == JsonToken.StartObject) return true;
            s.SkipValue();
            return false;
        }

        static bool NextProperty(ref Utf8JsonScanner s)
        {
            s.Read();
            if (s.Token == JsonToken.PropertyName) return true;
            if (s.Token != JsonToken.EndObject) throw new FormatException("Expected a property name at byte " + s.TokenStart + ".");
            return false;
        }

        static bool NextArrayItem(ref Utf8JsonScanner s)
        {
            if (!s.Read()) throw new FormatException("JSON ends inside an array.");
            return s.Token != JsonToken.EndArray;
        }

        static string ReadStringValue(ref Utf8JsonScanner s)
        {
            s.Read();
            if (s.Token == JsonToken.StartObject || s.Token == JsonToken.StartArray) { s.SkipValue(); return null; }
            return s.Token == JsonToken.String ? s.GetString() : null;
        }

        static bool ReadBoolValue(ref Utf8JsonScanner s)
        {
            s.Read();
            if (s.Token == JsonToken.StartObject || s.Token == JsonToken.StartArray) { s.SkipValue(); return false; }
            return s.IsTrue;
        }

        static long ReadInt64Value(ref Utf8JsonScanner s)
        {
            s.Read();
            if (s.Token == JsonToken.Number || s.Token == JsonToken.String) return s.GetInt64();
            s.SkipValue();
            return 0;
        }

        static void ReadSetupComplete(ref Utf8JsonScanner s, GeminiServerMessage m)
        {
            m.SetupComplete = true;
            if (!EnterObject(ref s)) return;
            while (NextProperty(ref s))
            {
                if (s.NameIs(SessionId)) m.SessionId = ReadStringValue(ref s);
                else s.SkipValue();
            }
        }

        static void ReadServerContent(ref Utf8JsonScanner s, GeminiServerMessage m)
        {
            m.HasServerContent = true;
            if (!EnterObject(ref s)) return;
            while (NextProperty(ref s))
            {
                if (s.NameIs(ModelTurn)) ReadModelTurn(ref s, m);
                else if (s.NameIs(TurnComplete)) m.TurnComplete = ReadBoolValue(ref s);
                else if (s.NameIs(Interrupted)) m.Interrupted = ReadBoolValue(ref s);
                else if (s.NameIs(GenerationComplete)) m.GenerationComplete = ReadBoolValue(ref s);
                else if (s.NameIs(WaitingForInput)) m.WaitingForInput = ReadBoolValue(ref s);
                else if (s.NameIs(TurnCompleteReason)) m.TurnCompleteReason = ReadStringValue(ref s);
                else if (s.NameIs(InputTranscription)) m.InputTranscription = ReadTranscription(ref s);
                else if (s.NameIs(OutputTranscription)) m.OutputTranscription = ReadTranscription(ref s);
                else s.SkipValue();
            }
        }

        static string ReadTranscription(ref Utf8JsonScanner s)
        {
            string text = null;
            if (!EnterObject(ref s)) return null;
            while (NextProperty(ref s))
            {
                if (s.NameIs(Text)) text = ReadStringValue(ref s);
                else s.SkipValue();
            }
            return text;
        }

        static void ReadModelTurn(ref Utf8JsonScanner s, GeminiServerMessage m)
        {
            m.HasModelTurn = true;
            if (!EnterObject(ref s)) return;
            while (NextProperty(ref s))
            {
                if (!s.NameIs(Parts)) { s.SkipValue(); continue; }
                s.Read();
                if (s.Token != JsonToken.StartArray) { s.SkipValue(); continue; }
                while (NextArrayItem(ref s))
                {
                    if (s.Token != JsonToken.StartObject) { s.SkipValue(); continue; }
                    while (NextProperty(ref s))
                    {
                        if (s.NameIs(Text)) { var t = ReadStringValue(ref s); if (t != null) m.TextParts.Add(t); }
                        else if (s.NameIs(InlineData)) ReadInlineData(ref s, m);
                        else s.SkipValue(); // executableCode, thought, functionCall parts: not for the voice path
                    }
                }
            }
        }

        static void ReadInlineData(ref Utf8JsonScanner s, GeminiServerMessage m)
        {
            if (!EnterObject(ref s)) return;
            var payload = new AudioPayload { Start = -1 };
            var isAudio = false;
            while (NextProperty(ref s))
            {
                if (s.NameIs(MimeType))
                {
                    s.Read();
                    if (s.Token != JsonToken.String) { s.SkipValue(); continue; }
                    var mime = s.ValueSpan;
                    isAudio = mime.Length >= AudioPcm.Length && mime.Slice(0, AudioPcm.Length).SequenceEqual(AudioPcm);
                    payload.SampleRate = ParseRate(mime);
                }
                else if (s.NameIs(Data))
                {
                    s.Read();
                    if (s.Token != JsonToken.String) { s.SkipValue(); continue; }
                    payload.Start = s.ValueStart;
                    payload.Length = s.ValueLength;
                    payload.Escaped = s.ValueEscaped;
                }
                else s.SkipValue();
            }
            if (isAudio && payload.Start >= 0) m.Audio.Add(payload);
        }

        /// <summary>Resolves JSON escapes in an <see cref="AudioPayload"/> flagged Escaped; returns the bytes written (never more than the source).</summary>
        public static int Unescape(ReadOnlySpan<byte> source, Span<byte> destination) => Utf8JsonScanner.Unescape(source, destination);

        /// <summary>The <c>rate=</c> parameter of an audio/pcm mime type, or 24000 when absent.</summary>
        public static int ParseRate(ReadOnlySpan<byte> mime)
        {
            var i = mime.IndexOf(RateParameter);
            if (i < 0) return DefaultOutputRate;
            var rate = 0;
            for (var k = i + RateParameter.Length; k < mime.Length; k++)
            {
                var d = mime[k] - (byte)'0';
                if (d < 0 || d > 9) break;
                if (rate > 10000000) return DefaultOutputRate;
                rate = rate * 10 + d;
            }
            return rate > 0 ? rate : DefaultOutputRate;
        }

        static void ReadToolCall(ref Utf8JsonScanner s, GeminiServerMessage m)
        {
            if (!EnterObject(ref s)) return;
            while (NextProperty(ref s))
            {
                if (!s.NameIs(FunctionCalls)) { s.SkipValue(); continue; }
                s.Read();
                if (s.Token != JsonToken.StartArray) { s.SkipValue(); continue; }
                while (NextArrayItem(ref s))
                {
                    if (s.Token != JsonToken.StartObject) { s.SkipValue(); continue; }
                    var call = new FunctionCall { ArgumentsJson = "{}" };
                    while (NextProperty(ref s))
                    {
                        if (s.NameIs(Id)) call.Id = ReadStringValue(ref s);
                        else if (s.NameIs(Name)) call.Name = ReadStringValue(ref s);
                        else if (s.NameIs(Args)) call.ArgumentsJson = s.ReadRawValue();
                        else s.SkipValue();
                    }
                    m.FunctionCalls.Add(call);
                }
            }
        }

        static void ReadCancellation(ref Utf8JsonScanner s, GeminiServerMessage m)
        {
            m.HasToolCallCancellation = true;
            if (!EnterObject(ref s)) return;
            while (NextProperty(ref s))
            {
                if (!s.NameIs(Ids)) { s.SkipValue(); continue; }
                s.Read();
                if (s.Token != JsonToken.StartArray) { s.SkipValue(); continue; }
                while (NextArrayItem(ref s))
                {
                    if (s.Token == JsonToken.String) m.CancelledCallIds.Add(s.GetString());
                    else s.SkipValue();
                }
            }
        }

        static void ReadGoAway(ref Utf8JsonScanner s, GeminiServerMessage m)
        {
            m.HasGoAway = true;
            if (!EnterObject(ref s)) return;
            while (NextProperty(ref s))
            {
                if (s.NameIs(TimeLeft)) m.GoAwayTimeLeft = ParseDuration(ReadStringValue(ref s));
                else s.SkipValue();
            }
        }

        /// <summary>google.protobuf.Duration in JSON: seconds with an "s" suffix ("50s", "1.5s").</summary>
        public static TimeSpan ParseDuration(string text)
        {
            if (string.IsNullOrEmpty(text)) return TimeSpan.Zero;
            var t = text.EndsWith("s", StringComparison.Ordinal) ? text.Substring(0, text.Length - 1) : text;
            return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds < 1e9
                ? TimeSpan.FromSeconds(seconds)
                : TimeSpan.Zero;
        }

        static void ReadResumption(ref Utf8JsonScanner s, GeminiServerMessage m)
        {
            m.HasResumptionUpdate = true;
            if (!EnterObject(ref s)) return;
            while (NextProperty(ref s))
            {
                if (s.NameIs(NewHandle)) m.NewHandle = ReadStringValue(ref s);
                else if (s.NameIs(Resumable)) m.Resumable = ReadBoolValue(ref s);
                else s.SkipValue();
            }
        }

        static void ReadUsage(ref Utf8JsonScanner s, GeminiServerMessage m)
        {
            m.HasUsage = true;
            if (!EnterObject(ref s)) return;
            long prompt = 0, response = 0;
            bool promptDetails = false, responseDetails = false;
            while (NextProperty(ref s))
            {
                if (s.NameIs(PromptTokenCount)) prompt = ReadInt64Value(ref s);
                else if (s.NameIs(ResponseTokenCount)) response = ReadInt64Value(ref s);
                else if (s.NameIs(CachedContentTokenCount)) m.Usage.CachedInputTokens = ReadInt64Value(ref s);
                else if (s.NameIs(TotalTokenCount)) m.Usage.TotalTokens = ReadInt64Value(ref s);
                else if (s.NameIs(PromptTokensDetails)) promptDetails |= ReadDetails(ref s, ref m.Usage.InputTextTokens, ref m.Usage.InputAudioTokens);
                else if (s.NameIs(ResponseTokensDetails)) responseDetails |= ReadDetails(ref s, ref m.Usage.OutputTextTokens, ref m.Usage.OutputAudioTokens);
                else s.SkipValue();
            }
            // Without a per-modality breakdown the totals count as text (what the recordings show for text turns).
            if (!promptDetails) m.Usage.InputTextTokens = prompt;
            if (!responseDetails) m.Usage.OutputTextTokens = response;
        }

        static bool ReadDetails(ref Utf8JsonScanner s, ref long text, ref long audio)
        {
            s.Read();
            if (s.Token != JsonToken.StartArray) { s.SkipValue(); return false; }
            var any = false;
            while (NextArrayItem(ref s))
            {
                if (s.Token != JsonToken.StartObject) { s.SkipValue(); continue; }
                int modality = 0; // 1 text, 2 audio, 0 other (image, video, document: not counted here)
                long count = 0;
                while (NextProperty(ref s))
                {
                    if (s.NameIs(Modality))
                    {
                        s.Read();
                        if (s.Token == JsonToken.String) modality = s.ValueSpan.SequenceEqual(TextModality) ? 1 : s.ValueSpan.SequenceEqual(AudioModality) ? 2 : 0;
                        else s.SkipValue();
                    }
                    else if (s.NameIs(TokenCount)) count = ReadInt64Value(ref s);
                    else s.SkipValue();
                }
                if (modality == 1) text += count;
                else if (modality == 2) audio += count;
                any = true;
            }
            return any;
        }
    }
}
