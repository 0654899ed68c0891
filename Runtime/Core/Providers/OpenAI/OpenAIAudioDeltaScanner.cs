using System;

namespace Parley.Providers.OpenAI
{
    /// <summary>
    /// Finds `type`, `item_id` and `delta` in one top-level JSON object without building a DOM or any
    /// string: offsets into the received UTF-8 bytes, so base64 audio is decoded straight from the socket
    /// buffer. Only plain (escape-free) string values are returned; anything unusual makes the caller fall
    /// back to the full parser, so correctness never depends on this fast path.
    /// </summary>
    public static class OpenAIAudioDeltaScanner
    {
        static readonly byte[] AudioDeltaType = System.Text.Encoding.ASCII.GetBytes("response.output_audio.delta");

        /// <summary>A value's position in the message; Start = -1 when absent.</summary>
        public struct Slice
        {
            public int Start;
            public int Length;
            public bool Found => Start >= 0;
        }

        /// <summary>
        /// True when <paramref name="json"/> is a `response.output_audio.delta` event whose `item_id` and
        /// `delta` are plain strings; false for any other event or shape (then parse it normally).
        /// </summary>
        public static bool TryScan(ReadOnlySpan<byte> json, out Slice itemId, out Slice delta)
        {
            itemId = new Slice { Start = -1 };
            delta = new Slice { Start = -1 };
            var isAudio = false;
            var i = SkipWhitespace(json, 0);
            if (i >= json.Length || json[i] != (byte)'{') return false;
            i++;
            while (true)
            {
                i = SkipWhitespace(json, i);
                if (i >= json.Length) return false;
                if (json[i] == (byte)'}') break;
                if (json[i] == (byte)',') { i++; continue; }
                if (json[i] != (byte)'"') return false;
                if (!ReadPlainString(json, i, out var keyStart, out var keyLength, out i)) return false;
                i = SkipWhitespace(json, i);
                if (i >= json.Length || json[i] != (byte)':') return false;
                i = SkipWhitespace(json, i + 1);
                if (i >= json.Length) return false;
                var key = json.Slice(keyStart, keyLength);
                var wanted = Which(key);
                if (wanted != 0)
                {
                    if (json[i] != (byte)'"' || !ReadPlainString(json, i, out var vs, out var vl, out i)) return false;
                    if (wanted == 1)
                    {
                        if (!json.Slice(vs, vl).SequenceEqual(AudioDeltaType)) return false;
                        isAudio = true;
                    }
                    else if (wanted == 2) itemId = new Slice { Start = vs, Length = vl };
                    else delta = new Slice { Start = vs, Length = vl };
                }
                else
                {
                    i = SkipValue(json, i);
                    if (i < 0) return false;
                }
            }
            return isAudio && itemId.Found && delta.Found;
        }

        // 1 = type, 2 = item_id, 3 = delta; compared by length first so most keys cost one branch.
        static int Which(ReadOnlySpan<byte> key)
        {
            switch (key.Length)
            {
                case 4: return key[0] == (byte)'t' && key[1] == (byte)'y' && key[2] == (byte)'p' && key[3] == (byte)'e' ? 1 : 0;
                case 7: return key[0] == (byte)'i' && key[4] == (byte)'_' && key.SequenceEqual(ItemIdKey) ? 2 : 0;
                case 5: return key[0] == (byte)'d' && key.SequenceEqual(DeltaKey) ? 3 : 0;
                default: return 0;
            }
        }

        static readonly byte[] ItemIdKey = System.Text.Encoding.ASCII.GetBytes("item_id");
        static readonly byte[] DeltaKey = System.Text.Encoding.ASCII.GetBytes("delta");

        static int SkipWhitespace(ReadOnlySpan<byte> s, int i)
        {
            while (i < s.Length)
            {
                var c = s[i];
                if (c != (byte)' ' && c != (byte)'\n' && c != (byte)'\r' && c != (byte)'\t') break;
                i++;
            }
            return i;
        }

        /// <summary>Reads a string starting at the opening quote; false if it holds an escape or is unterminated.</summary>
        static bool ReadPlainString(ReadOnlySpan<byte> s, int quote, out int start, out int length, out int next)
        {
            start = quote + 1;
            var close = s.Slice(start).IndexOfAny((byte)'"', (byte)'\\');
            if (close < 0 || s[start + close] == (byte)'\\') { length = 0; next = -1; return false; }
            length = close;
            next = start + close + 1;
            return true;
        }

        /// <summary>Skips any JSON value; returns the index after it, or -1 if malformed.</summary>
        static int SkipValue(ReadOnlySpan<byte> s, int i)
        {
            var c = s[i];
            if (c == (byte)'"') return SkipString(s, i);
            if (c == (byte)'{' || c == (byte)'[')
            {
                var depth = 0;
                while (i < s.Length)
                {
                    c = s[i];
                    if (c == (byte)'"') { i = SkipString(s, i); if (i < 0) return -1; continue; }
                    if (c == (byte)'{' || c == (byte)'[') depth++;
                    else if (c == (byte)'}' || c == (byte)']') { depth--; if (depth == 0) return i + 1; }
                    i++;
                }
                return -1;
            }
            // number, true, false, null
            while (i < s.Length)
            {
                c = s[i];
                if (c == (byte)',' || c == (byte)'}' || c == (byte)']' || c == (byte)' ' || c == (byte)'\n' || c == (byte)'\r' || c == (byte)'\t') return i;
                i++;
            }
            return -1;
        }

        static int SkipString(ReadOnlySpan<byte> s, int quote)
        {
            var i = quote + 1;
            while (i < s.Length)
            {
                var c = s[i];
                if (c == (byte)'\\') { i += 2; continue; }
                if (c == (byte)'"') return i + 1;
                i++;
            }
            return -1;
        }
    }
}
