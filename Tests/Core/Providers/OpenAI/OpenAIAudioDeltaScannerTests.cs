using System;
using System.Text;
using NUnit.Framework;
using Parley.Audio;
using Parley.Providers.OpenAI;
using Parley.Tests.Support;

namespace Parley.Tests.Core.Providers.OpenAI
{
    public class OpenAIAudioDeltaScannerTests
    {
        static short[] Tone(int n)
        {
            var f = Signals.Sine(440, 24000, n, 0.5);
            var s = new short[n];
            for (var i = 0; i < n; i++) s[i] = (short)(f[i] * 32767);
            return s;
        }

        static string Base64(short[] pcm)
        {
            var bytes = new byte[pcm.Length * 2];
            Buffer.BlockCopy(pcm, 0, bytes, 0, bytes.Length);
            return Convert.ToBase64String(bytes);
        }

        [Test]
        public void FindsFields_InAnyOrder_AndTheAudioDecodesExactly()
        {
            var pcm = Tone(2400);
            var json = "{\"event_id\":\"event_4950\",\"type\":\"response.output_audio.delta\",\"response_id\":\"resp_001\",\"item_id\":\"msg_008\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + Base64(pcm) + "\"}";
            var bytes = Encoding.UTF8.GetBytes(json);
            Assert.That(OpenAIAudioDeltaScanner.TryScan(bytes, out var item, out var delta), Is.True);
            Assert.That(Encoding.UTF8.GetString(bytes, item.Start, item.Length), Is.EqualTo("msg_008"));
            var decoded = new short[pcm.Length];
            var n = Pcm16Base64.Decode(new ReadOnlySpan<byte>(bytes, delta.Start, delta.Length), decoded);
            Assert.That(n, Is.EqualTo(pcm.Length));
            Assert.That(decoded, Is.EqualTo(pcm));

            var reordered = Encoding.UTF8.GetBytes("{ \"delta\" : \"AAAA\", \"nested\": {\"a\":[1,2,{\"b\":\"x}\\\"\"}]}, \"item_id\":\"it\" ,\"type\":\"response.output_audio.delta\" }");
            Assert.That(OpenAIAudioDeltaScanner.TryScan(reordered, out item, out delta), Is.True);
            Assert.That(Encoding.UTF8.GetString(reordered, item.Start, item.Length), Is.EqualTo("it"));
            Assert.That(Encoding.UTF8.GetString(reordered, delta.Start, delta.Length), Is.EqualTo("AAAA"));
        }

        [TestCase("{\"type\":\"response.output_audio_transcript.delta\",\"item_id\":\"a\",\"delta\":\"hi\"}")]
        [TestCase("{\"type\":\"response.output_audio.delta\",\"item_id\":\"a\"}")]
        [TestCase("{\"type\":\"response.output_audio.delta\",\"item_id\":\"a\",\"delta\":\"AA\\/A\"}")]
        [TestCase("{\"type\":\"response.output_audio.delta\",\"item_id\":\"a\",\"delta\":\"AAAA")]
        [TestCase("[\"type\"]")]
        [TestCase("not json")]
        [TestCase("")]
        public void DeclinesOtherEventsAndUnusualShapes(string json)
        {
            Assert.That(OpenAIAudioDeltaScanner.TryScan(Encoding.UTF8.GetBytes(json), out _, out _), Is.False);
        }

        [Test]
        public void AppendWriter_BuildsAValidEvent_ThatRoundTrips()
        {
            var writer = new AppendEventWriter();
            var pcm = Tone(480);
            var frame = writer.Build(pcm);
            var o = Newtonsoft.Json.Linq.JObject.Parse(Encoding.UTF8.GetString(frame.Span));
            Assert.That((string)o["type"], Is.EqualTo("input_audio_buffer.append"));
            Assert.That((string)o["audio"], Is.EqualTo(Base64(pcm)));
            // Smaller chunks reuse the same buffer.
            var again = writer.Build(new ReadOnlySpan<short>(pcm, 0, 240));
            Assert.That(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(frame, out var a) && System.Runtime.InteropServices.MemoryMarshal.TryGetArray(again, out var b) && ReferenceEquals(a.Array, b.Array), Is.True);
        }
    }
}
