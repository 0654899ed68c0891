using System;
using System.Text;
using Parley.Audio;
using Parley.Audio.Kernels;

namespace Parley.Providers.OpenAI
{
    /// <summary>
    /// `response.output_audio.delta` bytes → PCM16 in a reused buffer, with the item id string cached
    /// (compared as bytes with the previous one), so steady-state decoding allocates nothing. For G.711
    /// output the base64 is decoded into a reused byte buffer first and expanded to PCM16 (8 kHz).
    /// </summary>
    public sealed class OpenAIAudioDeltaDecoder
    {
        readonly OpenAIAudioEncoding _encoding;
        short[] _pcm;
        byte[] _codes;
        byte[] _lastItemIdBytes = new byte[64];
        int _lastItemIdLength = -1;
        string _lastItemId;

        public OpenAIAudioDeltaDecoder(int initialSamples = 8192) : this(OpenAIAudioEncoding.Pcm24k, initialSamples) { }

        public OpenAIAudioDeltaDecoder(OpenAIAudioEncoding encoding, int initialSamples = 8192)
        {
            _encoding = OpenAIRealtimeOptions.CheckEncoding(encoding, nameof(encoding));
            _pcm = new short[Math.Max(16, initialSamples)];
            if (encoding != OpenAIAudioEncoding.Pcm24k) _codes = new byte[_pcm.Length];
        }

        /// <summary>The wire encoding this decoder expects.</summary>
        public OpenAIAudioEncoding WireEncoding => _encoding;

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
        /// <exception cref="FormatException">Not valid base64 (or, for PCM16, an odd byte count).</exception>
        public ReadOnlySpan<short> Decode(ReadOnlySpan<byte> base64)
        {
            if (_encoding != OpenAIAudioEncoding.Pcm24k) return DecodeG711(base64);
            var needed = Pcm16Base64.MaxDecodedSamples(base64.Length) + 1;
            if (_pcm.Length < needed) _pcm = new short[Math.Max(needed, _pcm.Length * 2)];
            var n = Pcm16Base64.Decode(base64, _pcm);
            return new ReadOnlySpan<short>(_pcm, 0, n);
        }

        ReadOnlySpan<short> DecodeG711(ReadOnlySpan<byte> base64)
        {
            var needed = Base64Kernel.MaxDecodedLength(base64.Length);
            if (_codes.Length < needed) _codes = new byte[Math.Max(needed, _codes.Length * 2)];
            var n = Pcm16Base64.DecodeBytes(base64, _codes);
            if (_pcm.Length < n) _pcm = new short[Math.Max(n, _pcm.Length * 2)];
            var codes = new ReadOnlySpan<byte>(_codes, 0, n);
            if (_encoding == OpenAIAudioEncoding.Pcmu) G711.MuLawDecode(codes, _pcm);
            else G711.ALawDecode(codes, _pcm);
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
