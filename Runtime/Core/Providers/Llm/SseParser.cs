using System;
using System.Collections.Generic;
using System.Text;

namespace Parley.Providers.Llm
{
    /// <summary>One dispatched Server-Sent Event: its <c>event:</c> name (null when absent) and joined <c>data:</c> lines.</summary>
    public readonly struct SseEvent
    {
        public readonly string Name;
        public readonly string Data;

        public SseEvent(string name, string data)
        {
            Name = name;
            Data = data;
        }
    }

    /// <summary>
    /// Incremental text/event-stream parser (WHATWG rules: LF, CR or CRLF line ends, ':' comments, one optional
    /// space after the colon, multi-line data joined with '\n', dispatch on a blank line). Bytes may arrive split
    /// anywhere, even inside a UTF-8 sequence, because lines are decoded only when complete.
    /// </summary>
    public sealed class SseParser
    {
        static readonly byte[] DataField = Encoding.ASCII.GetBytes("data");
        static readonly byte[] EventField = Encoding.ASCII.GetBytes("event");

        readonly StringBuilder _data = new StringBuilder();
        readonly Queue<SseEvent> _ready = new Queue<SseEvent>();
        byte[] _line = new byte[512];
        int _lineLength;
        char[] _chars = new char[512];
        string _eventName;
        bool _hasData;
        bool _lastWasCr;

        /// <summary>Events completed by the bytes fed so far.</summary>
        public int Pending => _ready.Count;

        /// <summary>True when a line or an event has started but not been terminated (a cut stream).</summary>
        public bool HasPartial => _lineLength > 0 || _hasData;

        public void Feed(ReadOnlySpan<byte> bytes)
        {
            while (bytes.Length > 0)
            {
                if (_lastWasCr)
                {
                    _lastWasCr = false;
                    if (bytes[0] == (byte)'\n') { bytes = bytes.Slice(1); continue; }
                }
                var end = bytes.IndexOfAny((byte)'\n', (byte)'\r');
                if (end < 0)
                {
                    Append(bytes);
                    return;
                }
                Append(bytes.Slice(0, end));
                _lastWasCr = bytes[end] == (byte)'\r';
                EndLine();
                bytes = bytes.Slice(end + 1);
            }
        }

        public bool TryRead(out SseEvent e)
        {
            if (_ready.Count > 0) { e = _ready.Dequeue(); return true; }
            e = default;
            return false;
        }

        void Append(ReadOnlySpan<byte> part)
        {
            if (part.Length == 0) return;
            if (_lineLength + part.Length > _line.Length) Array.Resize(ref _line, Math.Max(_line.Length * 2, _lineLength + part.Length));
            part.CopyTo(new Span<byte>(_line, _lineLength, part.Length));
            _lineLength += part.Length;
        }

        void EndLine()
        {
            var line = new ReadOnlySpan<byte>(_line, 0, _lineLength);
            _lineLength = 0;
            if (line.Length == 0)
            {
                if (_hasData) _ready.Enqueue(new SseEvent(_eventName, _data.ToString()));
                _data.Clear();
                _hasData = false;
                _eventName = null;
                return;
            }
            if (line[0] == (byte)':') return;
            var colon = line.IndexOf((byte)':');
            var field = colon < 0 ? line : line.Slice(0, colon);
            var value = colon < 0 ? ReadOnlySpan<byte>.Empty : line.Slice(colon + 1);
            if (value.Length > 0 && value[0] == (byte)' ') value = value.Slice(1);
            if (field.SequenceEqual(DataField))
            {
                if (_hasData) _data.Append('\n');
                // Decoded straight into the builder: a complete line holds only whole UTF-8 sequences.
                if (_chars.Length < value.Length) _chars = new char[Math.Max(value.Length, _chars.Length * 2)];
                var n = Encoding.UTF8.GetChars(value, _chars);
                _data.Append(_chars, 0, n);
                _hasData = true;
            }
            else if (field.SequenceEqual(EventField)) _eventName = Encoding.UTF8.GetString(value);
        }
    }
}
