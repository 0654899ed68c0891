using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.Gemini;
using Parley.Servers.Gemini;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Gemini
{
    /// <summary>
    /// Replays every recorded js-genai session (real Gemini Live traffic) over a loopback WebSocket: the server
    /// plays the recorded server frames and checks each client frame against the recorded one
    /// (<see cref="GeminiWireShape"/>); the provider is driven through its public API by actions derived from
    /// the recorded client frames, and what it raises is checked against an independent parse of the server frames.
    /// </summary>
    public class GeminiReplayConformanceTests
    {
        static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

        static string RecordingsDir => PackagePaths.Fixture("protocols", "gemini-live", "recordings");

        public static IEnumerable<TestCaseData> Sessions()
        {
            foreach (var path in Directory.GetFiles(RecordingsDir, "*.websocket.log").OrderBy(p => p))
            {
                var rec = GeminiRecording.Load(path);
                for (var i = 0; i < rec.Sessions.Count; i++)
                    if (SkipReason(rec.Sessions[i]) == null)
                        yield return new TestCaseData(Path.GetFileName(path), i).SetName("Replay_" + rec.Name + "_" + i);
            }
        }

        /// <summary>
        /// Recorded sessions no client built on this provider could have produced are not generated as replay
        /// cases; this test pins which ones and why, so a recording cannot drop out silently.
        /// </summary>
        [Test]
        public void Only_the_sessions_this_client_cannot_produce_are_left_out()
        {
            var left = new List<string>();
            foreach (var path in Directory.GetFiles(RecordingsDir, "*.websocket.log").OrderBy(p => p))
            {
                var rec = GeminiRecording.Load(path);
                for (var i = 0; i < rec.Sessions.Count; i++)
                    if (SkipReason(rec.Sessions[i]) != null) left.Add(rec.Name + "_" + i);
            }
            Assert.That(left, Is.EquivalentTo(new[]
            {
                "live_ML_Dev_should_respond_to_realtime_media-audio_input_0",
                "live_Vertex_should_respond_to_realtime_media-audio_input_0",
                "live_Vertex_should_return_error_for_invalid_input_in_async_session_0",
                "live_Vertex_should_send_tool_response_with_function_responses_0",
            }));
        }

        /// <summary>Why a recorded session cannot come from a voice client built on this provider, or null.</summary>
        static string SkipReason(IReadOnlyList<RecordedFrame> session)
        {
            foreach (var f in session.Where(f => f.FromClient))
            {
                var o = JObject.Parse(f.Json);
                if (o.SelectToken("realtimeInput.mediaChunks") != null)
                    return "uses the deprecated realtimeInput.mediaChunks; this client sends realtimeInput.audio (covered by the audio recordings)";
                if (o["toolResponse"] is JObject tr && tr["functionResponses"].Any(r => r["id"] == null))
                    return "sends a toolResponse without the function call id; the Developer API requires it and this client always sends it";
            }
            return null;
        }

        [TestCaseSource(nameof(Sessions))]
        public void Recorded_session_replays_with_matching_client_frames(string file, int index)
        {
            var session = GeminiRecording.Load(Path.Combine(RecordingsDir, file)).Sessions[index];
            var setup = (JObject)JObject.Parse(session[0].Json)["setup"];
            var config = ConfigFrom(setup, session);
            var options = new GeminiLiveOptions { OutputTranscription = setup["outputAudioTranscription"] != null, ContextWindowCompression = false };

            var server = GeminiLiveServer.StartAsync().GetAwaiter().GetResult();
            try
            {
                server.Script = GeminiScenarios.Replay(session);
                options.Host = server.Host;
                var listener = new GeminiTestListener();
                using (var provider = new GeminiLiveProvider(new StaticCredential(server.ExpectedKey), options))
                {
                    var cts = new CancellationTokenSource(Wait);
                    provider.ConnectAsync(config, listener, cts.Token).Wait(Wait);
                    Assert.That(provider.IsConnected, Is.True);

                    foreach (var f in session.Skip(1).Where(f => f.FromClient))
                        Drive(provider, JObject.Parse(f.Json), cts.Token);

                    var expect = Expected(session);
                    var done = listener.WaitUntil(l =>
                        l.AudioSamples >= expect.AudioSamples
                        && l.All<ResponseDone>().Count >= expect.TurnCompletes
                        && l.All<ToolCallRequested>().Count >= expect.ToolCalls.Count
                        && l.All<AgentTranscript>().Count(t => !t.IsFinal) >= expect.AgentTexts.Count, Wait);
                    Assert.That(done, Is.True, "events: " + listener.Describe());

                    // The server is still waiting if we sent fewer frames than recorded; give it the frames' time.
                    var conn = server.Accepted.Single();
                    Assert.That(SpinUntil(() => conn.Received.Count >= session.Count(f => f.FromClient)), Is.True, "client frames received: " + conn.Received.Count);

                    provider.DisconnectAsync(CancellationToken.None).Wait(Wait);
                    Assert.That(conn.Finished.Wait(Wait), Is.True, "server connection ended");

                    Assert.That(server.Problems, Is.Empty, "client frames differ from the recording");
                    Assert.That(server.Connections, Is.EqualTo(1));
                    Assert.That(server.RequestPaths.Single(), Is.EqualTo("/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"));

                    Assert.That(listener.AudioSamples, Is.EqualTo(expect.AudioSamples), "24 kHz samples decoded from the recorded inlineData");
                    Assert.That(listener.All<ResponseDone>().Count, Is.EqualTo(expect.TurnCompletes));
                    Assert.That(listener.All<ToolCallRequested>().Select(t => t.CallId + "/" + t.Name + "/" + JToken.Parse(t.ArgumentsJson).ToString(Newtonsoft.Json.Formatting.None)),
                        Is.EqualTo(expect.ToolCalls));
                    Assert.That(listener.All<AgentTranscript>().Where(t => !t.IsFinal).Select(t => t.Text), Is.EqualTo(expect.AgentTexts));
                    Assert.That(listener.All<AgentAudioDone>().Count, Is.EqualTo(expect.GenerationCompletes));
                    var usage = listener.All<UsageReported>().Select(u => u.Usage).ToList();
                    Assert.That(usage.Select(u => u.TotalTokens), Is.EqualTo(expect.UsageTotals));
                    Assert.That(usage.Select(u => u.InputTextTokens + u.InputAudioTokens), Is.EqualTo(expect.UsagePrompts));
                    Assert.That(listener.All<SessionStarted>().Single().SessionId, Is.EqualTo(expect.SessionId));
                    Assert.That(listener.All<ProviderError>(), Is.Empty, "no errors on a recorded session");
                    Assert.That(listener.All<Disconnected>().Single().ByClient, Is.True);
                }
            }
            finally
            {
                server.DisposeAsync().AsTask().Wait(Wait);
            }
        }

        static bool SpinUntil(Func<bool> f) => SpinWait.SpinUntil(f, Wait);

        static SessionConfig ConfigFrom(JObject setup, IReadOnlyList<RecordedFrame> session)
        {
            var config = new SessionConfig { Model = (string)setup["model"], InputTranscription = setup["inputAudioTranscription"] != null };
            if ((bool?)setup.SelectToken("realtimeInputConfig.automaticActivityDetection.disabled") == true)
                config.TurnDetection.Mode = TurnDetectionMode.Manual;
            foreach (var fd in setup.SelectTokens("tools[*].functionDeclarations[*]"))
                config.Tools.Add(new ToolDeclaration((string)fd["name"], (string)fd["description"], fd["parameters"]?.ToString() ?? "{}"));
            // clientContent seeds the conversation: the provider sends SessionConfig.History that way after setupComplete.
            foreach (var f in session.Where(f => f.FromClient))
                foreach (var turn in JObject.Parse(f.Json).SelectTokens("clientContent.turns[*]"))
                    config.History.Add(new HistoryItem((string)turn["role"] == "model" ? HistoryRole.Agent : HistoryRole.User,
                        string.Concat(turn["parts"].Select(p => (string)p["text"]))));
            return config;
        }

        static void Drive(GeminiLiveProvider provider, JObject frame, CancellationToken ct)
        {
            var kind = GeminiWireShape.Kind(frame);
            switch (kind)
            {
                case "clientContent": break; // sent by ConnectAsync from SessionConfig.History
                case "realtimeInput.audio":
                    var bytes = Convert.FromBase64String((string)frame.SelectToken("realtimeInput.audio.data"));
                    var pcm = new short[bytes.Length / 2];
                    Buffer.BlockCopy(bytes, 0, pcm, 0, pcm.Length * 2);
                    provider.SendAudioAsync(pcm, ct).AsTask().Wait(Wait);
                    break;
                case "realtimeInput.text": provider.SendTextAsync((string)frame.SelectToken("realtimeInput.text"), ct).Wait(Wait); break;
                case "realtimeInput.activityStart": provider.StartUserTurnAsync(ct).Wait(Wait); break;
                case "realtimeInput.activityEnd": provider.EndUserTurnAsync(ct).Wait(Wait); break;
                case "toolResponse":
                    foreach (var r in frame.SelectTokens("toolResponse.functionResponses[*]"))
                        provider.SendToolResultAsync((string)r["id"], (string)r["name"], r["response"].ToString(), ct).Wait(Wait);
                    break;
                default: Assert.Fail("no provider action produces " + kind); break;
            }
        }

        sealed class Expectation
        {
            public int AudioSamples, TurnCompletes, GenerationCompletes;
            public string SessionId;
            public readonly List<string> ToolCalls = new List<string>();
            public readonly List<string> AgentTexts = new List<string>();
            public readonly List<long> UsageTotals = new List<long>();
            public readonly List<long> UsagePrompts = new List<long>();
        }

        /// <summary>What the recorded server frames should produce, parsed with Json.NET (independent of the provider's reader).</summary>
        static Expectation Expected(IReadOnlyList<RecordedFrame> session)
        {
            var e = new Expectation();
            foreach (var f in session.Where(f => !f.FromClient))
            {
                var o = JObject.Parse(f.Json);
                if (o["setupComplete"] != null) e.SessionId = (string)o.SelectToken("setupComplete.sessionId");
                foreach (var part in o.SelectTokens("serverContent.modelTurn.parts[*]"))
                {
                    if (part["inlineData"] != null) e.AudioSamples += Convert.FromBase64String((string)part["inlineData"]["data"]).Length / 2;
                    if (part["text"] != null) e.AgentTexts.Add((string)part["text"]);
                }
                var ot = (string)o.SelectToken("serverContent.outputTranscription.text");
                if (ot != null) e.AgentTexts.Add(ot);
                if ((bool?)o.SelectToken("serverContent.turnComplete") == true) e.TurnCompletes++;
                if ((bool?)o.SelectToken("serverContent.generationComplete") == true) e.GenerationCompletes++;
                foreach (var call in o.SelectTokens("toolCall.functionCalls[*]"))
                    e.ToolCalls.Add((string)call["id"] + "/" + (string)call["name"] + "/" + call["args"].ToString(Newtonsoft.Json.Formatting.None));
                if (o["usageMetadata"] is JObject u)
                {
                    e.UsageTotals.Add((long)u["totalTokenCount"]);
                    e.UsagePrompts.Add((long)u["promptTokenCount"]);
                }
            }
            return e;
        }
    }
}
