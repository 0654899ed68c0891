using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using NUnit.Framework;
using Parley.Providers;
using Parley.Providers.Llm;
using Parley.Providers.MiniCpmo;
using Parley.Providers.Riva;
using Parley.Servers.Llm;

namespace Parley.Tests.HostOnly.SelfHosted
{
    /// <summary>Unreachable hosts, wrong ports, TLS against plain servers: typed errors, never a hang.</summary>
    [TestFixture]
    public class SelfHostedBadInputTests
    {
        static int ClosedPort()
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            var port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            return port;
        }

        static ProviderException Fails(Func<System.Threading.Tasks.Task> action)
        {
            var task = action();
            if (System.Threading.Tasks.Task.WhenAny(task, System.Threading.Tasks.Task.Delay(20000)).Result != task) Assert.Fail("hung");
            return Assert.Throws<ProviderException>(() => task.GetAwaiter().GetResult());
        }

        static System.Threading.Tasks.Task Stream(ChatCompletionsClient client) =>
            client.StreamAsync(new[] { ChatMessage.User("hi") }, null, null, CancellationToken.None);

        [Test]
        public void LlmAtAClosedPortIsUnreachable()
        {
            using (var client = new ChatCompletionsClient(new ChatCompletionsOptions { BaseUri = new Uri("http://127.0.0.1:" + ClosedPort() + "/v1") }))
            {
                var e = Fails(() => Stream(client));
                Assert.That(e.Kind, Is.EqualTo(ProviderErrorKind.Transport));
                Assert.That(e.Code, Is.EqualTo("unreachable"));
            }
        }

        [Test]
        public void LlmOverTlsToAPlainServerIsATlsError()
        {
            var server = CascadeHarness.Run(ChatCompletionsServer.StartAsync(r => new ChatReply { Text = "hi" }));
            try
            {
                var https = new Uri("https://127.0.0.1:" + server.BaseUri.Port + "/v1");
                using (var client = new ChatCompletionsClient(new ChatCompletionsOptions { BaseUri = https }))
                {
                    var e = Fails(() => Stream(client));
                    Assert.That(e.Kind, Is.EqualTo(ProviderErrorKind.Transport));
                    Assert.That(e.Code, Is.EqualTo("tls"));
                }
            }
            finally { CascadeHarness.Run(server.DisposeAsync().AsTask()); }
        }

        [TestCase(401, ProviderErrorKind.Authentication)]
        [TestCase(429, ProviderErrorKind.RateLimited)]
        [TestCase(400, ProviderErrorKind.InvalidRequest)]
        [TestCase(503, ProviderErrorKind.Server)]
        public void LlmHttpErrorsAreTypedAndCarryTheServersMessage(int status, ProviderErrorKind kind)
        {
            var server = CascadeHarness.Run(ChatCompletionsServer.StartAsync(r => new ChatReply { Failure = ChatFailure.HttpStatus, Status = status }));
            try
            {
                using (var client = new ChatCompletionsClient(new ChatCompletionsOptions { BaseUri = server.BaseUri }))
                {
                    var e = Fails(() => Stream(client));
                    Assert.That(e.Kind, Is.EqualTo(kind));
                    Assert.That(e.Code, Is.EqualTo(status.ToString()));
                    Assert.That(e.Message, Does.Contain("scripted failure"));
                }
            }
            finally { CascadeHarness.Run(server.DisposeAsync().AsTask()); }
        }

        [Test]
        public void LlmThatNeverAnswersTimesOut()
        {
            // A listener that accepts TCP and says nothing.
            var silent = new TcpListener(IPAddress.Loopback, 0);
            silent.Start();
            try
            {
                var uri = new Uri("http://127.0.0.1:" + ((IPEndPoint)silent.LocalEndpoint).Port + "/v1");
                using (var client = new ChatCompletionsClient(new ChatCompletionsOptions { BaseUri = uri, ResponseTimeout = TimeSpan.FromSeconds(1) }))
                {
                    var e = Fails(() => Stream(client));
                    Assert.That(e.Kind, Is.EqualTo(ProviderErrorKind.Stalled));
                }
            }
            finally { silent.Stop(); }
        }

        [Test]
        public void PlainHttpToARemoteLlmIsRefusedWithoutOptIn()
        {
            var e = Assert.Throws<Parley.Transport.TransportException>(() => new ChatCompletionsClient(new ChatCompletionsOptions { BaseUri = new Uri("http://192.0.2.10:8000/v1") }));
            Assert.That(e.Kind, Is.EqualTo(Parley.Transport.TransportErrorKind.InsecureRefused));
        }

        [Test]
        public void NimAtAClosedPortIsUnreachable()
        {
            var asr = new NimRealtimeAsr(new NimRealtimeOptions { BaseUri = new Uri("ws://127.0.0.1:" + ClosedPort()) });
            var e = Fails(() => asr.StartAsync(new NullAsr(), CancellationToken.None));
            Assert.That(e.Kind, Is.EqualTo(ProviderErrorKind.Transport));
            Assert.That(e.Code, Is.EqualTo("unreachable"));
        }

        [Test]
        public void NimAtTheWrongPortIsARejectedUpgrade()
        {
            // The LLM server's port: HTTP answers, but /v1/realtime is not a WebSocket endpoint there.
            var server = CascadeHarness.Run(ChatCompletionsServer.StartAsync(r => new ChatReply()));
            try
            {
                var asr = new NimRealtimeAsr(new NimRealtimeOptions { BaseUri = new Uri("ws://127.0.0.1:" + server.BaseUri.Port) });
                var e = Fails(() => asr.StartAsync(new NullAsr(), CancellationToken.None));
                // The one error table: HTTP 404 at the upgrade is a wrong path/model, the same for every provider.
                Assert.That(e.Kind, Is.EqualTo(ProviderErrorKind.InvalidRequest));
                Assert.That(e.Code, Is.EqualTo("404"));
            }
            finally { CascadeHarness.Run(server.DisposeAsync().AsTask()); }
        }

        [Test]
        public void NimOverTlsToAPlainServerIsATlsError()
        {
            using (var h = CascadeHarness.Start())
            {
                var tts = new NimRealtimeTts(new NimRealtimeOptions { BaseUri = new Uri("wss://127.0.0.1:" + h.Nim.BaseUri.Port) });
                var e = Fails(() => tts.OpenAsync(new NullTts(), CancellationToken.None));
                Assert.That(e.Kind, Is.EqualTo(ProviderErrorKind.Transport));
                Assert.That(e.Code, Is.EqualTo("tls"));
            }
        }

        [Test]
        public void MiniCpmoAtAClosedPortIsUnreachable()
        {
            var p = new MiniCpmoProvider(new MiniCpmoOptions { BaseUri = new Uri("http://127.0.0.1:" + ClosedPort()) });
            var e = Fails(() => p.ConnectAsync(new SessionConfig(), new RecordingListener(), CancellationToken.None));
            Assert.That(e.Kind, Is.EqualTo(ProviderErrorKind.Transport));
            Assert.That(e.Code, Is.EqualTo("unreachable"));
            Assert.That(p.IsConnected, Is.False);
        }

        sealed class NullAsr : IAsrListener
        {
            public void OnPartial(string delta) { }
            public void OnFinal(string transcript, long userStopTimestamp) { }
            public void OnFailed(ProviderException error) { }
        }

        sealed class NullTts : ITtsSink
        {
            public void OnAudio(ReadOnlySpan<short> pcm) { }
            public void OnPhraseDone() { }
        }
    }
}
