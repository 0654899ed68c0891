using System;
using System.Collections.Generic;
using System.Text;
using Parley.Audio;

namespace Parley.Fuzz
{
    /// <summary>
    /// Base64 audio (<see cref="Pcm16Base64"/>), checked against the framework's <see cref="Convert.TryFromBase64String"/>
    /// as an independent decoder: both accept the same inputs and produce the same bytes. Parley refuses what the
    /// wire never carries and Convert tolerates (whitespace, non-ASCII), and accepts non-zero padding bits, which
    /// RFC 4648 lets a decoder ignore; the oracle is asked about the input with those bits cleared.
    /// </summary>
    public sealed class Pcm16Base64Target : FuzzTarget
    {
        byte[] _bytes = new byte[1024];
        short[] _pcm = new short[512];

        public override string Name => "pcm16-base64";
        public override string Decoder => "Pcm16Base64.DecodeBytes / Decode";
        public override string TypedErrors => "FormatException";
        public override bool IsTypedError(Exception e) => e is FormatException;

        public override IEnumerable<byte[]> Seeds(SeedFiles files)
        {
            var rng = new Random(7);
            foreach (var n in new[] { 0, 1, 2, 3, 4, 5, 6, 7, 48, 160, 161, 480 })
            {
                var raw = new byte[n];
                rng.NextBytes(raw);
                yield return Encoding.ASCII.GetBytes(Convert.ToBase64String(raw));
            }
        }

        public override Outcome Run(byte[] input)
        {
            var max = Pcm16Base64.DecodedLength(input);
            if (max < 0) throw new FuzzFinding("DecodedLength is negative.");
            if (_bytes.Length < max) _bytes = new byte[max * 2];
            if (_pcm.Length * 2 < max) _pcm = new short[max];
            var expected = Oracle(input);
            int n;
            try
            {
                n = Pcm16Base64.DecodeBytes(input, _bytes);
            }
            catch (FormatException)
            {
                if (expected != null) throw new FuzzFinding("Refused base64 that Convert decodes.");
                return Outcome.Rejected;
            }
            if (expected == null) throw new FuzzFinding("Accepted input that is not base64.");
            if (!new ReadOnlySpan<byte>(_bytes, 0, n).SequenceEqual(expected)) throw new FuzzFinding("Decoded bytes differ from Convert's.");
            try
            {
                var samples = Pcm16Base64.Decode(input, _pcm);
                if ((n & 1) != 0) throw new FuzzFinding("Decoded an odd byte count as PCM16.");
                if (!System.Runtime.InteropServices.MemoryMarshal.AsBytes(new ReadOnlySpan<short>(_pcm, 0, samples)).SequenceEqual(expected))
                    throw new FuzzFinding("Decoded samples differ from Convert's bytes.");
            }
            catch (FormatException)
            {
                if ((n & 1) == 0) throw new FuzzFinding("Refused an even byte count as PCM16.");
            }
            return Outcome.Decoded;
        }

        /// <summary>Convert's decoding of <paramref name="input"/> under the wire's rules, or null when they refuse it.</summary>
        internal static byte[] Oracle(byte[] input)
        {
            foreach (var c in input)
                if (c > 0x7F || c == (byte)' ' || c == (byte)'\t' || c == (byte)'\r' || c == (byte)'\n') return null;
            var text = Encoding.ASCII.GetString(input).ToCharArray();
            // Clear the bits a padded final quad does not use (Convert refuses them on some runtimes, RFC 4648 §3.5 allows ignoring them).
            var len = text.Length;
            if (len >= 4 && len % 4 == 0 && text[len - 1] == '=')
            {
                const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
                var last = text[len - 2] == '=' ? len - 3 : len - 2;
                var v = alphabet.IndexOf(text[last]);
                if (v >= 0) text[last] = alphabet[text[len - 2] == '=' ? v & 0x30 : v & 0x3C];
            }
            var buffer = new byte[len];
            return Convert.TryFromBase64Chars(text, buffer, out var written) ? new ReadOnlySpan<byte>(buffer, 0, written).ToArray() : null;
        }
    }
}
