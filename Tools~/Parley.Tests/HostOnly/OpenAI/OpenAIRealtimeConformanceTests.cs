using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.OpenAI;
using Parley.Servers.OpenAI;
using Parley.Transport;

namespace Parley.Tests.HostOnly.OpenAI
{
    /// <summary>
    /// The provider against the GA emulator over real loopback WebSockets. Every frame the emulator sends is
    /// checked against server-events.schema.json and every client frame against client-events.schema.json.
    /// </summary>
    [TestFixture]
    public partial class OpenAIRealtimeConformanceTests
    {
        static readonly TimeSpan T = TimeSpan.FromSeconds(20);
        const string Key = "sk-test-emulator-key";
        OpenAIRealtimeEmulator _emulator;
        OpenAIRealtimeProvider _provider;
        RecordingListener _listener;
        List<string> _log;

        [TearDown]
        public void TearDown()
        {
            _provider?.Dispose();
            _provider = null;
            if (_emulator != null)
            {
                var violations = _emulator.Violations.ToList();
                _emulator.DisposeAsync().AsTask().Wait(T);
                _emulator = null;
                Assert.That(violations, Is.Empty, "schema violations");
            }
        }

        OpenAIRealtimeEmulator Start(OpenAIRealtimeEmulatorOptions o)
        {
            o.ExpectedKey ??= Key;
            _emulator = OpenAIRealtimeEmulator.StartAsync(o).WaitAsync(T).GetAwaiter().GetResult();
            return _emulator;
        }

        OpenAIRealtimeProvider NewProvider(string key = Key, Action<OpenAIRealtimeOptions> configure = null)
        {
            _log = new List<string>();
            var options = new OpenAIRealtimeOptions
            {
                Credentials = new StaticCredential(key),
                BaseUrl = _emulator.Uri.ToString(),
                Log = m => { lock (_log) _log.Add(m); },
            };
            configure?.Invoke(options);
            _listener = new RecordingListener();
            return _provider = new OpenAIRealtimeProvider(options);
        }

        void Connect(SessionConfig config = null)
        {
            _provider.ConnectAsync(config ?? new SessionConfig(), _listener, CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();
        }

        void SendAudio(short[] pcm, int fromMs, int toMs, int chunkMs = 40)
        {
            var chunk = 24 * chunkMs;
            for (var s = fromMs * 24; s < Math.Min(pcm.Length, toMs * 24); s += chunk)
            {
                var n = Math.Min(chunk, Math.Min(pcm.Length, toMs * 24) - s);
                _provider.SendAudioAsync(new ReadOnlyMemory<short>(pcm, s, n), CancellationToken.None).AsTask().WaitAsync(T).GetAwaiter().GetResult();
            }
        }

        static ToolDeclaration Weather() => new ToolDeclaration("get_weather", "Weather at a place",
            "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}},\"required\":[\"location\"]}");

        [Test]
        public void Handshake_SessionUpdateIsSchemaValid_AndSessionStarts()
        {
            Start(new OpenAIRealtimeEmulatorOptions());
            NewProvider();
            var config = new SessionConfig { Instructions = "You are a blacksmith.", Voice = "marin", NoiseReduction = NoiseReduction.FarField, MaxOutputTokens = 500 };
            config.Tools.Add(Weather());
            config.TurnDetection.Mode = TurnDetectionMode.SemanticVad;
            config.TurnDetection.Eagerness = "low";
            Connect(config);
            Assert.That(_provider.IsConnected, Is.True);
            var started = _listener.WaitForEvent<SessionStarted>();
            Assert.That(started.Model, Is.EqualTo("gpt-realtime"));
            var update = _emulator.ClientEvents.First(e => e.Contains("\"session.update\""));
            Assert.That(update, Does.Contain("\"semantic_vad\"").And.Contain("\"eagerness\":\"low\"").And.Contain("\"far_field\"").And.Contain("\"get_weather\"").And.Contain("\"max_output_tokens\":500"));
        }

        [Test]
        public void History_IsReplayedAsSchemaValidItems_TheServerAddsThemAll()
        {
            Start(new OpenAIRealtimeEmulatorOptions());
            NewProvider();
            Connect(Parley.Tests.Core.Providers.OpenAI.OpenAIRealtimeProviderTests.WithHistory());
            var deadline = DateTime.UtcNow + T;
            while (_emulator.ServerEventTypes.Count(t => t == "conversation.item.done") < 5 && DateTime.UtcNow < deadline) Thread.Sleep(20);
            Assert.That(_emulator.ServerEventTypes.Count(t => t == "conversation.item.added"), Is.EqualTo(5));
            Assert.That(_emulator.ServerEventTypes, Does.Not.Contain("error"));
            Assert.That(_emulator.ClientEvents.Count(e => e.Contains("\"conversation.item.create\"")), Is.EqualTo(5));
            Assert.That(_emulator.ServerEventTypes, Does.Not.Contain("response.created"));
        }

        [Test]
        public void ServerVad_ThreeTurns_MatchGroundTruth_AndRepliesArriveWithTranscriptsAndUsage()
        {
            var segments = OpenAITestAudio.Segments();
            Start(new OpenAIRealtimeEmulatorOptions { UserTranscripts = segments.Select(s => s.Text).ToArray() });
            NewProvider();
            Connect(new SessionConfig { InputTranscription = true });
            var pcm = OpenAITestAudio.UserTurns24k();
            var from = 0;
            for (var i = 0; i < segments.Length; i++)
            {
                var to = i + 1 < segments.Length ? (segments[i].EndMs + segments[i + 1].StartMs) / 2 : pcm.Length / 24;
                SendAudio(pcm, from, to);
                from = to;
                var n = i + 1;
                _listener.WaitFor(l => l.All<ResponseDone>().Count == n, 20, "response " + n);
            }
            var starts = _listener.All<UserSpeechStarted>();
            var stops = _listener.All<UserSpeechStopped>();
            Assert.That(starts.Count, Is.EqualTo(3));
            Assert.That(stops.Count, Is.EqualTo(3));
            for (var i = 0; i < 3; i++)
            {
                // speech_started reports the start minus the 300 ms prefix padding; stopped the end of speech.
                Assert.That(starts[i].AudioStartMs, Is.EqualTo(segments[i].StartMs - 300).Within(120), "start " + i);
                Assert.That(stops[i].AudioEndMs, Is.EqualTo(segments[i].EndMs).Within(150), "end " + i);
            }
            var finals = _listener.All<UserTranscript>().Where(t => t.IsFinal).Select(t => t.Text).ToArray();
            Assert.That(finals, Is.EqualTo(segments.Select(s => s.Text).ToArray()));
            var done = _listener.All<ResponseDone>();
            Assert.That(done.All(d => d.Status == ResponseStatus.Completed), Is.True);
            // Every reply's audio arrived whole, tagged by its item.
            var audio = _listener.Audio;
            Assert.That(audio.Count, Is.EqualTo(3));
            Assert.That(audio.Values.Select(a => a.Length).ToArray(), Is.EqualTo(new[] { "npc-greeting", "npc-price", "npc-quest" }.Select(id => _emulator.Clips[id].Length).ToArray()));
            Assert.That(audio.Values.First(), Is.EqualTo(_emulator.Clips["npc-greeting"]));
            var agentFinal = _listener.All<AgentTranscript>().Where(t => t.IsFinal).Select(t => t.Text).ToArray();
            Assert.That(agentFinal[0], Is.EqualTo(OpenAIRealtimeEmulator.DefaultReplyTexts["npc-greeting"]));
            var usage = _listener.All<UsageReported>();
            Assert.That(usage.Count(u => u.Source == "response"), Is.EqualTo(3));
            Assert.That(usage.Count(u => u.Source == "transcription"), Is.EqualTo(3));
            var response = usage.First(u => u.Source == "response");
            Assert.That(response.Usage.OutputAudioTokens, Is.GreaterThan(0));
            Assert.That(response.EstimatedCostUsd, Is.GreaterThan(0));
        }

        [Test]
        public void BargeIn_ClientInterrupt_CancelsAndTruncatesAtPlayedMs()
        {
            // Held after 600 ms (a gate, not pacing): the interrupt lands mid-reply however late the test thread runs.
            Start(new OpenAIRealtimeEmulatorOptions { PlaybackSpeed = 1, HoldReplyAfterChunks = 6 });
            NewProvider();
            Connect(new SessionConfig());
            _provider.SendTextAsync("Hello there", CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();
            _listener.WaitFor(l => l.Audio.Values.Any(a => a.Length >= 24 * 600), 20, "600 ms of reply audio");
            var item = _listener.Audio.Keys.Single();
            var received = _provider.ReceivedMs(item);
            Assert.That(received, Is.GreaterThanOrEqualTo(600));
            _provider.InterruptAsync(new InterruptRequest(item, 400), CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();
            var done = _listener.WaitForEvent<ResponseDone>();
            Assert.That(done.Status, Is.EqualTo(ResponseStatus.Cancelled));
            Assert.That(done.Reason, Is.EqualTo("client_cancelled"));
            WaitClient(e => e.Contains("conversation.item.truncate"));
            var truncate = _emulator.ClientEvents.Single(e => e.Contains("conversation.item.truncate"));
            Assert.That(truncate, Does.Contain("\"audio_end_ms\":400").And.Contain(item));
            WaitServer("conversation.item.truncated");
            Assert.That(_listener.All<ProviderError>(), Is.Empty);
        }

        [Test]
        public void BargeIn_PlayedBeyondReceived_ClampsToReceived_SoTheServerAccepts()
        {
            Start(new OpenAIRealtimeEmulatorOptions { PlaybackSpeed = 1, HoldReplyAfterChunks = 3 });
            NewProvider();
            Connect(new SessionConfig());
            _provider.SendTextAsync("Hello there", CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();
            _listener.WaitFor(l => l.Audio.Values.Any(a => a.Length >= 24 * 300), 20, "300 ms of reply audio");
            var item = _listener.Audio.Keys.Single();
            // A playout clock that overshoots (pipecat#2106) must not produce audio_end_ms past what the server sent.
            _provider.InterruptAsync(new InterruptRequest(item, 60000), CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();
            WaitServer("conversation.item.truncated");
            var truncate = _emulator.ClientEvents.Single(e => e.Contains("conversation.item.truncate"));
            var endMs = int.Parse(System.Text.RegularExpressions.Regex.Match(truncate, "\"audio_end_ms\":(\\d+)").Groups[1].Value);
            Assert.That(endMs, Is.LessThan(60000).And.GreaterThanOrEqualTo(300));
            Assert.That(_listener.All<ProviderError>(), Is.Empty);
        }

        [Test]
        public void BargeIn_ServerVad_CancelsWithTurnDetected_AndClientDoesNotDoubleCancel()
        {
            var segments = OpenAITestAudio.Segments();
            // Held after 300 ms until the server's VAD cancels it: the player's speech always lands mid-reply.
            Start(new OpenAIRealtimeEmulatorOptions { PlaybackSpeed = 1, HoldReplyAfterChunks = 3 });
            NewProvider();
            Connect(new SessionConfig());
            _provider.SendTextAsync("Tell me a story", CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();
            _listener.WaitFor(l => l.Audio.Values.Any(a => a.Length >= 24 * 300), 20, "reply audio");
            var item = _listener.Audio.Keys.Single();
            // The player talks over the reply: the first utterance of the fixture.
            var pcm = OpenAITestAudio.UserTurns24k();
            _listener.OnEventHook = e =>
            {
                if (e is UserSpeechStarted)
                    Task.Run(() => _provider.InterruptAsync(new InterruptRequest(item, Math.Max(0, _provider.ReceivedMs(item) - 100)), CancellationToken.None));
            };
            SendAudio(pcm, segments[0].StartMs - 200, segments[0].StartMs + 400);
            var done = _listener.WaitForEvent<ResponseDone>();
            Assert.That(done.Status, Is.EqualTo(ResponseStatus.Interrupted));
            Assert.That(done.Reason, Is.EqualTo("turn_detected"));
            WaitServer("conversation.item.truncated");
            Assert.That(_emulator.ClientEvents.Any(e => e.Contains("\"response.cancel\"")), Is.False, "server VAD already cancelled");
            Assert.That(_listener.All<ProviderError>(), Is.Empty);
        }

        [Test]
        public void ToolCall_ResultIsSent_ThenResponseCreate_AndTheAgentContinues()
        {
            Start(new OpenAIRealtimeEmulatorOptions { ToolCallOnTurn = 1, ToolArgumentsJson = "{\"location\":\"Riverwood\"}" });
            NewProvider();
            var config = new SessionConfig();
            config.Tools.Add(Weather());
            Connect(config);
            _provider.SendTextAsync("What is the weather in Riverwood?", CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();
            var call = _listener.WaitForEvent<ToolCallRequested>();
            Assert.That(call.Name, Is.EqualTo("get_weather"));
            Assert.That(call.ArgumentsJson, Is.EqualTo("{\"location\":\"Riverwood\"}"));
            _listener.WaitFor(l => l.All<ResponseDone>().Count == 1, 20, "the function-call response");
            _provider.SendToolResultAsync(call.CallId, call.Name, "{\"temp_c\":21}", CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();
            _listener.WaitFor(l => l.All<ResponseDone>().Count == 2, 20, "the spoken answer");
            Assert.That(_listener.Audio.Count, Is.EqualTo(1));
            var client = _emulator.ClientEvents.ToList();
            var output = client.FindIndex(e => e.Contains("function_call_output") && e.Contains(call.CallId));
            Assert.That(output, Is.GreaterThan(0));
            Assert.That(client.Skip(output + 1).First(), Does.Contain("\"response.create\""));
            Assert.That(_listener.All<ProviderError>(), Is.Empty);
        }

        [Test]
        public void ToolCall_ResultWhileResponseActive_QueuesResponseCreateUntilDone()
        {
            Start(new OpenAIRealtimeEmulatorOptions { ToolCallOnTurn = 1, SpeakAfterToolCall = true, PlaybackSpeed = 2 });
            NewProvider();
            var config = new SessionConfig();
            config.Tools.Add(Weather());
            Connect(config);
            ToolCallRequested call = null;
            _listener.OnEventHook = e =>
            {
                if (e is ToolCallRequested c)
                {
                    call = c;
                    Task.Run(() => _provider.SendToolResultAsync(c.CallId, c.Name, "{\"temp_c\":3}", CancellationToken.None));
                }
            };
            _provider.SendTextAsync("weather?", CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();
            _listener.WaitFor(l => l.All<ResponseDone>().Count == 2, 30, "both responses");
            Assert.That(call, Is.Not.Null);
            // The emulator answers an early response.create with conversation_already_has_active_response.
            Assert.That(_listener.All<ProviderError>(), Is.Empty);
            Assert.That(_emulator.ClientEvents.Count(e => e.Contains("\"response.create\"")), Is.EqualTo(2));
            Assert.That(_listener.All<ResponseDone>().All(d => d.Status == ResponseStatus.Completed), Is.True);
        }

        [Test]
        public void ManualTurns_CommitAndResponseCreate_NoServerVadEvents()
        {
            var segments = OpenAITestAudio.Segments();
            Start(new OpenAIRealtimeEmulatorOptions());
            NewProvider();
            var config = new SessionConfig();
            config.TurnDetection.Mode = TurnDetectionMode.Manual;
            Connect(config);
            var pcm = OpenAITestAudio.UserTurns24k();
            _provider.StartUserTurnAsync(CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();
            SendAudio(pcm, segments[0].StartMs, segments[0].EndMs);
            _provider.EndUserTurnAsync(CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();
            var done = _listener.WaitForEvent<ResponseDone>();
            Assert.That(done.Status, Is.EqualTo(ResponseStatus.Completed));
            Assert.That(_listener.All<UserSpeechStarted>(), Is.Empty);
            Assert.That(_listener.Audio.Count, Is.EqualTo(1));
            Assert.That(_emulator.ServerEventTypes, Does.Contain("input_audio_buffer.committed").And.Contain("input_audio_buffer.cleared"));
        }

        [Test]
        public void ErrorEvent_IsTyped_NotFatal_AndTheSessionContinues()
        {
            Start(new OpenAIRealtimeEmulatorOptions());
            NewProvider();
            var config = new SessionConfig();
            config.TurnDetection.Mode = TurnDetectionMode.Manual;
            Connect(config);
            // Committing an empty buffer is a real protocol error the server reports with a code.
            _provider.SendTextAsync("x", CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();
            _listener.WaitForEvent<ResponseDone>();
            _provider.EndUserTurnAsync(CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();
            var error = _listener.WaitForEvent<ProviderError>();
            Assert.That(error.ErrorKind, Is.EqualTo(ProviderErrorKind.InvalidRequest));
            Assert.That(error.Code, Is.EqualTo("input_audio_buffer_commit_empty"));
            Assert.That(error.IsFatal, Is.False);
            Assert.That(_provider.IsConnected, Is.True);
        }

        [Test]
        public void RateLimitedResponses_AreReportedWithLimits()
        {
            Start(new OpenAIRealtimeEmulatorOptions { Fault = EmulatorFault.RateLimitResponses });
            NewProvider();
            Connect();
            _provider.SendTextAsync("hi", CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();
            var error = _listener.WaitForEvent<ProviderError>();
            Assert.That(error.ErrorKind, Is.EqualTo(ProviderErrorKind.RateLimited));
            Assert.That(error.Code, Is.EqualTo("rate_limit_exceeded"));
            var limits = _listener.All<RateLimitsUpdated>();
            Assert.That(limits.Select(l => l.Name), Is.EquivalentTo(new[] { "requests", "tokens" }));
            Assert.That(limits.All(l => l.Remaining == 0 && l.ResetSeconds > 20), Is.True);
        }

        [TestCase(401, ProviderErrorKind.Authentication)]
        [TestCase(429, ProviderErrorKind.RateLimited)]
        [TestCase(503, ProviderErrorKind.Server)]
        public void UpgradeRejection_IsTyped(int status, ProviderErrorKind kind)
        {
            Start(new OpenAIRealtimeEmulatorOptions { RejectUpgradeStatus = status });
            NewProvider();
            var e = Assert.Throws<ProviderException>(() => Connect());
            Assert.That(e.Kind, Is.EqualTo(kind));
            Assert.That(e.Code, Is.EqualTo(status.ToString()));
        }

        [Test]
        public void WrongKey_Is401Authentication_AndTheKeyIsNotInTheMessage()
        {
            Start(new OpenAIRealtimeEmulatorOptions());
            NewProvider("sk-wrong-key-123456");
            var e = Assert.Throws<ProviderException>(() => Connect());
            Assert.That(e.Kind, Is.EqualTo(ProviderErrorKind.Authentication));
            Assert.That(e.ToString(), Does.Not.Contain("sk-wrong-key-123456"));
        }

        [Test]
        public void SubprotocolAuth_ForWebGL_IsAccepted()
        {
            Start(new OpenAIRealtimeEmulatorOptions());
            NewProvider(Key, o => o.AuthInSubprotocol = true);
            Connect();
            Assert.That(_provider.IsConnected, Is.True);
            Assert.That(_emulator.LastSubProtocols, Is.EqualTo("realtime,openai-insecure-api-key.(hidden)"));
        }

        [Test]
        public void MalformedJson_IsAProtocolError_Skipped_AndTheReplyCompletes()
        {
            Start(new OpenAIRealtimeEmulatorOptions { Fault = EmulatorFault.MalformedJsonMidReply });
            NewProvider();
            Connect();
            _provider.SendTextAsync("hi", CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();
            var done = _listener.WaitForEvent<ResponseDone>();
            Assert.That(done.Status, Is.EqualTo(ResponseStatus.Completed));
            var errors = _listener.All<ProviderError>();
            Assert.That(errors.Count, Is.EqualTo(1));
            Assert.That(errors[0].ErrorKind, Is.EqualTo(ProviderErrorKind.Protocol));
            Assert.That(errors[0].IsFatal, Is.False);
            Assert.That(_listener.Audio.Values.Single().Length, Is.EqualTo(_emulator.Clips["npc-greeting"].Length));
        }

        [Test]
        public void DroppedSocketMidReply_RaisesTransportErrorAndDisconnected()
        {
            Start(new OpenAIRealtimeEmulatorOptions { Fault = EmulatorFault.DropMidReply });
            NewProvider();
            Connect();
            _provider.SendTextAsync("hi", CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();
            var gone = _listener.WaitForEvent<Disconnected>();
            Assert.That(gone.ByClient, Is.False);
            Assert.That(gone.Error.ErrorKind, Is.EqualTo(ProviderErrorKind.Transport));
            Assert.That(gone.Recoverable, Is.True);
            Assert.That(_listener.All<ProviderError>().Single(), Is.SameAs(gone.Error));
            Assert.That(_provider.ResponseActive, Is.False);
            // Frames in flight when the TCP connection is reset may be lost; what arrived is a prefix of the reply.
            var got = _listener.Audio.Values.Single();
            Assert.That(got.Length, Is.GreaterThan(0).And.LessThanOrEqualTo(3 * 2400));
            Assert.That(got, Is.EqualTo(_emulator.Clips["npc-greeting"].Take(got.Length).ToArray()));
        }

        [Test]
        public void StalledServer_RaisesStalledAndDisconnects()
        {
            Start(new OpenAIRealtimeEmulatorOptions { Fault = EmulatorFault.StallMidReply });
            NewProvider(Key, o => o.StallTimeout = TimeSpan.FromSeconds(1));
            Connect();
            _provider.SendTextAsync("hi", CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();
            var gone = _listener.WaitForEvent<Disconnected>();
            Assert.That(gone.ByClient, Is.False);
            Assert.That(gone.Error.ErrorKind, Is.EqualTo(ProviderErrorKind.Stalled));
            Assert.That(gone.Recoverable, Is.True);
        }

        [Test]
        public void Close1011MidReply_IsAServerError()
        {
            Start(new OpenAIRealtimeEmulatorOptions { Fault = EmulatorFault.Close1011MidReply });
            NewProvider();
            Connect();
            _provider.SendTextAsync("hi", CancellationToken.None).WaitAsync(T).GetAwaiter().GetResult();
            var gone = _listener.WaitForEvent<Disconnected>();
            Assert.That(gone.CloseStatus, Is.EqualTo(1011));
            var error = gone.Error;
            Assert.That(_listener.All<ProviderError>().Single(), Is.SameAs(error));
            Assert.That(error.ErrorKind, Is.EqualTo(ProviderErrorKind.Server));
            Assert.That(error.Code, Is.EqualTo("1011"));
        }

        [Test]
        public void Close1007OnSessionUpdate_FailsConnectAsInvalidRequest()
        {
            Start(new OpenAIRealtimeEmulatorOptions { Fault = EmulatorFault.Close1007OnSessionUpdate });
            NewProvider();
            var e = Assert.Throws<ProviderException>(() => Connect());
            Assert.That(e.Kind, Is.EqualTo(ProviderErrorKind.InvalidRequest));
            Assert.That(e.Code, Is.EqualTo("1007"));
        }

        [Test]
        public void BetaShapedConnection_GetsClose4000_BetaApiShapeDisabled()
        {
            Start(new OpenAIRealtimeEmulatorOptions());
            NewProvider(Key, o => o.TransportFactory = () => new HeaderAddingTransport(new ClientWebSocketTransport(), "OpenAI-Beta", "realtime=v1"));
            var e = Assert.Throws<ProviderException>(() => Connect());
            Assert.That(e.Kind, Is.EqualTo(ProviderErrorKind.InvalidRequest));
            Assert.That(e.Code, Is.EqualTo("beta_api_shape_disabled"));
            // A connection that never opened ends in the exception only: no Disconnected to trigger a second reconnect.
            Assert.That(_listener.All<Disconnected>(), Is.Empty);
        }

        void WaitClient(Func<string, bool> match)
        {
            var deadline = DateTime.UtcNow + T;
            while (!_emulator.ClientEvents.Any(match))
            {
                if (DateTime.UtcNow > deadline) Assert.Fail("The emulator never received the expected client event.");
                Thread.Sleep(20);
            }
        }

        void WaitServer(string type)
        {
            var deadline = DateTime.UtcNow + T;
            while (!_emulator.ServerEventTypes.Contains(type))
            {
                if (DateTime.UtcNow > deadline) Assert.Fail("The emulator never sent " + type + ".");
                Thread.Sleep(20);
            }
        }

        /// <summary>Adds a header to every connect (to reproduce a beta-shaped client).</summary>
        sealed class HeaderAddingTransport : IWebSocketTransport
        {
            readonly IWebSocketTransport _inner;
            readonly string _name, _value;
            public HeaderAddingTransport(IWebSocketTransport inner, string name, string value) { _inner = inner; _name = name; _value = value; }
            public bool IsOpen => _inner.IsOpen;
            public string SubProtocol => _inner.SubProtocol;
            public Task ConnectAsync(Uri uri, WebSocketConnectOptions options, CancellationToken ct)
            {
                options.Headers.Add(new KeyValuePair<string, string>(_name, _value));
                return _inner.ConnectAsync(uri, options, ct);
            }
            public ValueTask SendAsync(ReadOnlyMemory<byte> message, MessageKind kind, CancellationToken ct) => _inner.SendAsync(message, kind, ct);
            public ValueTask<ReceivedMessage> ReceiveAsync(MessageBuffer buffer, CancellationToken ct) => _inner.ReceiveAsync(buffer, ct);
            public Task CloseAsync(int status, string reason, CancellationToken ct) => _inner.CloseAsync(status, reason, ct);
            public void Dispose() => _inner.Dispose();
        }
    }
}
