using System;
using System.Linq;
using System.Text;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.Gemini;
using Parley.Tests.Support;

namespace Parley.Tests.Providers.Gemini
{
    public class GeminiClientMessagesTests
    {
        sealed class NoListener : IProviderListener
        {
            public void OnEvent(ProviderEvent e) { }
            public void OnAudio(string itemId, ReadOnlySpan<short> pcm) { }
        }

        [TestCase(1)]
        [TestCase(320)]
        [TestCase(1601)]
        public void Audio_message_carries_the_samples_as_base64_labelled_16k(int samples)
        {
            var tone = Signals.Sine(440, 16000, samples, 0.7);
            var pcm = tone.Select(x => (short)Math.Round(x * 32767)).ToArray();
            var buffer = new byte[GeminiClientMessages.AudioMessageLength(samples)];
            var n = GeminiClientMessages.WriteAudio(pcm, buffer);
            Assert.That(n, Is.EqualTo(buffer.Length));
            var o = JObject.Parse(Encoding.UTF8.GetString(buffer, 0, n));
            Assert.That((string)o.SelectToken("realtimeInput.audio.mimeType"), Is.EqualTo("audio/pcm;rate=16000"));
            var bytes = Convert.FromBase64String((string)o.SelectToken("realtimeInput.audio.data"));
            var back = new short[bytes.Length / 2];
            Buffer.BlockCopy(bytes, 0, back, 0, bytes.Length);
            Assert.That(back, Is.EqualTo(pcm));
            Assert.That(o.Properties().Single().Name, Is.EqualTo("realtimeInput"));
        }

        [Test]
        public void Audio_message_refuses_a_short_destination()
        {
            Assert.Throws<ArgumentException>(() => GeminiClientMessages.WriteAudio(new short[10], new byte[20]));
        }

        [Test]
        public void Activity_signals_are_the_documented_frames()
        {
            Assert.That(Encoding.ASCII.GetString(GeminiClientMessages.ActivityStart), Is.EqualTo("{\"realtimeInput\":{\"activityStart\":{}}}"));
            Assert.That(Encoding.ASCII.GetString(GeminiClientMessages.ActivityEnd), Is.EqualTo("{\"realtimeInput\":{\"activityEnd\":{}}}"));
            Assert.That(Encoding.ASCII.GetString(GeminiClientMessages.AudioStreamEnd), Is.EqualTo("{\"realtimeInput\":{\"audioStreamEnd\":true}}"));
        }

        [Test]
        public void Setup_maps_the_session_config()
        {
            var config = new SessionConfig { Model = "gemini-3.1-flash-live-preview", Voice = "Puck", Language = "en-US", Instructions = "You are a blacksmith NPC.", MaxOutputTokens = 256 };
            config.Tools.Add(new ToolDeclaration("open_door", "Opens a door", "{\"type\":\"object\",\"properties\":{\"door\":{\"type\":\"string\"}},\"required\":[\"door\"]}"));
            var s = (JObject)JObject.Parse(GeminiClientMessages.Setup(config, new GeminiLiveOptions(), "h-1"))["setup"];
            Assert.That((string)s["model"], Is.EqualTo("models/gemini-3.1-flash-live-preview"));
            Assert.That(s.SelectToken("generationConfig.responseModalities").Select(t => (string)t), Is.EqualTo(new[] { "AUDIO" }));
            Assert.That((string)s.SelectToken("generationConfig.speechConfig.voiceConfig.prebuiltVoiceConfig.voiceName"), Is.EqualTo("Puck"));
            Assert.That((string)s.SelectToken("generationConfig.speechConfig.languageCode"), Is.EqualTo("en-US"));
            Assert.That((int)s.SelectToken("generationConfig.maxOutputTokens"), Is.EqualTo(256));
            Assert.That((string)s.SelectToken("systemInstruction.parts[0].text"), Is.EqualTo("You are a blacksmith NPC."));
            Assert.That((string)s.SelectToken("tools[0].functionDeclarations[0].parameters.properties.door.type"), Is.EqualTo("STRING"));
            Assert.That(s.SelectToken("tools[0].functionDeclarations[0].parameters.required").Select(t => (string)t), Is.EqualTo(new[] { "door" }));
            Assert.That((bool)s.SelectToken("realtimeInputConfig.automaticActivityDetection.disabled"), Is.False);
            Assert.That((int)s.SelectToken("realtimeInputConfig.automaticActivityDetection.silenceDurationMs"), Is.EqualTo(500));
            Assert.That((string)s.SelectToken("realtimeInputConfig.activityHandling"), Is.EqualTo("START_OF_ACTIVITY_INTERRUPTS"));
            Assert.That(s["inputAudioTranscription"], Is.Not.Null);
            Assert.That(s["outputAudioTranscription"], Is.Not.Null);
            Assert.That((string)s.SelectToken("sessionResumption.handle"), Is.EqualTo("h-1"));
            Assert.That(s.SelectToken("contextWindowCompression.slidingWindow"), Is.Not.Null);
        }

        [Test]
        public void Manual_turns_disable_automatic_activity_detection_without_tunables()
        {
            var config = new SessionConfig { InputTranscription = false };
            config.TurnDetection.Mode = TurnDetectionMode.Manual;
            config.TurnDetection.InterruptResponse = false;
            var s = (JObject)JObject.Parse(GeminiClientMessages.Setup(config, new GeminiLiveOptions { OutputTranscription = false, ContextWindowCompression = false }, null))["setup"];
            var aad = (JObject)s.SelectToken("realtimeInputConfig.automaticActivityDetection");
            Assert.That(aad.Properties().Select(p => p.Name), Is.EqualTo(new[] { "disabled" }));
            Assert.That((bool)aad["disabled"], Is.True);
            Assert.That((string)s.SelectToken("realtimeInputConfig.activityHandling"), Is.EqualTo("NO_INTERRUPTION"));
            Assert.That(s["inputAudioTranscription"], Is.Null);
            Assert.That(s["outputAudioTranscription"], Is.Null);
            Assert.That(s["contextWindowCompression"], Is.Null);
            Assert.That(s.SelectToken("sessionResumption").HasValues, Is.False, "handles are requested even for a new session");
            Assert.That((string)s["model"], Is.EqualTo("models/gemini-3.1-flash-live-preview"));
        }

        [TestCase("START", "high", "START_SENSITIVITY_HIGH")]
        [TestCase("END", "Low", "END_SENSITIVITY_LOW")]
        [TestCase("END", "END_SENSITIVITY_HIGH", "END_SENSITIVITY_HIGH")]
        [TestCase("START", null, null)]
        public void Sensitivities_map_to_the_proto_enums(string edge, string value, string expected)
        {
            Assert.That(GeminiClientMessages.Sensitivity(edge, value), Is.EqualTo(expected));
        }

        [Test]
        public void Unknown_sensitivity_or_bad_tool_schema_is_a_typed_error()
        {
            var e = Assert.Throws<ProviderException>(() => GeminiClientMessages.Sensitivity("START", "medium"));
            Assert.That(e.Kind, Is.EqualTo(ProviderErrorKind.InvalidRequest));
            var config = new SessionConfig();
            config.Tools.Add(new ToolDeclaration("t", "d", "[1,2]"));
            e = Assert.Throws<ProviderException>(() => GeminiClientMessages.Setup(config, new GeminiLiveOptions(), null));
            Assert.That(e.Code, Is.EqualTo("invalid_tool_schema"));
        }

        [TestCase("{\"temp_c\":21}", "{\"temp_c\":21}")]
        [TestCase("[1,2]", "{\"result\":[1,2]}")]
        [TestCase("42", "{\"result\":42}")]
        [TestCase("door opened", "{\"result\":\"door opened\"}")]
        [TestCase("", "{}")]
        public void Tool_response_carries_id_name_and_an_object(string result, string expectedResponse)
        {
            var o = JObject.Parse(GeminiClientMessages.ToolResponse("function-call-1", "open_door", result));
            var r = o.SelectToken("toolResponse.functionResponses[0]");
            Assert.That((string)r["id"], Is.EqualTo("function-call-1"));
            Assert.That((string)r["name"], Is.EqualTo("open_door"));
            Assert.That(JToken.DeepEquals(r["response"], JToken.Parse(expectedResponse)), Is.True, r["response"].ToString());
        }

        [Test]
        public void History_becomes_client_content_turns()
        {
            var history = new System.Collections.Generic.List<HistoryItem>
            {
                new HistoryItem(HistoryRole.System, "The player carries a lantern."),
                new HistoryItem(HistoryRole.User, "Hello"),
                new HistoryItem(HistoryRole.Agent, "Welcome, traveller."),
                new HistoryItem(HistoryRole.User, "What do you sell?"),
            };
            var o = JObject.Parse(GeminiClientMessages.History(history));
            var turns = (JArray)o.SelectToken("clientContent.turns");
            Assert.That(turns.Select(t => (string)t["role"]), Is.EqualTo(new[] { "user", "user", "model", "user" }));
            Assert.That((string)turns[0].SelectToken("parts[0].text"), Is.EqualTo("The player carries a lantern."));
            Assert.That((string)turns[3].SelectToken("parts[0].text"), Is.EqualTo("What do you sell?"));
            Assert.That((bool)o.SelectToken("clientContent.turnComplete"), Is.True);
            // Context after the player's question does not hide it: the model still owes the answer.
            history.Add(new HistoryItem(HistoryRole.System, "It is raining."));
            Assert.That((bool)JObject.Parse(GeminiClientMessages.History(history)).SelectToken("clientContent.turnComplete"), Is.True);
            history.Add(new HistoryItem(HistoryRole.Agent, "Swords."));
            Assert.That((bool)JObject.Parse(GeminiClientMessages.History(history)).SelectToken("clientContent.turnComplete"), Is.False);
        }

        [Test]
        public void Context_is_a_user_turn_that_asks_for_no_reply()
        {
            var o = JObject.Parse(GeminiClientMessages.Context("The gate is now open."));
            Assert.That(o.Properties().Select(p => p.Name), Is.EqualTo(new[] { "clientContent" }));
            Assert.That((string)o.SelectToken("clientContent.turns[0].role"), Is.EqualTo("user"));
            Assert.That((string)o.SelectToken("clientContent.turns[0].parts[0].text"), Is.EqualTo("The gate is now open."));
            Assert.That(o.SelectToken("clientContent.turnComplete").Type, Is.EqualTo(JTokenType.Boolean));
            Assert.That((bool)o.SelectToken("clientContent.turnComplete"), Is.False);
        }

        [Test]
        public void Endpoint_for_api_keys_and_ephemeral_tokens()
        {
            var options = new GeminiLiveOptions();
            var key = GeminiLiveProvider.BuildUri(options, "AIza+/=key");
            Assert.That(key.GetLeftPart(UriPartial.Path), Is.EqualTo("wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"));
            Assert.That(key.Query, Is.EqualTo("?key=AIza%2B%2F%3Dkey"));
            var token = GeminiLiveProvider.BuildUri(options, "auth_tokens/abc");
            Assert.That(token.GetLeftPart(UriPartial.Path), Is.EqualTo("wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContentConstrained"));
            Assert.That(token.Query, Is.EqualTo("?access_token=auth_tokens%2Fabc"));
        }

        [Test]
        public void Capabilities_say_what_gemini_live_does()
        {
            using (var p = new GeminiLiveProvider(new StaticCredential("k")))
            {
                var c = p.Capabilities;
                Assert.That(p.Name, Is.EqualTo("gemini"));
                Assert.That(c.InputSampleRate, Is.EqualTo(16000));
                Assert.That(c.OutputSampleRate, Is.EqualTo(24000));
                Assert.That(c.Supports(TurnDetectionMode.ServerVad) && c.Supports(TurnDetectionMode.Manual), Is.True);
                Assert.That(c.Supports(TurnDetectionMode.SemanticVad), Is.False);
                Assert.That(c.FullDuplex && c.Resumption && c.Tools && c.InputTranscripts && c.OutputTranscripts && c.UsageReporting, Is.True);
                Assert.That(c.TruncatesHistory, Is.False);
                var e = Assert.Throws<AggregateException>(() => p.ConnectAsync(new SessionConfig { TurnDetection = new TurnDetection { Mode = TurnDetectionMode.SemanticVad } }, new NoListener(), default).Wait());
                Assert.That(((ProviderException)e.InnerException).Kind, Is.EqualTo(ProviderErrorKind.Unsupported));
                Assert.That(p.IsConnected, Is.False);
            }
        }
    }
}
