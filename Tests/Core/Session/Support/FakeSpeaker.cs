using System;
using System.Collections.Generic;
using Parley.Session.Audio;

namespace Parley.Tests.Session.Support
{
    /// <summary>
    /// A test double of the speaker side: keeps what the session queued and "renders" it when the test calls
    /// <see cref="Render"/>, advancing a played cursor per item exactly as the real playout's drain does.
    /// </summary>
    public sealed class FakeSpeaker : IAgentPlayout
    {
        readonly Queue<(string item, short[] pcm)> _queue = new Queue<(string, short[])>();
        readonly Dictionary<string, long> _played = new Dictionary<string, long>();
        readonly object _gate = new object();
        (string item, short[] pcm, int pos) _current;
        public readonly List<short> Rendered = new List<short>();
        public int Flushes;
        public long WrittenSamples;
        string _currentItem;
        bool _playing;
        long _underruns;

        public FakeSpeaker(int sampleRate) { SampleRate = sampleRate; }

        public int SampleRate { get; }
        public int FlushFadeMs => 10;

        public bool Write(string itemId, ReadOnlySpan<short> pcm)
        {
            lock (_gate) { _queue.Enqueue((itemId, pcm.ToArray())); WrittenSamples += pcm.Length; }
            return true;
        }

        public readonly List<string> Ended = new List<string>();
        public void EndItem(string itemId) { lock (_gate) Ended.Add(itemId); }

        public void Flush()
        {
            lock (_gate) { _queue.Clear(); _current = default; _playing = false; Flushes++; }
        }

        public int PlayedMs(string itemId)
        {
            lock (_gate) return itemId != null && _played.TryGetValue(itemId, out var n) ? (int)(n * 1000 / SampleRate) : 0;
        }

        public string CurrentItemId { get { lock (_gate) return _currentItem; } }
        public bool IsPlaying { get { lock (_gate) return _playing; } }
        public long Underruns { get { lock (_gate) return _underruns; } }

        public int QueuedSamples
        {
            get
            {
                lock (_gate)
                {
                    var n = _current.pcm == null ? 0 : _current.pcm.Length - _current.pos;
                    foreach (var q in _queue) n += q.pcm.Length;
                    return n;
                }
            }
        }

        /// <summary>Renders <paramref name="ms"/> of audio; returns the samples that were agent audio.</summary>
        public int Render(int ms)
        {
            lock (_gate)
            {
                var want = ms * SampleRate / 1000;
                var got = 0;
                while (got < want)
                {
                    if (_current.pcm == null || _current.pos >= _current.pcm.Length)
                    {
                        if (_queue.Count == 0) break;
                        var next = _queue.Dequeue();
                        _current = (next.item, next.pcm, 0);
                    }
                    var n = Math.Min(want - got, _current.pcm.Length - _current.pos);
                    for (var i = 0; i < n; i++) Rendered.Add(_current.pcm[_current.pos + i]);
                    _current.pos += n;
                    got += n;
                    _played.TryGetValue(_current.item, out var p);
                    _played[_current.item] = p + n;
                    _currentItem = _current.item;
                }
                if (got < want && got > 0) _underruns++;
                _playing = got > 0;
                return got;
            }
        }
    }
}
