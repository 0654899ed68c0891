using System;
using System.Collections.Generic;
using System.Text;
using Parley.Providers.OpenAI;

namespace Parley.Fuzz
{
    /// <summary>
    /// The zero-allocation path for <c>response.output_audio.delta</c> (<see cref="OpenAIAudioDeltaScanner"/> +
    /// <see cref="OpenAIAudioDeltaDecoder"/>, PCM16 and G.711): when it claims a message, the slices lie in the frame
    /// and the samples equal what Newtonsoft + <see cref="Convert.FromBase64String"/> make of the same message.
    /// </summary>
    public sealed class OpenAIAudioDeltaTarget : FuzzTarget
    {
        readonly OpenAIAudioDeltaDecoder _pcm16 = new OpenAIAudioDeltaDecoder(OpenAIAudioEncoding.Pcm24k, 64);
        readonly OpenAIAudioDeltaDecoder _mulaw = new OpenAIAudioDeltaDecoder(OpenAIAudioEncoding.Pcmu, 64);
        long _count;

        public override string Name => "openai-audio-delta";
        public override string Decoder => "OpenAIAudioDeltaScanner.TryScan + OpenAIAudioDeltaDecoder.TryDecode (pcm16, g711)";
        public override string TypedErrors => "FormatException";
        public override bool IsTypedError(Exception e) => e is FormatException;

        public override IEnumerable<byte[]> Seeds(SeedFiles files)
        {
            // The audio events of the GA examples, and a few others the scanner must decline.
            foreach (var e in files.OpenAIServerEvents())
                if (Encoding.UTF8.GetString(e).IndexOf("audio", StringComparison.Ordinal) >= 0) yield return e;
            var rng = new Random(11);
            foreach (var n in new[] { 0, 2, 4, 96, 480 })
            {
                var raw = new byte[n];
                rng.NextBytes(raw);
                yield return Encoding.UTF8.GetBytes("{\"type\":\"response.output_audio.delta\",\"event_id\":\"event_1\",\"response_id\":\"resp_1\",\"item_id\":\"item_" + n + "\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + Convert.ToBase64String(raw) + "\"}");
            }
            yield return Encoding.UTF8.GetBytes(" {\"delta\" : \"AAEC/w==\", \"nested\":{\"a\":[1,{\"b\":\"}\"}]},\"n\":-1.5e3,\"t\":true, \"item_id\":\"it\",\"type\":\"response.output_audio.delta\"} ");
        }

        public override Outcome Run(byte[] input)
        {
            var decoder = (_count++ & 3) == 3 ? _mulaw : _pcm16;
            var claimed = OpenAIAudioDeltaScanner.TryScan(input, out var item, out var delta);
            if (claimed && (!InFrame(item, input.Length) || !InFrame(delta, input.Length))) throw new FuzzFinding("Scanner slice outside the frame.");
            if (!decoder.TryDecode(input, out var itemId, out var pcm))
            {
                if (claimed) throw new FuzzFinding("TryScan and TryDecode disagree.");
                return Outcome.Rejected;
            }
            if (!claimed) throw new FuzzFinding("TryDecode claimed a message TryScan declined.");
            // Independent reading of the same frame. The fast path checks only the fields it reads (a frame with
            // junk elsewhere still plays), so frames Newtonsoft refuses are compared on the slices alone.
            string expectedItem, expectedDelta;
            try
            {
                var o = Newtonsoft.Json.Linq.JObject.Parse(Encoding.UTF8.GetString(input));
                expectedItem = (string)o["item_id"];
                expectedDelta = (string)o["delta"];
            }
            catch (Newtonsoft.Json.JsonException)
            {
                expectedItem = Encoding.UTF8.GetString(input, item.Start, item.Length);
                expectedDelta = Encoding.UTF8.GetString(input, delta.Start, delta.Length);
            }
            if (expectedItem != itemId) throw new FuzzFinding("item_id differs from Newtonsoft's reading.");
            var expected = Pcm16Base64Target.Oracle(Encoding.UTF8.GetBytes(expectedDelta ?? ""));
            if (expected == null) throw new FuzzFinding("Decoded a delta that is not base64.");
            if (decoder.WireEncoding == OpenAIAudioEncoding.Pcm24k)
            {
                if (!System.Runtime.InteropServices.MemoryMarshal.AsBytes(pcm).SequenceEqual(expected)) throw new FuzzFinding("Samples differ from Convert's bytes.");
            }
            else if (pcm.Length != expected.Length) throw new FuzzFinding("G.711 sample count differs from the byte count.");
            return Outcome.Decoded;
        }

        static bool InFrame(OpenAIAudioDeltaScanner.Slice s, int length) => s.Start >= 0 && s.Length >= 0 && s.Start + s.Length <= length;
    }
}
