using System;
using System.Linq;
using System.Threading;
using NUnit.Framework;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.Connection;
using Parley.Providers.Gemini;
using Parley.Tests.Support;
using Parley.Transport;

namespace Parley.Tests.Core.Providers.Gemini
{
    /// <summary>The Gemini provider as a mapper over the scripted transport and a hand-moved clock (no sockets).</summary>
    public class GeminiLiveProviderTests
    {
        static readonly TimeSpan T = EventRecorder.Bound;
        ScriptedWebSocketTransport _wire;
        ManualConnectionClock _clock;
        GeminiLiveProvider _provider;
        EventRecorder _events;

        [SetUp]
        public void SetUp()
        {
            _wire = new ScriptedWebSocketTransport();
            _clock = new ManualConnectionClock();
            _events = new EventRecorder();
            _provider = new GeminiLiveProvider(new StaticCredential("unit-test-placeholder"), new GeminiLiveOptions
            {
                TransportFactory = () => _wire,
                Clock = _clock,
                StallTimeout = TimeSpan.FromSeconds(10),
            });
        }

        [TearDown]
        public void TearDown() => _provider.Dispose();

        void Connect()
        {
            _wire.EnqueueText("{\"setupComplete\":{}}");
            Assert.That(_provider.ConnectAsync(new SessionConfig(), _events, CancellationToken.None).Wait(T), Is.True);
        }

        static string AudioMessage(short[] pcm)
        {
            var bytes = new byte[pcm.Length * 2];
            Buffer.BlockCopy(pcm, 0, bytes, 0, bytes.Length);
            return "{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"audio/pcm;rate=24000\",\"data\":\"" + Convert.ToBase64String(bytes) + "\"}}]}}}";
        }

        [Test]
        public void SetupThenAudioThenTurnComplete_MapToEvents()
        {
            Connect();
            Assert.That(_wire.Sent[0], Does.StartWith("{\"setup\""));
            Assert.That(_wire.ConnectedUri.Query, Does.Contain("key=unit-test-placeholder"));
            var pcm = Enumerable.Range(0, 480).Select(i => (short)(i * 31 - 7000)).ToArray();
            _wire.EnqueueText(AudioMessage(pcm));
            _wire.EnqueueText("{\"serverContent\":{\"turnComplete\":true}}");
            var done = _events.Wait<ResponseDone>();
            Assert.That(done.Status, Is.EqualTo(ResponseStatus.Completed));
            Assert.That(_events.Audio, Is.EqualTo(pcm));
            Assert.That(_events.All<ResponseStarted>().Single().ResponseId, Is.EqualTo(done.ResponseId));
        }

        [Test]
        public void AnythingBeforeSetupComplete_FailsConnectWithoutADisconnect()
        {
            _wire.EnqueueText(AudioMessage(new short[4]));
            var e = Assert.Throws<AggregateException>(() => _provider.ConnectAsync(new SessionConfig(), _events, CancellationToken.None).Wait(T)).InnerException as ProviderException;
            Assert.That(e.Kind, Is.EqualTo(ProviderErrorKind.Protocol));
            Assert.That(e.Code, Is.EqualTo("unexpected_message"));
            Assert.That(_events.All<Disconnected>(), Is.Empty);
        }

        [Test]
        public void Close1008WithAKeyReason_IsOneAuthenticationErrorThenOneDisconnectedCarryingIt()
        {
            Connect();
            _wire.EnqueueClose(1008, "API key not valid. Please pass a valid API key.");
            var gone = _events.Wait<Disconnected>();
            Assert.That(gone.Error.ErrorKind, Is.EqualTo(ProviderErrorKind.Authentication));
            Assert.That(gone.Recoverable, Is.False);
            Assert.That(_events.All<ProviderError>().Single(), Is.SameAs(gone.Error));
            _provider.Dispose();
            Assert.That(_events.All<Disconnected>().Count, Is.EqualTo(1));
        }

        [Test]
        public void AQuietPlayerIsNotAStall_ButASilentReplyIs()
        {
            Connect();
            _clock.Advance(TimeSpan.FromMinutes(5)); // nothing owed: no stall
            Assert.That(_provider.IsConnected, Is.True);
            Assert.That(_provider.SendTextAsync("Hello?", CancellationToken.None).Wait(T), Is.True);
            _clock.Advance(TimeSpan.FromSeconds(10));
            var gone = _events.Wait<Disconnected>();
            Assert.That(gone.Error.ErrorKind, Is.EqualTo(ProviderErrorKind.Stalled));
            Assert.That(gone.Error.Code, Is.EqualTo("stalled"));
            Assert.That(gone.Recoverable, Is.True);
        }

        [Test]
        public void GoAwayIsReportedOnce_AndSilencePastItsDeadlineEndsTheConnection()
        {
            Connect();
            _wire.EnqueueText("{\"goAway\":{\"timeLeft\":\"2s\"}}");
            _wire.EnqueueText("{\"goAway\":{\"timeLeft\":\"1s\"}}");
            _wire.EnqueueText("{\"usageMetadata\":{\"totalTokenCount\":1}}");
            _events.Wait<UsageReported>();
            Assert.That(_events.All<GoingAway>().Single().TimeLeft, Is.EqualTo(TimeSpan.FromSeconds(2)));
            _clock.Advance(TimeSpan.FromMilliseconds(6999));
            Assert.That(_events.All<Disconnected>(), Is.Empty, "before timeLeft + 5 s");
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            var gone = _events.Wait<Disconnected>();
            Assert.That(gone.Error.Code, Is.EqualTo("go_away_deadline"));
            Assert.That(gone.Error.ErrorKind, Is.EqualTo(ProviderErrorKind.Stalled));
        }

        /// <summary>
        /// Found by the gemini-events fuzz target: a functionCall whose id or name is not a string became a
        /// ToolCallRequested that SendToolResultAsync then refused (ArgumentException), so it could never be answered.
        /// </summary>
        [TestCase("{\"toolCall\":{\"functionCalls\":[{\"name\":\"open_door\",\"args\":{\"door\":\"north\"},\"id\":[1]},{\"name\":\"ring_bell\",\"args\":{},\"id\":\"function-call-2\"}]}}")]
        [TestCase("{\"toolCall\":{\"functionCalls\":[{\"name\":9223372036854775808,\"args\":{},\"id\":\"function-call-1\"},{\"name\":\"ring_bell\",\"args\":{},\"id\":\"function-call-2\"}]}}")]
        [TestCase("{\"toolCall\":{\"functionCalls\":[{},{\"name\":\"ring_bell\",\"args\":{},\"id\":\"function-call-2\"}]}}")]
        public void AToolCallWithoutAStringIdOrName_IsABadToolCallError_AndTheRestOfTheMessageStillCounts(string message)
        {
            Connect();
            _wire.EnqueueText(message);
            var call = _events.Wait<ToolCallRequested>();
            Assert.That(call.CallId, Is.EqualTo("function-call-2"));
            Assert.That(call.Name, Is.EqualTo("ring_bell"));
            Assert.That(_events.All<ToolCallRequested>(), Has.Count.EqualTo(1));
            var error = _events.All<ProviderError>().Single();
            Assert.That(error.Code, Is.EqualTo("bad_tool_call"));
            Assert.That(error.ErrorKind, Is.EqualTo(ProviderErrorKind.Protocol));
            Assert.That(error.IsFatal, Is.False);
            Assert.That(_provider.IsConnected, Is.True);
            Assert.That(_provider.SendToolResultAsync(call.CallId, call.Name, "{}", CancellationToken.None).Wait(T), Is.True);
        }
    }
}
