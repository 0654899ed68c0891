using System;
using System.Text;
using NUnit.Framework;
using Parley.Audio;
using Parley.Providers.Gemini;

namespace Parley.Tests.Providers.Gemini
{
    public class GeminiServerMessageReaderTests
    {
        readonly GeminiServerMessage _m = new GeminiServerMessage();

        void Read(string json) => GeminiServerMessageReader.Read(Encoding.UTF8.GetBytes(json), _m);

        static string Base64Sine(int samples, int rate, double hz, out short[] pcm)
        {
            pcm = new short[samples];
            for (var i = 0; i < samples; i++) pcm[i] = (short)(Math.Sin(2 * Math.PI * hz * i / rate) * 12000);
            var bytes = new byte[samples * 2];
            Buffer.BlockCopy(pcm, 0, bytes, 0, bytes.Length);
            return Convert.ToBase64String(bytes);
        }

        [Test]
        public void Setup_complete_with_and_without_a_session_id()
        {
            Read("{\n  \"setupComplete\": {}\n}\n");
            Assert.That(_m.SetupComplete, Is.True);
            Assert.That(_m.SessionId, Is.Null);
            Read("{\"setupComplete\":{\"sessionId\":\"f162d11d-434a-4212-8a31-f1a4843cad11\"}}");
            Assert.That(_m.SessionId, Is.EqualTo("f162d11d-434a-4212-8a31-f1a4843cad11"));
        }

        [TestCase("audio/pcm;rate=24000", 24000)]
        [TestCase("audio/pcm", 24000)]
        [TestCase("audio/pcm;rate=16000", 16000)]
        [TestCase("audio/pcm; rate=44100", 44100)]
        public void Audio_payload_is_located_in_place_and_decodes_to_the_samples(string mime, int rate)
        {
            var b64 = Base64Sine(480, 24000, 300, out var pcm);
            var json = "{\"serverContent\":{\"modelTurn\":{\"role\":\"model\",\"parts\":[{\"inlineData\":{\"mimeType\":\"" + mime + "\",\"data\":\"" + b64 + "\"}},{\"text\":\"hi\"}]}}}";
            var bytes = Encoding.UTF8.GetBytes(json);
            GeminiServerMessageReader.Read(bytes, _m);
            Assert.That(_m.HasModelTurn, Is.True);
            Assert.That(_m.Audio.Count, Is.EqualTo(1));
            Assert.That(_m.Audio[0].SampleRate, Is.EqualTo(rate));
            Assert.That(_m.TextParts, Is.EqualTo(new[] { "hi" }), "every part of a message is read");
            var decoded = new short[Pcm16Base64.MaxDecodedSamples(_m.Audio[0].Length)];
            var n = Pcm16Base64.Decode(new ReadOnlySpan<byte>(bytes, _m.Audio[0].Start, _m.Audio[0].Length), decoded);
            Assert.That(n, Is.EqualTo(480));
            Assert.That(new ArraySegment<short>(decoded, 0, n), Is.EqualTo(pcm));
        }

        [Test]
        public void Non_audio_inline_data_and_unknown_parts_are_skipped()
        {
            Read("{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"executableCode\":{\"language\":\"PYTHON\",\"code\":\"print(1)\"}},{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"AAAA\"}}]}},\"someNewField\":{\"a\":[1,{\"b\":null}]}}");
            Assert.That(_m.HasModelTurn, Is.True);
            Assert.That(_m.Audio.Count, Is.EqualTo(0));
            Assert.That(_m.TextParts.Count, Is.EqualTo(0));
            Assert.That(_m.UnknownFields, Is.EqualTo(1));
        }

        [Test]
        public void Escaped_audio_is_flagged_and_unescapes_to_plain_base64()
        {
            // Samples -1, -1, 16383 encode to "/////z8A..." style text with '/', which JSON may escape as "\/".
            var pcm = new short[] { -1, -1, 16383, -32768 };
            var raw = new byte[8];
            Buffer.BlockCopy(pcm, 0, raw, 0, 8);
            var b64 = Convert.ToBase64String(raw);
            Assert.That(b64, Does.Contain("/"));
            var bytes = Encoding.UTF8.GetBytes("{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"data\":\"" + b64.Replace("/", "\\/") + "\",\"mimeType\":\"audio/pcm;rate=24000\"}}]}}}");
            GeminiServerMessageReader.Read(bytes, _m);
            Assert.That(_m.Audio[0].Escaped, Is.True);
            var scratch = new byte[_m.Audio[0].Length];
            var n = GeminiServerMessageReader.Unescape(new ReadOnlySpan<byte>(bytes, _m.Audio[0].Start, _m.Audio[0].Length), scratch);
            Assert.That(Encoding.ASCII.GetString(scratch, 0, n), Is.EqualTo(b64));
            var decoded = new short[4];
            Assert.That(Pcm16Base64.Decode(new ReadOnlySpan<byte>(scratch, 0, n), decoded), Is.EqualTo(4));
            Assert.That(decoded, Is.EqualTo(pcm));
        }

        [Test]
        public void Turn_signals_and_transcriptions()
        {
            Read("{\"serverContent\":{\"inputTranscription\":{\"text\":\"what is the weather\"},\"outputTranscription\":{\"text\":\" could talk \\\"about\\\" caf\\u00e9 \\ud83d\\ude00\"},\"interrupted\":true,\"turnComplete\":true,\"generationComplete\":false,\"turnCompleteReason\":\"NEED_MORE_INPUT\",\"waitingForInput\":true}}");
            Assert.That(_m.InputTranscription, Is.EqualTo("what is the weather"));
            Assert.That(_m.OutputTranscription, Is.EqualTo(" could talk \"about\" café 😀"));
            Assert.That(_m.Interrupted, Is.True);
            Assert.That(_m.TurnComplete, Is.True);
            Assert.That(_m.GenerationComplete, Is.False);
            Assert.That(_m.WaitingForInput, Is.True);
            Assert.That(_m.TurnCompleteReason, Is.EqualTo("NEED_MORE_INPUT"));
            Read("{\"serverContent\":{\"outputTranscription\":{}}}");
            Assert.That(_m.OutputTranscription, Is.Null, "an empty transcription (seen from Vertex) is no text");
            Assert.That(_m.Interrupted, Is.False, "cleared between messages");
        }

        [Test]
        public void Tool_call_keeps_arguments_as_raw_json_and_cancellation_lists_ids()
        {
            Read("{\n  \"toolCall\": {\n    \"functionCalls\": [\n      {\n        \"name\": \"get_current_weather\",\n        \"args\": {\n          \"location\": \"Redmond, WA\", \"days\": [1, 2]\n        },\n        \"id\": \"function-call-5831923424298605773\"\n      },\n      {\"id\":\"c2\",\"name\":\"ping\"}\n    ]\n  }\n}\n");
            Assert.That(_m.FunctionCalls.Count, Is.EqualTo(2));
            Assert.That(_m.FunctionCalls[0].Id, Is.EqualTo("function-call-5831923424298605773"));
            Assert.That(_m.FunctionCalls[0].Name, Is.EqualTo("get_current_weather"));
            var args = Newtonsoft.Json.Linq.JObject.Parse(_m.FunctionCalls[0].ArgumentsJson);
            Assert.That((string)args["location"], Is.EqualTo("Redmond, WA"));
            Assert.That(args["days"].ToObject<int[]>(), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(_m.FunctionCalls[1].ArgumentsJson, Is.EqualTo("{}"));
            Read("{\"toolCallCancellation\":{\"ids\":[\"a\",\"b\"]}}");
            Assert.That(_m.HasToolCallCancellation, Is.True);
            Assert.That(_m.CancelledCallIds, Is.EqualTo(new[] { "a", "b" }));
        }

        [TestCase("50s", 50.0)]
        [TestCase("1.5s", 1.5)]
        [TestCase("0s", 0.0)]
        [TestCase("garbage", 0.0)]
        public void GoAway_time_left_is_a_protobuf_duration(string text, double seconds)
        {
            Read("{\"goAway\":{\"timeLeft\":\"" + text + "\"}}");
            Assert.That(_m.HasGoAway, Is.True);
            Assert.That(_m.GoAwayTimeLeft.TotalSeconds, Is.EqualTo(seconds).Within(1e-9));
        }

        [Test]
        public void Resumption_update()
        {
            Read("{\"sessionResumptionUpdate\":{\"newHandle\":\"CiQ1Y2Zh\",\"resumable\":true}}");
            Assert.That(_m.HasResumptionUpdate && _m.Resumable, Is.True);
            Assert.That(_m.NewHandle, Is.EqualTo("CiQ1Y2Zh"));
            Read("{\"sessionResumptionUpdate\":{}}");
            Assert.That(_m.Resumable, Is.False);
            Assert.That(_m.NewHandle, Is.Null);
        }

        [Test]
        public void Usage_is_mapped_by_modality()
        {
            Read("{\"serverContent\":{\"turnComplete\":true},\"usageMetadata\":{\"promptTokenCount\":515,\"cachedContentTokenCount\":\"12\",\"responseTokenCount\":31,\"totalTokenCount\":546," +
                 "\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":15},{\"modality\":\"AUDIO\",\"tokenCount\":500}],\"responseTokensDetails\":[{\"modality\":\"AUDIO\",\"tokenCount\":31}],\"thoughtsTokenCount\":3}}");
            Assert.That(_m.TurnComplete, Is.True);
            Assert.That(_m.HasUsage, Is.True);
            Assert.That(_m.Usage.InputTextTokens, Is.EqualTo(15));
            Assert.That(_m.Usage.InputAudioTokens, Is.EqualTo(500));
            Assert.That(_m.Usage.CachedInputTokens, Is.EqualTo(12), "int64 as a JSON string");
            Assert.That(_m.Usage.OutputAudioTokens, Is.EqualTo(31));
            Assert.That(_m.Usage.OutputTextTokens, Is.EqualTo(0));
            Assert.That(_m.Usage.TotalTokens, Is.EqualTo(546));
            Read("{\"usageMetadata\":{\"promptTokenCount\":7,\"responseTokenCount\":9,\"totalTokenCount\":16}}");
            Assert.That(_m.Usage.InputTextTokens, Is.EqualTo(7), "no breakdown: counted as text");
            Assert.That(_m.Usage.OutputTextTokens, Is.EqualTo(9));
        }

        [TestCase("")]
        [TestCase("   ")]
        [TestCase("{")]
        [TestCase("{\"serverContent\": {\"modelTurn\": ")]
        [TestCase("{\"a\":\"unterminated}")]
        [TestCase("[1,2]")]
        [TestCase("\"text\"")]
        [TestCase("{\"a\":tru}")]
        [TestCase("{\"a\":1}}")]
        [TestCase("{\"a\":1} {\"b\":2}")]
        [TestCase("{\"serverContent\":{\"outputTranscription\":{\"text\":\"x\\q\"}}}")]
        [TestCase("{\"a\":[1}}")]
        [TestCase("{\"a\":{1]}")]
        [TestCase("{\"setupComplete\":{}]")]
        [TestCase("{\"a\" 1}")]
        public void Malformed_json_throws_format_exception(string json)
        {
            Assert.Throws<FormatException>(() => Read(json));
        }

        // Found by fuzzing (Tools~/Parley.Fuzz, target gemini-message).
        [Test]
        public void A_property_name_inside_an_array_is_a_format_error_not_an_endless_loop()
        {
            var bytes = Encoding.UTF8.GetBytes("{\"serverContent\":{\"modelTurn\":{\"role\":\"model\",\"parts\":[{\"text\":\"Yes\"}\n  \"text\":     ]}}}");
            var m = new GeminiServerMessage();
            var read = System.Threading.Tasks.Task.Run(() => Assert.Throws<FormatException>(() => GeminiServerMessageReader.Read(bytes, m)));
            // Microseconds when it works; the bound only turns a regression (an endless loop) into a failure.
            Assert.That(read.Wait(TimeSpan.FromSeconds(60)), Is.True, "the reader looped");
        }

        [Test]
        public void An_escape_json_does_not_allow_is_a_format_error_when_read_not_when_played()
        {
            // "\o" is not a JSON escape: the provider would have failed later, unescaping the audio to play it.
            Assert.Throws<FormatException>(() => Read("{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"audio/pcm\",\"data\":\"AQID\\oPr7CQo=\"}}]}}}"));
            Assert.Throws<FormatException>(() => Read("{\"setupComplete\":{\"sessionId\":\"a\\u12G4\"}}"));
            Read("{\"setupComplete\":{\"sessionId\":\"a\\u00e9\\/\\n\"}}");
            Assert.That(_m.SessionId, Is.EqualTo("a\u00e9/\n"));
        }
    }
}
