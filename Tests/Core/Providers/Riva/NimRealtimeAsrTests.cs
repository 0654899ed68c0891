using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using NUnit.Framework;
using Parley.Providers;
using Parley.Providers.Connection;
using Parley.Providers.Riva;
using Parley.Transport;

namespace Parley.Tests.Core.Providers.Riva
{
    /// <summary>The NIM realtime recogniser over the scripted transport (no sockets): the server-first handshake and its events.</summary>
    public class NimRealtimeAsrTests : IAsrListener
    {
        static readonly TimeSpan T = TimeSpan.FromSeconds(10);
        readonly List<string> _seen = new List<string>();
        readonly SemaphoreSlim _signal = new SemaphoreSlim(0);
        ScriptedWebSocketTransport _wire;
        NimRealtimeAsr _asr;

        public void OnPartial(string delta) => Add("partial:" + delta);
        public void OnFinal(string transcript, long userStopTimestamp) => Add("final:" + transcript);
        public void OnFailed(ProviderException error) => Add("failed:" + error.Kind + ":" + error.Code);

        void Add(string s)
        {
            lock (_seen) _seen.Add(s);
            _signal.Release();
        }

        void WaitSeen(int count)
        {
            while (true)
            {
                lock (_seen) if (_seen.Count >= count) return;
                Assert.That(_signal.Wait(T), Is.True, "nothing more from the recogniser");
            }
        }

        [SetUp]
        public void SetUp()
        {
            lock (_seen) _seen.Clear();
            _wire = new ScriptedWebSocketTransport();
            _asr = new NimRealtimeAsr(new NimRealtimeOptions { BaseUri = new Uri("ws://127.0.0.1:9000"), TransportFactory = () => _wire, Clock = new ManualConnectionClock() });
        }

        [TearDown]
        public void TearDown() => _asr.Dispose();

        [Test]
        public void TheServerSpeaksFirst_TheSessionIsSetAfterIt_AndTranscriptsReachTheListener()
        {
            _wire.EnqueueText("{\"type\":\"conversation.created\",\"conversation\":{\"id\":\"c1\"}}");
            _wire.EnqueueText("{\"type\":\"transcription_session.updated\",\"session\":{}}");
            Assert.That(_asr.StartAsync(this, CancellationToken.None).Wait(T), Is.True);
            Assert.That(_wire.ConnectedUri.ToString(), Is.EqualTo("ws://127.0.0.1:9000/v1/realtime?intent=transcription"));
            Assert.That(_wire.Sent.Single(), Does.Contain("\"transcription_session.update\""));
            _wire.EnqueueText("{\"type\":\"conversation.item.input_audio_transcription.delta\",\"delta\":\"How much\"}");
            _wire.EnqueueText("{\"type\":\"conversation.item.input_audio_transcription.completed\",\"transcript\":\" How much for the sword? \",\"is_last_result\":false}");
            WaitSeen(2);
            lock (_seen) Assert.That(_seen, Is.EqualTo(new[] { "partial:How much", "final:How much for the sword?" }));
        }

        [Test]
        public void AnErrorEventDuringTheHandshakeFailsStart()
        {
            _wire.EnqueueText("{\"type\":\"conversation.created\"}");
            _wire.EnqueueText("{\"type\":\"error\",\"error\":{\"message\":\"invalid api key\",\"code\":\"unauthorized\"}}");
            var e = Assert.Throws<AggregateException>(() => _asr.StartAsync(this, CancellationToken.None).Wait(T)).InnerException as ProviderException;
            Assert.That(e.Kind, Is.EqualTo(ProviderErrorKind.Authentication));
            Assert.That(e.Message, Does.Contain("invalid api key"));
        }

        [TestCase(1011, ProviderErrorKind.Server)]
        [TestCase(1008, ProviderErrorKind.InvalidRequest)]
        public void ACloseAfterTheHandshakeIsOneTypedFailure(int status, ProviderErrorKind kind)
        {
            _wire.EnqueueText("{\"type\":\"conversation.created\"}");
            _wire.EnqueueText("{\"type\":\"transcription_session.updated\"}");
            Assert.That(_asr.StartAsync(this, CancellationToken.None).Wait(T), Is.True);
            _wire.EnqueueClose(status, "scripted");
            WaitSeen(1);
            _asr.Dispose();
            lock (_seen) Assert.That(_seen, Is.EqualTo(new[] { "failed:" + kind + ":" + status }));
        }
    }
}
