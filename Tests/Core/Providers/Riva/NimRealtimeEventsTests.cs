using System;
using System.Collections.Generic;
using System.Threading;
using NUnit.Framework;
using Parley.Providers;
using Parley.Providers.Riva;
using Parley.Transport;

namespace Parley.Tests.Providers.Riva
{
    /// <summary>
    /// NIM realtime events with fields of the wrong type, found by fuzzing (Tools~/Parley.Fuzz, target nim-events):
    /// a non-string "type" threw ArgumentException inside the receive loop, which then died without telling the
    /// listener, and the turn waited for its timeout. Over the scripted transport: no sockets, runs in Unity too.
    /// </summary>
    public class NimRealtimeEventsTests
    {
        static readonly TimeSpan T = TimeSpan.FromSeconds(30);

        sealed class Listener : IAsrListener
        {
            public readonly List<string> Partials = new List<string>();
            public readonly List<string> Finals = new List<string>();
            public readonly List<long> Stops = new List<long>();
            public ProviderException Failed;
            public readonly SemaphoreSlim Calls = new SemaphoreSlim(0);
            public void OnPartial(string delta) { lock (Partials) Partials.Add(delta); Calls.Release(); }
            public void OnFinal(string transcript, long userStopTimestamp) { lock (Partials) { Finals.Add(transcript); Stops.Add(userStopTimestamp); } Calls.Release(); }
            public void OnFailed(ProviderException error) { Failed = error; Calls.Release(); }
        }

        /// <summary>An ASR stage past its handshake, on the scripted transport.</summary>
        static NimRealtimeAsr Started(Listener listener, out ScriptedWebSocketTransport wire)
        {
            var scripted = wire = new ScriptedWebSocketTransport();
            wire.EnqueueText("{\"type\":\"conversation.created\",\"conversation\":{\"id\":\"c\"}}");
            wire.EnqueueText("{\"type\":\"transcription_session.updated\",\"session\":{}}");
            var asr = new NimRealtimeAsr(new NimRealtimeOptions { BaseUri = new Uri("ws://127.0.0.1:9"), TransportFactory = () => scripted });
            Assert.That(asr.StartAsync(listener, CancellationToken.None).Wait(T), Is.True);
            return asr;
        }

        [Test]
        public void Events_with_fields_of_the_wrong_type_are_read_as_absent_and_the_stream_goes_on()
        {
            var listener = new Listener();
            using (var asr = Started(listener, out var wire))
            {
                wire.EnqueueText("{\"type\":[{}],\"delta\":\"lost\"}");
                wire.EnqueueText("{\"type\":{\"a\":\"error\"},\"error\":{\"message\":[1]}}");
                wire.EnqueueText("{\"type\":\"conversation.item.input_audio_transcription.delta\",\"delta\":[\"x\"]}");
                wire.EnqueueText("{\"type\":\"conversation.item.input_audio_transcription.completed\",\"transcript\":\"hello\",\"is_last_result\":\"yes\",\"words_info\":{\"words\":[1,\"end_time\"]}}");
                wire.EnqueueText("{\"type\":\"conversation.item.input_audio_transcription.delta\",\"delta\":\"next\"}");
                // Each call releases once: the final, then the partial after it (a dead loop never makes the second).
                Assert.That(listener.Calls.Wait(T) && listener.Calls.Wait(T), Is.True, "the receive loop stopped");
                Assert.That(listener.Failed, Is.Null);
                Assert.That(listener.Finals, Is.EqualTo(new[] { "hello" }));
                Assert.That(listener.Stops, Is.EqualTo(new[] { 0L }), "no usable end_time");
                Assert.That(listener.Partials, Is.EqualTo(new[] { "next" }));
            }
        }

        [Test]
        public void An_error_event_with_fields_of_the_wrong_type_is_still_a_typed_server_error()
        {
            var listener = new Listener();
            using (var asr = Started(listener, out var wire))
            {
                wire.EnqueueText("{\"type\":\"error\",\"error\":{\"message\":[1],\"code\":{},\"type\":\"server_error\"}}");
                Assert.That(listener.Calls.Wait(T), Is.True);
                Assert.That(listener.Failed.Kind, Is.EqualTo(ProviderErrorKind.Server));
                Assert.That(listener.Failed.Code, Is.EqualTo("server_error"));
            }
        }
    }
}
