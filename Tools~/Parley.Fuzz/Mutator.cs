using System;
using System.Collections.Generic;
using System.Text;

namespace Parley.Fuzz
{
    /// <summary>
    /// Deterministic (seeded) mutations of recorded frames: byte-level (flips, inserts, deletes, truncation,
    /// splices) and JSON-aware (a property's value swapped for a value of another type, strings and numbers
    /// replaced by edge cases, tokens from the frames' own keys and event types inserted), so the decoders see
    /// both garbage and well-formed JSON of the wrong shape.
    /// </summary>
    public sealed class Mutator
    {
        const int MaxLength = 1 << 20;

        static readonly string[] OddValues =
        {
            "null", "true", "false", "0", "-1", "1.5", "-0", "1e400", "-1e400", "1e-400", "99999999999999999999999",
            "9223372036854775808", "-9223372036854775809", "2147483648", "4294967296", "\"\"", "\"x\"", "\"\\u0000\"",
            "\"\\ud800\"", "\"\\\"\"", "\"\\\\\"", "{}", "[]", "[1]", "[null]", "[{}]", "[[]]", "{\"a\":1}", "\"==\"", "\"AAAA\"",
            "\"AAA=\"", "\"A\"", "\"AA==\"", "\"A===\"", "\"/w==\"", "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]", "\"\\u00e9\"",
            "\"12\"", "\"-3\"", "\"1.5s\"", "\"-5s\"", "\"1e9s\"", "\"NaN\"", "\"Infinity\"",
        };

        static readonly string[] Tokens =
        {
            "\"", "\\", "\\\"", "\\u", "\\u00", "\\ud83d\\ude00", "{", "}", "[", "]", ":", ",", "\":", "\",\"", "=", "==",
            "\r", "\n", "\r\n", "\n\n", "\r\r", ":", "data:", "data: ", "event:", "id:", "\ndata: [DONE]\n\n", "\0", "\xc3",
            "\xe2\x82", "\xff", "RIFF", "WAVE", "fmt ", "data", "LIST", "\xff\xff\xff\x7f", "\x00\x00\x00\x80", "\xff\xff\xff\xff",
        };

        readonly Random _rng;
        readonly List<byte[]> _seeds;
        readonly List<byte[]> _dictionary = new List<byte[]>();
        readonly byte[][] _oddValues;

        public Mutator(int seed, List<byte[]> seeds)
        {
            _rng = new Random(seed);
            _seeds = seeds;
            foreach (var t in Tokens) _dictionary.Add(Latin1(t));
            _oddValues = new byte[OddValues.Length][];
            for (var i = 0; i < OddValues.Length; i++) _oddValues[i] = Latin1(OddValues[i]);
            Harvest();
        }

        static byte[] Latin1(string s) => Encoding.Latin1.GetBytes(s);

        /// <summary>Quoted strings of the seeds (keys, event types) become insertable tokens.</summary>
        void Harvest()
        {
            var seen = new HashSet<string>();
            foreach (var s in _seeds)
            {
                for (var i = 0; i < s.Length && seen.Count < 2000; i++)
                {
                    if (s[i] != (byte)'"') continue;
                    var end = Array.IndexOf(s, (byte)'"', i + 1);
                    if (end < 0) break;
                    if (end - i <= 48)
                    {
                        var token = Encoding.Latin1.GetString(s, i, end - i + 1);
                        if (seen.Add(token)) _dictionary.Add(Latin1(token));
                    }
                    i = end;
                }
            }
        }

        public byte[] Next()
        {
            var b = _seeds[_rng.Next(_seeds.Count)];
            var count = 1 + (_rng.Next(4) == 0 ? _rng.Next(8) : _rng.Next(2));
            for (var k = 0; k < count; k++)
            {
                b = Mutate(b);
                if (b.Length > MaxLength) b = Cut(b, 0, MaxLength);
            }
            return b;
        }

        byte[] Mutate(byte[] b)
        {
            switch (_rng.Next(12))
            {
                case 0: return FlipBit(b);
                case 1: return SetByte(b, (byte)_rng.Next(256));
                case 2: return SetByte(b, (byte)"{}[]\":,\\-0123456789.eE+ntfu\n\r \0="[_rng.Next(32)]);
                case 3: return Insert(b, _rng.Next(b.Length + 1), _dictionary[_rng.Next(_dictionary.Count)]);
                case 4: return DeleteRange(b);
                case 5: return DuplicateRange(b);
                case 6: return b.Length == 0 ? b : Cut(b, 0, _rng.Next(b.Length));
                case 7: return Splice(b);
                case 8:
                case 9: return SwapValue(b);
                case 10: return SwapString(b);
                default: return SetInt32(b);
            }
        }

        byte[] FlipBit(byte[] b)
        {
            if (b.Length == 0) return b;
            var c = (byte[])b.Clone();
            c[_rng.Next(c.Length)] ^= (byte)(1 << _rng.Next(8));
            return c;
        }

        byte[] SetByte(byte[] b, byte value)
        {
            if (b.Length == 0) return new[] { value };
            var c = (byte[])b.Clone();
            c[_rng.Next(c.Length)] = value;
            return c;
        }

        /// <summary>A little-endian int32 at a random offset set to an edge value (sizes in binary formats).</summary>
        byte[] SetInt32(byte[] b)
        {
            if (b.Length < 4) return FlipBit(b);
            var c = (byte[])b.Clone();
            int[] edges = { 0, 1, -1, -2, int.MaxValue, int.MinValue, int.MaxValue - 7, 0x7FFFFFFE, 44, 16, 3, b.Length, b.Length - 8 };
            var v = edges[_rng.Next(edges.Length)];
            // Favour 4-aligned offsets, where chunk headers and sizes sit.
            var at = _rng.Next(2) == 0 ? _rng.Next(b.Length / 4) * 4 : _rng.Next(b.Length - 3);
            if (at > b.Length - 4) at = b.Length - 4;
            c[at] = (byte)v; c[at + 1] = (byte)(v >> 8); c[at + 2] = (byte)(v >> 16); c[at + 3] = (byte)(v >> 24);
            return c;
        }

        static byte[] Insert(byte[] b, int at, byte[] what)
        {
            var c = new byte[b.Length + what.Length];
            Buffer.BlockCopy(b, 0, c, 0, at);
            Buffer.BlockCopy(what, 0, c, at, what.Length);
            Buffer.BlockCopy(b, at, c, at + what.Length, b.Length - at);
            return c;
        }

        static byte[] Replace(byte[] b, int start, int length, byte[] with)
        {
            var c = new byte[b.Length - length + with.Length];
            Buffer.BlockCopy(b, 0, c, 0, start);
            Buffer.BlockCopy(with, 0, c, start, with.Length);
            Buffer.BlockCopy(b, start + length, c, start + with.Length, b.Length - start - length);
            return c;
        }

        static byte[] Cut(byte[] b, int start, int length)
        {
            var c = new byte[length];
            Buffer.BlockCopy(b, start, c, 0, length);
            return c;
        }

        int RangeLength(int available) => Math.Min(available, _rng.Next(3) == 0 ? 1 + _rng.Next(Math.Max(1, available / 4)) : 1 + _rng.Next(16));

        byte[] DeleteRange(byte[] b)
        {
            if (b.Length == 0) return b;
            var at = _rng.Next(b.Length);
            return Replace(b, at, RangeLength(b.Length - at), Array.Empty<byte>());
        }

        byte[] DuplicateRange(byte[] b)
        {
            if (b.Length == 0) return b;
            var at = _rng.Next(b.Length);
            var piece = Cut(b, at, RangeLength(b.Length - at));
            return Insert(b, _rng.Next(b.Length + 1), piece);
        }

        byte[] Splice(byte[] b)
        {
            var other = _seeds[_rng.Next(_seeds.Count)];
            var head = _rng.Next(b.Length + 1);
            var tail = _rng.Next(other.Length + 1);
            var c = new byte[head + other.Length - tail];
            Buffer.BlockCopy(b, 0, c, 0, head);
            Buffer.BlockCopy(other, tail, c, head, other.Length - tail);
            return c;
        }

        /// <summary>The value after a random <c>":</c> replaced by a value of another type or an edge case.</summary>
        byte[] SwapValue(byte[] b)
        {
            var colon = FindNth(b, (byte)':', (byte)'"');
            if (colon < 0) return Insert(b, _rng.Next(b.Length + 1), _oddValues[_rng.Next(_oddValues.Length)]);
            var start = colon + 1;
            while (start < b.Length && (b[start] == (byte)' ' || b[start] == (byte)'\n' || b[start] == (byte)'\r' || b[start] == (byte)'\t')) start++;
            var end = ValueEnd(b, start);
            return Replace(b, start, end - start, _oddValues[_rng.Next(_oddValues.Length)]);
        }

        /// <summary>A random string's content replaced by a dictionary token or an edge-case string.</summary>
        byte[] SwapString(byte[] b)
        {
            var quote = FindNth(b, (byte)'"', 0);
            if (quote < 0) return FlipBit(b);
            var close = quote + 1;
            while (close < b.Length && b[close] != (byte)'"') close += b[close] == (byte)'\\' ? 2 : 1;
            if (close >= b.Length) return b;
            var with = _rng.Next(2) == 0 ? _dictionary[_rng.Next(_dictionary.Count)] : _oddValues[_rng.Next(_oddValues.Length)];
            if (with.Length >= 2 && with[0] == (byte)'"' && with[with.Length - 1] == (byte)'"') with = Cut(with, 1, with.Length - 2);
            return Replace(b, quote + 1, close - quote - 1, with);
        }

        /// <summary>A random occurrence of <paramref name="c"/> (preceded by <paramref name="before"/> when that is not 0), or -1.</summary>
        int FindNth(byte[] b, byte c, byte before)
        {
            var count = 0;
            for (var i = 1; i < b.Length; i++) if (b[i] == c && (before == 0 || b[i - 1] == before)) count++;
            if (count == 0) return -1;
            var n = _rng.Next(count);
            for (var i = 1; i < b.Length; i++)
                if (b[i] == c && (before == 0 || b[i - 1] == before) && n-- == 0) return i;
            return -1;
        }

        /// <summary>End (exclusive) of the JSON value starting at <paramref name="i"/>, approximately, for malformed input too.</summary>
        static int ValueEnd(byte[] b, int i)
        {
            var depth = 0;
            while (i < b.Length)
            {
                var c = b[i];
                if (c == (byte)'"')
                {
                    i++;
                    while (i < b.Length && b[i] != (byte)'"') i += b[i] == (byte)'\\' ? 2 : 1;
                    i++;
                    if (depth == 0) return Math.Min(i, b.Length);
                    continue;
                }
                if (c == (byte)'{' || c == (byte)'[') depth++;
                else if (c == (byte)'}' || c == (byte)']')
                {
                    if (depth == 0) return i;
                    if (--depth == 0) return i + 1;
                }
                else if (c == (byte)',' && depth == 0) return i;
                i++;
            }
            return b.Length;
        }
    }
}
