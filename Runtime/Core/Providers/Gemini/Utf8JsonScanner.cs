using System;
using System.Text;

namespace Parley.Providers.Gemini
{
    internal enum JsonToken : byte { None, StartObject, EndObject, StartArray, EndArray, PropertyName, String, Number, True, False, Null }

    /// <summary>
    /// A forward-only tokenizer over UTF-8 JSON bytes, so large audio strings are decoded from the received
    /// bytes without becoming .NET strings. It checks what the provider relies on (balanced nesting, terminated
    /// strings, known literals, nothing after the value) and throws <see cref="FormatException"/> otherwise.
    /// </summary>
    internal ref struct Utf8JsonScanner
    {
        readonly ReadOnlySpan<byte> _json;
        int _pos;
        int _depth;
        ulong _arrayBits; // bit d set: the container at depth d+1 is an array
        bool _done;
        const int MaxDepth = 64;

        public JsonToken Token;
        /// <summary>Offset of the current token's first byte (the quote of a string, the brace of an object).</summary>
        public int TokenStart;
        /// <summary>Offset and length of a string's content between its quotes, or of a number/literal.</summary>
        public int ValueStart, ValueLength;
        public bool ValueEscaped;

        public Utf8JsonScanner(ReadOnlySpan<byte> json)
        {
            _json = json;
            _pos = 0;
            _depth = 0;
            _arrayBits = 0;
            _done = false;
            Token = JsonToken.None;
            TokenStart = ValueStart = ValueLength = 0;
            ValueEscaped = false;
        }

        public int Depth => _depth;
        /// <summary>Offset just after the last token read.</summary>
        public int Position => _pos;
        public ReadOnlySpan<byte> ValueSpan => _json.Slice(ValueStart, ValueLength);

        public bool Read()
        {
            SkipSeparators();
            if (_pos >= _json.Length)
            {
                if (_depth != 0 || !_done) throw new FormatException("JSON ends early.");
                Token = JsonToken.None;
                return false;
            }
            if (_done) throw new FormatException("Unexpected data after the JSON value at byte " + _pos + ".");
            TokenStart = _pos;
            var c = _json[_pos];
            switch (c)
            {
                case (byte)'{':
                case (byte)'[':
                    if (_depth == MaxDepth) throw new FormatException("JSON nested deeper than " + MaxDepth + " levels.");
                    if (c == (byte)'[') _arrayBits |= 1UL << _depth; else _arrayBits &= ~(1UL << _depth);
                    _pos++;
                    _depth++;
                    Token = c == (byte)'[' ? JsonToken.StartArray : JsonToken.StartObject;
                    return true;
                case (byte)'}':
                case (byte)']':
                    if (_depth == 0 || ((_arrayBits >> (_depth - 1)) & 1) != (c == (byte)']' ? 1UL : 0UL))
                        throw new FormatException("Unbalanced '" + (char)c + "' at byte " + _pos + ".");
                    _pos++;
                    if (--_depth == 0) _done = true;
                    Token = c == (byte)'}' ? JsonToken.EndObject : JsonToken.EndArray;
                    return true;
                case (byte)'"':
                    ReadString();
                    SkipWhitespace();
                    if (_pos < _json.Length && _json[_pos] == (byte)':')
                    {
                        // A name outside an object (`["a": 1]`) would let a reader walk past the array's end.
                        if (_depth == 0 || ((_arrayBits >> (_depth - 1)) & 1) != 0) throw new FormatException("Property name outside an object at byte " + TokenStart + ".");
                        _pos++;
                        Token = JsonToken.PropertyName;
                    }
                    else { Token = JsonToken.String; if (_depth == 0) _done = true; }
                    return true;
                case (byte)'t': ReadLiteral("true"); Token = JsonToken.True; return true;
                case (byte)'f': ReadLiteral("false"); Token = JsonToken.False; return true;
                case (byte)'n': ReadLiteral("null"); Token = JsonToken.Null; return true;
                default:
                    if (c == (byte)'-' || (c >= (byte)'0' && c <= (byte)'9')) { ReadNumber(); Token = JsonToken.Number; return true; }
                    throw new FormatException("Unexpected character '" + (char)c + "' at byte " + _pos + ".");
            }
        }

        /// <summary>Reads the value that follows a property name and skips all of it (objects and arrays whole).</summary>
        public void SkipValue()
        {
            if (Token == JsonToken.PropertyName) Read();
            if (Token != JsonToken.StartObject && Token != JsonToken.StartArray) return;
            var depth = _depth - 1;
            while (Read() && _depth > depth) { }
            if (_depth != depth) throw new FormatException("JSON ends early.");
        }

        /// <summary>Reads the value after a property name and returns its raw JSON text.</summary>
        public string ReadRawValue()
        {
            Read();
            var start = TokenStart;
            if (Token == JsonToken.StartObject || Token == JsonToken.StartArray) SkipValue();
            var end = Token == JsonToken.String ? ValueStart + ValueLength + 1 : Token == JsonToken.EndObject || Token == JsonToken.EndArray ? _pos : ValueStart + ValueLength;
            return Encoding.UTF8.GetString(_json.Slice(start, end - start));
        }

        public bool NameIs(byte[] utf8Name) => Token == JsonToken.PropertyName && !ValueEscaped && ValueSpan.SequenceEqual(utf8Name);

        public bool IsTrue => Token == JsonToken.True;

        public string GetString()
        {
            if (Token == JsonToken.Null) return null;
            if (Token != JsonToken.String && Token != JsonToken.PropertyName) throw new FormatException("Expected a string at byte " + TokenStart + ".");
            if (!ValueEscaped) return Encoding.UTF8.GetString(ValueSpan);
            var buffer = new byte[ValueLength];
            return Encoding.UTF8.GetString(buffer, 0, Unescape(ValueSpan, buffer));
        }

        /// <summary>Numbers, and int64 values that proto3 JSON writes as strings ("25600").</summary>
        public long GetInt64()
        {
            if (Token != JsonToken.Number && Token != JsonToken.String) throw new FormatException("Expected a number at byte " + TokenStart + ".");
            long v = 0;
            var s = ValueSpan;
            var neg = s.Length > 0 && s[0] == (byte)'-';
            for (var i = neg ? 1 : 0; i < s.Length; i++)
            {
                var d = s[i] - (byte)'0';
                if (d < 0 || d > 9) break; // fraction or exponent: token counts are integers, keep the integer part
                v = v * 10 + d;
            }
            return neg ? -v : v;
        }

        /// <summary>Resolves JSON escapes into <paramref name="dest"/> (never longer than the source); returns bytes written.</summary>
        public static int Unescape(ReadOnlySpan<byte> src, Span<byte> dest)
        {
            var w = 0;
            for (var i = 0; i < src.Length; i++)
            {
                var c = src[i];
                if (c != (byte)'\\') { dest[w++] = c; continue; }
                if (++i >= src.Length) throw new FormatException("Bad escape in JSON string.");
                switch (src[i])
                {
                    case (byte)'"': dest[w++] = (byte)'"'; break;
                    case (byte)'\\': dest[w++] = (byte)'\\'; break;
                    case (byte)'/': dest[w++] = (byte)'/'; break;
                    case (byte)'b': dest[w++] = 8; break;
                    case (byte)'f': dest[w++] = 12; break;
                    case (byte)'n': dest[w++] = 10; break;
                    case (byte)'r': dest[w++] = 13; break;
                    case (byte)'t': dest[w++] = 9; break;
                    case (byte)'u':
                        {
                            if (i + 4 >= src.Length) throw new FormatException("Bad \\u escape in JSON string.");
                            int cp = Hex4(src.Slice(i + 1, 4));
                            i += 4;
                            if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < src.Length && src[i + 1] == (byte)'\\' && src[i + 2] == (byte)'u')
                            {
                                var lo = Hex4(src.Slice(i + 3, 4));
                                if (lo >= 0xDC00 && lo <= 0xDFFF) { cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00); i += 6; }
                            }
                            w += WriteUtf8(cp, dest.Slice(w));
                            break;
                        }
                    default: throw new FormatException("Bad escape in JSON string.");
                }
            }
            return w;
        }

        static int Hex4(ReadOnlySpan<byte> s)
        {
            var v = 0;
            for (var i = 0; i < 4; i++)
            {
                int c = s[i], d;
                if (c >= '0' && c <= '9') d = c - '0';
                else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
                else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
                else throw new FormatException("Bad \\u escape in JSON string.");
                v = (v << 4) | d;
            }
            return v;
        }

        // An escape is 6 (or 12) source bytes; UTF-8 needs at most 3 (or 4), so output never outruns input.
        static int WriteUtf8(int cp, Span<byte> d)
        {
            if (cp < 0x80) { d[0] = (byte)cp; return 1; }
            if (cp < 0x800) { d[0] = (byte)(0xC0 | (cp >> 6)); d[1] = (byte)(0x80 | (cp & 0x3F)); return 2; }
            if (cp < 0x10000) { d[0] = (byte)(0xE0 | (cp >> 12)); d[1] = (byte)(0x80 | ((cp >> 6) & 0x3F)); d[2] = (byte)(0x80 | (cp & 0x3F)); return 3; }
            d[0] = (byte)(0xF0 | (cp >> 18)); d[1] = (byte)(0x80 | ((cp >> 12) & 0x3F)); d[2] = (byte)(0x80 | ((cp >> 6) & 0x3F)); d[3] = (byte)(0x80 | (cp & 0x3F));
            return 4;
        }

        void ReadString()
        {
            var start = ++_pos;
            var escaped = false;
            while (_pos < _json.Length)
            {
                var c = _json[_pos];
                if (c == (byte)'"') { ValueStart = start; ValueLength = _pos - start; ValueEscaped = escaped; _pos++; return; }
                if (c == (byte)'\\') { escaped = true; _pos += EscapeLength(); continue; }
                if (c < 0x20) throw new FormatException("Control character inside a JSON string at byte " + _pos + ".");
                _pos++;
            }
            throw new FormatException("Unterminated JSON string.");
        }

        /// <summary>
        /// Length of the escape at the current backslash; throws for one JSON does not allow, so every string the
        /// scanner accepts can be unescaped later (the provider unescapes audio only when it plays it).
        /// </summary>
        int EscapeLength()
        {
            if (_pos + 1 >= _json.Length) throw new FormatException("Unterminated JSON string.");
            switch (_json[_pos + 1])
            {
                case (byte)'"': case (byte)'\\': case (byte)'/': case (byte)'b': case (byte)'f': case (byte)'n': case (byte)'r': case (byte)'t':
                    return 2;
                case (byte)'u':
                    if (_pos + 5 >= _json.Length) throw new FormatException("Unterminated JSON string.");
                    Hex4(_json.Slice(_pos + 2, 4));
                    return 6;
                default:
                    throw new FormatException("Bad escape in JSON string at byte " + _pos + ".");
            }
        }

        void ReadNumber()
        {
            var start = _pos;
            while (_pos < _json.Length)
            {
                var c = _json[_pos];
                if ((c >= (byte)'0' && c <= (byte)'9') || c == (byte)'-' || c == (byte)'+' || c == (byte)'.' || c == (byte)'e' || c == (byte)'E') _pos++;
                else break;
            }
            ValueStart = start;
            ValueLength = _pos - start;
            ValueEscaped = false;
            if (_depth == 0) _done = true;
        }

        void ReadLiteral(string literal)
        {
            if (_pos + literal.Length > _json.Length) throw new FormatException("JSON ends early.");
            for (var i = 0; i < literal.Length; i++)
                if (_json[_pos + i] != (byte)literal[i]) throw new FormatException("Unexpected literal at byte " + _pos + ".");
            ValueStart = _pos;
            ValueLength = literal.Length;
            ValueEscaped = false;
            _pos += literal.Length;
            if (_depth == 0) _done = true;
        }

        void SkipWhitespace()
        {
            while (_pos < _json.Length)
            {
                var c = _json[_pos];
                if (c == (byte)' ' || c == (byte)'\n' || c == (byte)'\r' || c == (byte)'\t') _pos++;
                else break;
            }
        }

        void SkipSeparators()
        {
            while (_pos < _json.Length)
            {
                var c = _json[_pos];
                if (c == (byte)' ' || c == (byte)'\n' || c == (byte)'\r' || c == (byte)'\t' || c == (byte)',') _pos++;
                else break;
            }
        }
    }
}
