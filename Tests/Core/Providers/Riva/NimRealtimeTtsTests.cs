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
    /// <summary>The NIM realtime synthesis stream over the scripted transport and a hand-moved clock (no sockets).</summary>
    public class NimRealtimeTtsTests : ITtsSink
    {
        static readonly TimeSpan T = TimeSpan.FromSeconds(10);
        readonly List<short> _audio = new List<short>();
        int _phrases;
        ScriptedWebSocketTransport _wire;
        ManualConnectionClock _clock;
        NimRealtimeTts _tts;

        public void OnAudio(ReadOnlySpan<short> pcm) { lock (_audio) _audio.AddRange(pcm.ToArray()); }
        public void OnPhraseDone() => Interlocked.Increment(ref _phrases);

        [SetUp]
        public void SetUp()
        {
            _audio.Clear();
            _phrases = 0;
            _wire = new ScriptedWebSocketTransport();
            _clock = new ManualConnectionClock();
            _tts = new NimRealtimeTts(new NimRealtimeOptions { BaseUri = new Uri("ws://127.0.0.1:9000"), TransportFactory = () => _wire, Clock = _clock });
        }

        ITtsStream Open()
        {
            _wire.EnqueueText("{\"type\":\"synthesize_session.updated\",\"session\":{\"output_audio_params\":{\"sample_rate_hz\":22050}}}");
            var open = _tts.OpenAsync(this, CancellationToken.None);
            Assert.That(open.Wait(T), Is.True);
            Assert.That(_wire.ConnectedUri.ToString(), Is.EqualTo("ws://127.0.0.1:9000/v1/realtime?intent=synthesize"));
            return open.Result;
        }

        static string Data(byte[] bytes) => "{\"type\":\"conversation.item.speech.data\",\"audio\":\"" + Convert.ToBase64String(bytes) + "\"}";

        [Test]
        public void APhraseIsAppendedCommittedAndItsAudioDelivered_EvenWithASampleSplitAcrossMessages()
        {
            var stream = Open();
            Assert.That(stream.SpeakAsync("Hello there.", CancellationToken.None).Wait(T), Is.True);
            var complete = stream.CompleteAsync(CancellationToken.None);
            var pcm = new short[] { 1000, -2000, 3000, -4000 };
            var bytes = new byte[8];
            Buffer.BlockCopy(pcm, 0, bytes, 0, 8);
            _wire.EnqueueText(Data(bytes.Take(3).ToArray()));
            _wire.EnqueueText(Data(bytes.Skip(3).ToArray()));
            _wire.EnqueueText("{\"type\":\"conversation.item.speech.completed\",\"is_last_result\":true}");
            Assert.That(complete.Wait(T), Is.True);
            lock (_audio) Assert.That(_audio, Is.EqualTo(pcm));
            Assert.That(_phrases, Is.EqualTo(1));
            var sent = _wire.Sent;
            Assert.That(sent.Select(s => s.Substring(0, Math.Min(30, s.Length))).ToArray(), Has.Some.Contains("input_text.append"));
            Assert.That(sent.Count(s => s.Contains("input_text.commit")), Is.EqualTo(1));
            Assert.That(sent.Last(s => !s.Contains("append") && !s.Contains("commit")), Does.Contain("input_text.done"));
        }

        [Test]
        public void AnEmptyPhraseSendsNothing()
        {
            var stream = Open();
            Assert.That(stream.SpeakAsync("   ", CancellationToken.None).Wait(T), Is.True);
            Assert.That(_wire.Sent.Count, Is.EqualTo(1), "only the session update");
            stream.Dispose();
        }

        [Test]
        public void ASilentServerWhileAPhraseIsOwedIsStalledAtTheSetting()
        {
            var stream = Open();
            Assert.That(stream.SpeakAsync("Hello there.", CancellationToken.None).Wait(T), Is.True);
            var complete = stream.CompleteAsync(CancellationToken.None);
            _clock.Advance(TimeSpan.FromSeconds(10));
            var e = Assert.Throws<AggregateException>(() => complete.Wait(T)).InnerException as ProviderException;
            Assert.That(e.Kind, Is.EqualTo(ProviderErrorKind.Stalled));
            Assert.That(e.Code, Is.EqualTo("stalled"));
        }

        [Test]
        public void ADropMidReplyFailsTheStreamAsTransport()
        {
            var stream = Open();
            Assert.That(stream.SpeakAsync("Hello there.", CancellationToken.None).Wait(T), Is.True);
            _wire.EnqueueDrop();
            var e = Assert.Throws<AggregateException>(() => stream.CompleteAsync(CancellationToken.None).Wait(T)).InnerException as ProviderException;
            Assert.That(e.Kind, Is.EqualTo(ProviderErrorKind.Transport));
        }
    }
}
