using System;
using System.Text;
using Parley.Audio;

namespace Parley.Providers.OpenAI
{
    /// <summary>
    /// `response.output_audio.delta` bytes → PCM16 in a reused buffer, with the item id string cached
    /// (compared as bytes with the previous one), so steady-state decoding allocates nothing.
    /// </summary>
    public sealed class OpenAIAudioDeltaDecoder
    {
        short[] _pcm;
        byte[] _lastItemIdBytes = new byte[64];
        int _lastItemIdLength = -1;
        string _lastItemId;

        public OpenAIAudioDeltaDecoder(int initialSamples = 8192) { _pcm = new short[Math.Max(16, initialSamples)]; }

        /// <summary>
        /// False when <paramref name="json"/> is not an audio delta the fast path handles (parse it normally).
        /// The returned samples are valid until the next call.
        /// </summary>
        /// <exception cref="FormatException">The delta is not valid base64 PCM16.</exception>
        public bool TryDecode(ReadOnlySpan<byte> json, out string itemId, out ReadOnlySpan<short> pcm)
        {
            if (!OpenAIAudioDeltaScanner.TryScan(json, out var item, out var delta))
            {
                itemId = null;
                pcm = default;
                return false;
            }
            itemId = ItemId(json.Slice(item.Start, item.Length));
            pcm = Decode(json.Slice(delta.Start, delta.Length));
            return true;
        }

        /// <summary>Decodes base64 already extracted (the slow path for unusual shapes).</summary>
        public ReadOnlySpan<short> Decode(ReadOnlySpan<byte> base64)
        {
            var needed = Pcm16Base64.MaxDecodedSamples(base64.Length) + 1;
            if (_pcm.Length < needed) _pcm = new short[Math.Max(needed, _pcm.Length * 2)];
            var n = Pcm16Base64.Decode(base64, _pcm);
            return new ReadOnlySpan<short>(_pcm, 0, n);
        }

        /// <summary>The item id as a string; the same instance while it does not change.</summary>
        public string ItemId(ReadOnlySpan<byte> utf8)
        {
            if (_lastItemIdLength == utf8.Length && utf8.SequenceEqual(new ReadOnlySpan<byte>(_lastItemIdBytes, 0, _lastItemIdLength)))
                return _lastItemId;
            if (_lastItemIdBytes.Length < utf8.Length) _lastItemIdBytes = new byte[utf8.Length];
            utf8.CopyTo(_lastItemIdBytes);
            _lastItemIdLength = utf8.Length;
            return _lastItemId = Encoding.UTF8.GetString(utf8);
        }
    }
}
