using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.OpenAI;
using Parley.Transport;

namespace Parley.Tests.HostOnly.Transport
{
    /// <summary>
    /// The whole send path of a capture frame through the connection skeleton (send lane, frame build, transport
    /// call) allocates nothing in steady state when the transport completes synchronously.
    /// </summary>
    public class SendAudioAllocationTests
    {
        /// <summary>Accepts the session, then is silent; sends complete at once and are only counted.</summary>
        sealed class CountingTransport : IWebSocketTransport
        {
            readonly byte[] _accept;
            int _received;
            public CountingTransport(string accept) { _accept = Encoding.UTF8.GetBytes(accept); }
            public long SentBytes;
            public bool IsOpen => true;
            public string SubProtocol => null;
            public Task ConnectAsync(Uri uri, WebSocketConnectOptions options, CancellationToken cancellationToken) => Task.CompletedTask;

            public ValueTask SendAsync(ReadOnlyMemory<byte> message, MessageKind kind, CancellationToken cancellationToken)
            {
                SentBytes += message.Length;
                return default;
            }

            public async ValueTask<ReceivedMessage> ReceiveAsync(MessageBuffer buffer, CancellationToken cancellationToken)
            {
                if (Interlocked.Increment(ref _received) == 1)
                {
                    buffer.Reset();
                    buffer.Write(_accept);
                    return new ReceivedMessage(MessageKind.Text, buffer.Count);
                }
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                return default;
            }

            public Task CloseAsync(int status, string reason, CancellationToken cancellationToken) => Task.CompletedTask;
            public void Dispose() { }
        }

        sealed class NullListener : IProviderListener
        {
            public void OnEvent(ProviderEvent e) { }
            public void OnAudio(string itemId, ReadOnlySpan<short> pcm) { }
        }

        [TestCase(OpenAIAudioEncoding.Pcm24k, 480)]
        [TestCase(OpenAIAudioEncoding.Pcmu, 160)]
        public void SendAudioAsync_AllocatesZeroBytesPerFrame(OpenAIAudioEncoding encoding, int samples)
        {
            var transport = new CountingTransport("{\"type\":\"session.updated\",\"event_id\":\"e1\",\"session\":{\"type\":\"realtime\"}}");
            using (var provider = new OpenAIRealtimeProvider(new OpenAIRealtimeOptions
            {
                Credentials = new StaticCredential("unit-test-placeholder"),
                TransportFactory = () => transport,
                InputEncoding = encoding,
            }))
            {
                Assert.That(provider.ConnectAsync(new SessionConfig(), new NullListener(), CancellationToken.None).Wait(10000), Is.True);
                Assert.That(AllocatedPerHundredFrames(provider, samples), Is.EqualTo(0));
                Assert.That(transport.SentBytes, Is.GreaterThan(200L * samples), "every frame reached the transport");
            }
        }

        [Test]
        public void Gemini_SendAudioAsync_AllocatesZeroBytesPerFrame()
        {
            var transport = new CountingTransport("{\"setupComplete\":{}}");
            using (var provider = new Parley.Providers.Gemini.GeminiLiveProvider(new StaticCredential("unit-test-placeholder"),
                       new Parley.Providers.Gemini.GeminiLiveOptions { TransportFactory = () => transport }))
            {
                Assert.That(provider.ConnectAsync(new SessionConfig(), new NullListener(), CancellationToken.None).Wait(10000), Is.True);
                Assert.That(AllocatedPerHundredFrames(provider, 320), Is.EqualTo(0));
                Assert.That(transport.SentBytes, Is.GreaterThan(200L * 320), "every frame reached the transport");
            }
        }

        static long AllocatedPerHundredFrames(IVoiceProvider provider, int samples)
        {
                var frame = new ReadOnlyMemory<short>(new short[samples]);
                long allocated = 0;
                var synchronous = true;
                // The first pass JIT-compiles and sizes the buffers; the second is measured.
                for (var pass = 0; pass < 2; pass++)
                {
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    for (var i = 0; i < 100; i++)
                    {
                        var t = provider.SendAudioAsync(frame, CancellationToken.None);
                        synchronous &= t.IsCompletedSuccessfully;
                    }
                    allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                }
                Assert.That(synchronous, Is.True);
                return allocated;
        }
    }
}
