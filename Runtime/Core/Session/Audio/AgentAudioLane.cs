using System;
using Parley.Providers;

namespace Parley.Session.Audio
{
    /// <summary>
    /// The agent's audio from the provider's receive task straight into the playout, never behind control
    /// messages. It keys items by their session-wide id (<see cref="ItemIds"/>), drops audio of items that were
    /// cut or have ended, counts what it received per item, and tells the loop once per item that audio began.
    /// The small lock orders a cut (flush) against a write; it never covers user code beyond the playout.
    /// Per-item state is a fixed ring: bounded over any session length.
    /// </summary>
    sealed class AgentAudioLane
    {
        const int Tracked = 32;

        readonly object _gate = new object();
        readonly IAgentPlayout _playout;
        readonly Action<string> _itemStarted;
        readonly string[] _ids = new string[Tracked];
        readonly long[] _received = new long[Tracked];
        readonly bool[] _closed = new bool[Tracked]; // cut or ended: no more audio plays
        readonly bool[] _cut = new bool[Tracked];
        int _next;
        int _generation;
        string _current;
        // The provider repeats the same id string per chunk: map it once, so a chunk allocates nothing.
        string _lastRaw;
        string _lastId;
        long _overflows;
        long _discarded;

        /// <param name="itemStarted">Called (on the provider's thread) with the session-wide id when an item's first audio arrives.</param>
        public AgentAudioLane(IAgentPlayout playout, Action<string> itemStarted)
        {
            _playout = playout;
            _itemStarted = itemStarted;
        }

        public long Overflows { get { lock (_gate) return _overflows; } }
        /// <summary>Samples that arrived for an item already cut or ended (not played).</summary>
        public long Discarded { get { lock (_gate) return _discarded; } }
        public string Current { get { lock (_gate) return _current; } }

        /// <summary>A new connection: audio of older ones is ignored from now on.</summary>
        public void SetGeneration(int generation)
        {
            lock (_gate)
            {
                _generation = generation;
                _lastRaw = _lastId = null;
            }
        }

        public void Write(int generation, string rawItemId, ReadOnlySpan<short> pcm)
        {
            string started = null;
            lock (_gate)
            {
                if (generation != _generation || rawItemId == null) return;
                if (!ReferenceEquals(rawItemId, _lastRaw) && rawItemId != _lastRaw)
                {
                    _lastRaw = rawItemId;
                    _lastId = ItemIds.Scope(generation, rawItemId);
                }
                var id = _lastId;
                var slot = Slot(id, true);
                if (_closed[slot]) { _discarded += pcm.Length; return; }
                if (!ReferenceEquals(id, _current))
                {
                    if (_current != null) EndLocked(_current);
                    _current = id;
                    started = id;
                }
                _received[slot] += pcm.Length;
                if (_playout != null)
                {
                    bool ok;
                    try { ok = _playout.Write(id, pcm); }
                    catch (InvalidOperationException) { ok = false; } // the playout refused the item: counted, never thrown at the provider
                    if (!ok) _overflows++;
                }
            }
            if (started != null) _itemStarted(started);
        }

        /// <summary>Samples received for <paramref name="id"/> (0 when unknown).</summary>
        public long Received(string id)
        {
            lock (_gate)
            {
                var slot = Slot(id, false);
                return slot < 0 ? 0 : _received[slot];
            }
        }

        /// <summary>Barge-in or a lost connection cut <paramref name="id"/>: its late transcript must not replace what was heard.</summary>
        public bool IsCut(string id)
        {
            lock (_gate)
            {
                var slot = Slot(id, false);
                return slot >= 0 && _cut[slot];
            }
        }

        /// <summary>The server sent all of <paramref name="id"/>: it may play out; later audio for it is dropped.</summary>
        public void End(string id)
        {
            lock (_gate) EndLocked(id);
        }

        /// <summary>
        /// Barge-in or a lost connection: silence the speaker now (fade + flush) and drop whatever still arrives
        /// for <paramref name="id"/>. Returns what the speaker had played of it, in ms.
        /// </summary>
        public int Cut(string id)
        {
            lock (_gate)
            {
                var played = id != null && _playout != null ? _playout.PlayedMs(id) : 0;
                if (id != null)
                {
                    var slot = Slot(id, true);
                    _closed[slot] = _cut[slot] = true;
                }
                _playout?.Flush();
                if (ReferenceEquals(id, _current) || id == _current) _current = null;
                return played;
            }
        }

        void EndLocked(string id)
        {
            if (id == null) return;
            var slot = Slot(id, true);
            if (!_closed[slot]) _playout?.EndItem(id);
            _closed[slot] = true;
            if (id == _current) _current = null;
        }

        int Slot(string id, bool create)
        {
            for (var i = 0; i < Tracked; i++)
                if (_ids[i] != null && (ReferenceEquals(_ids[i], id) || _ids[i] == id)) return i;
            if (!create) return -1;
            var s = _next;
            _next = (_next + 1) % Tracked;
            _ids[s] = id;
            _received[s] = 0;
            _closed[s] = _cut[s] = false;
            return s;
        }
    }

    /// <summary>
    /// Item ids unique for the session's life: providers number items per connection (Gemini restarts at
    /// "gemini-turn-1" on every resume), so ids of connection 2 and later carry the connection number.
    /// </summary>
    public static class ItemIds
    {
        public static string Scope(int generation, string providerItemId)
        {
            if (providerItemId == null) return null;
            return generation <= 1 ? providerItemId : providerItemId + "@c" + generation;
        }

        /// <summary>The provider's own id (what it expects back, e.g. in <see cref="InterruptRequest"/>).</summary>
        public static string Unscope(string itemId)
        {
            if (itemId == null) return null;
            var at = itemId.LastIndexOf("@c", StringComparison.Ordinal);
            if (at < 0) return itemId;
            for (var i = at + 2; i < itemId.Length; i++) if (!char.IsDigit(itemId[i])) return itemId;
            return at + 2 < itemId.Length ? itemId.Substring(0, at) : itemId;
        }
    }
}
