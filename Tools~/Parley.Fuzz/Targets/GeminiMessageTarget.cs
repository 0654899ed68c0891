using System;
using System.Collections.Generic;
using System.Text;
using Parley.Audio;
using Parley.Providers.Gemini;

namespace Parley.Fuzz
{
    /// <summary>
    /// Gemini Live server messages (<see cref="GeminiServerMessageReader"/> over <c>Utf8JsonScanner</c>) and what the
    /// provider then does with each audio payload: unescape it if flagged, decode it as base64 PCM16. A message the
    /// reader accepts must have its payloads inside the frame and unescapable; bad base64 is the provider's typed
    /// <c>bad_audio</c>.
    /// </summary>
    public sealed class GeminiMessageTarget : FuzzTarget
    {
        readonly GeminiServerMessage _message = new GeminiServerMessage();
        byte[] _unescaped = new byte[1024];
        short[] _pcm = new short[1024];

        public override string Name => "gemini-message";
        public override string Decoder => "GeminiServerMessageReader.Read + audio payload unescape/decode";
        public override string TypedErrors => "FormatException";
        public override bool IsTypedError(Exception e) => e is FormatException;

        public override IEnumerable<byte[]> Seeds(SeedFiles files)
        {
            foreach (var frame in files.GeminiServerFrames()) yield return frame;
            // Shapes the recordings lack or carry only in large frames: small audio, escaped audio, goAway, resumption, usage details.
            var audio = Convert.ToBase64String(new byte[] { 1, 2, 3, 4, 250, 251, 9, 10 });
            yield return Utf8("{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"audio/pcm;rate=24000\",\"data\":\"" + audio + "\"}}]}}}");
            yield return Utf8("{\"serverContent\":{\"modelTurn\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"audio/pcm\",\"data\":\"AQID\\/Pr7CQo=\"}},{\"text\":\"hi \\u00e9\"}]},\"outputTranscription\":{\"text\":\"hi\"},\"turnComplete\":true,\"turnCompleteReason\":\"STOP\"}}");
            yield return Utf8("{\"goAway\":{\"timeLeft\":\"4.5s\"}}");
            yield return Utf8("{\"sessionResumptionUpdate\":{\"newHandle\":\"h-1\",\"resumable\":true}}");
            yield return Utf8("{\"toolCallCancellation\":{\"ids\":[\"a\",\"b\"]}}");
            yield return Utf8("{\"usageMetadata\":{\"promptTokenCount\":12,\"responseTokenCount\":\"34\",\"totalTokenCount\":46,\"promptTokensDetails\":[{\"modality\":\"AUDIO\",\"tokenCount\":10},{\"modality\":\"TEXT\",\"tokenCount\":2}],\"responseTokensDetails\":[{\"modality\":\"AUDIO\",\"tokenCount\":34}]}}");
            yield return Utf8("{\"setupComplete\":{\"sessionId\":\"s-1\"}}");
        }

        static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

        public override Outcome Run(byte[] input)
        {
            GeminiServerMessageReader.Read(input, _message);
            foreach (var a in _message.Audio)
            {
                if (a.Start < 0 || a.Length < 0 || a.Start > input.Length || a.Length > input.Length - a.Start)
                    throw new FuzzFinding("Audio payload outside the frame.");
                ReadOnlySpan<byte> source = new ReadOnlySpan<byte>(input, a.Start, a.Length);
                if (a.Escaped)
                {
                    if (_unescaped.Length < a.Length) _unescaped = new byte[a.Length];
                    int n;
                    try { n = GeminiServerMessageReader.Unescape(source, _unescaped); }
                    catch (FormatException e) { throw new FuzzFinding("The reader accepted an audio string it cannot unescape.", e); }
                    source = new ReadOnlySpan<byte>(_unescaped, 0, n);
                }
                var max = Pcm16Base64.MaxDecodedSamples(source.Length) + 1;
                if (_pcm.Length < max) _pcm = new short[max];
                try { Pcm16Base64.Decode(source, _pcm); }
                catch (FormatException) { return Outcome.Rejected; } // the provider's bad_audio
            }
            return Outcome.Decoded;
        }
    }
}
