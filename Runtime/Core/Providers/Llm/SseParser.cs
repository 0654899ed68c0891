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
        readonly List<byte> _line = new List<byte>(256);
        readonly StringBuilder _data = new StringBuilder();
        readonly Queue<SseEvent> _ready = new Queue<SseEvent>();
        string _eventName;
        bool _hasData;
        bool _lastWasCr;
        byte[] _scratch = new byte[256];

        /// <summary>Events completed by the bytes fed so far.</summary>
        public int Pending => _ready.Count;

        /// <summary>True when a line or an event has started but not been terminated (a cut stream).</summary>
        public bool HasPartial => _line.Count > 0 || _hasData;

        public void Feed(ReadOnlySpan<byte> bytes)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                var b = bytes[i];
                if (b == (byte)'\n')
                {
                    if (_lastWasCr) { _lastWasCr = false; continue; }
                    EndLine();
                }
                else if (b == (byte)'\r')
                {
                    _lastWasCr = true;
                    EndLine();
                }
                else
                {
                    _lastWasCr = false;
                    _line.Add(b);
                }
            }
        }

        public bool TryRead(out SseEvent e)
        {
            if (_ready.Count > 0) { e = _ready.Dequeue(); return true; }
            e = default;
            return false;
        }

        void EndLine()
        {
            if (_line.Count == 0)
            {
                if (_hasData) _ready.Enqueue(new SseEvent(_eventName, _data.ToString()));
                _data.Clear();
                _hasData = false;
                _eventName = null;
                return;
            }
            if (_scratch.Length < _line.Count) _scratch = new byte[Math.Max(_line.Count, _scratch.Length * 2)];
            _line.CopyTo(_scratch);
            var text = Encoding.UTF8.GetString(_scratch, 0, _line.Count);
            _line.Clear();
            if (text[0] == ':') return;
            var colon = text.IndexOf(':');
            string field, value;
            if (colon < 0) { field = text; value = string.Empty; }
            else
            {
                field = text.Substring(0, colon);
                var start = colon + 1;
                if (start < text.Length && text[start] == ' ') start++;
                value = text.Substring(start);
            }
            if (field == "data")
            {
                if (_hasData) _data.Append('\n');
                _data.Append(value);
                _hasData = true;
            }
            else if (field == "event") _eventName = value;
        }
    }
}
