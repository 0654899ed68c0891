using System;
using System.Collections.Generic;
using System.Text;
using Parley.Providers;

namespace Parley.Session.Parts
{
    /// <summary>
    /// The conversation as the player heard it: user turns in the order spoken (a slot is placed when the
    /// player stops, filled by the final transcript), agent replies whole when they played out, cut to what was
    /// heard when interrupted or lost with the connection. Replayed to a fresh connection. Bounded: at most
    /// <see cref="MaxItems"/> items and <see cref="MaxOpenItems"/> open slots and agent texts; the oldest go first.
    /// Written on the loop; <see cref="Snapshot"/> may be called from any thread (hence the small lock, which
    /// never covers user code).
    /// </summary>
    sealed class HeardHistory
    {
        public const int MaxOpenItems = 16;

        readonly object _gate = new object();
        readonly LinkedList<HistoryItem> _items = new LinkedList<HistoryItem>();
        readonly Dictionary<string, HistoryItem> _userSlots = new Dictionary<string, HistoryItem>();
        readonly Queue<string> _userSlotOrder = new Queue<string>();
        readonly Dictionary<string, StringBuilder> _agentText = new Dictionary<string, StringBuilder>();
        readonly Queue<string> _agentTextOrder = new Queue<string>();
        readonly int _maxItems;

        public HeardHistory(int maxItems) { _maxItems = Math.Max(1, maxItems); }

        public int MaxItems => _maxItems;

        /// <summary>Per-item entries held (open user slots + agent texts): bounded by 2 × <see cref="MaxOpenItems"/>.</summary>
        public int OpenItems { get { lock (_gate) return _userSlots.Count + _agentText.Count; } }

        public int Count { get { lock (_gate) return _items.Count; } }

        public void Add(HistoryItem item)
        {
            lock (_gate)
            {
                _items.AddLast(item);
                while (_items.Count > _maxItems) _items.RemoveFirst();
            }
        }

        public void User(string text) => Add(new HistoryItem(HistoryRole.User, text));

        /// <summary>The player stopped speaking: keep their place until the transcript arrives.</summary>
        public void UserStopped(string itemId)
        {
            if (itemId == null) return;
            var slot = new HistoryItem(HistoryRole.User, null);
            lock (_gate)
            {
                if (_userSlots.ContainsKey(itemId)) return;
                _userSlots[itemId] = slot;
                _userSlotOrder.Enqueue(itemId);
                while (_userSlotOrder.Count > MaxOpenItems) _userSlots.Remove(_userSlotOrder.Dequeue());
            }
            Add(slot);
        }

        public void UserFinal(string itemId, string text)
        {
            lock (_gate)
            {
                if (itemId != null && _userSlots.TryGetValue(itemId, out var slot))
                {
                    slot.Text = text;
                    _userSlots.Remove(itemId); // the queue entry goes when it reaches the front
                    return;
                }
            }
            User(text);
        }

        /// <summary>Agent subtitles: deltas append, a final replaces.</summary>
        public void AgentText(string itemId, string text, bool isFinal)
        {
            lock (_gate)
            {
                var key = itemId ?? "";
                if (!_agentText.TryGetValue(key, out var sb))
                {
                    _agentText[key] = sb = new StringBuilder();
                    _agentTextOrder.Enqueue(key);
                    while (_agentTextOrder.Count > MaxOpenItems) _agentText.Remove(_agentTextOrder.Dequeue());
                }
                if (isFinal) sb.Clear();
                sb.Append(text);
            }
        }

        /// <summary>The reply played out: it enters the history whole.</summary>
        public void Completed(string itemId)
        {
            var text = Take(itemId);
            if (!string.IsNullOrEmpty(text)) Add(new HistoryItem(HistoryRole.Agent, text));
        }

        /// <summary>The reply was cut after <paramref name="playedMs"/> of <paramref name="receivedMs"/>: only the heard words enter the history.</summary>
        public string Cut(string itemId, int playedMs, int receivedMs)
        {
            var heard = HeardText.Cut(Take(itemId) ?? "", playedMs, receivedMs);
            if (heard.Length > 0) Add(new HistoryItem(HistoryRole.Agent, heard));
            return heard;
        }

        string Take(string itemId)
        {
            if (itemId == null) return null;
            lock (_gate)
            {
                if (!_agentText.TryGetValue(itemId, out var sb)) return null;
                _agentText.Remove(itemId);
                return sb.ToString();
            }
        }

        /// <summary>A copy without the empty slots (what a fresh connection is given).</summary>
        public List<HistoryItem> Snapshot()
        {
            lock (_gate)
            {
                var copy = new List<HistoryItem>(_items.Count);
                foreach (var h in _items)
                    if (!string.IsNullOrEmpty(h.Text)) copy.Add(new HistoryItem(h.Role, h.Text) { CallId = h.CallId, ToolName = h.ToolName });
                return copy;
            }
        }
    }
}
