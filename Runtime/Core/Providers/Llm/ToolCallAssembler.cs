using System.Collections.Generic;
using System.Text;

namespace Parley.Providers.Llm
{
    /// <summary>
    /// Joins streamed tool-call deltas. The chat-completions stream sends, per call <c>index</c>, the id and the
    /// function name once (some servers repeat them) and the arguments JSON in arbitrary pieces; servers that do
    /// not stream tools send it all in one delta. Calls come out in index order.
    /// </summary>
    public sealed class ToolCallAssembler
    {
        sealed class Partial
        {
            public string Id;
            public string Name;
            public readonly StringBuilder Arguments = new StringBuilder();
        }

        readonly SortedDictionary<int, Partial> _calls = new SortedDictionary<int, Partial>();

        public int Count => _calls.Count;

        public void Reset() => _calls.Clear();

        public void Add(int index, string id, string name, string argumentsPiece)
        {
            if (!_calls.TryGetValue(index, out var p)) _calls[index] = p = new Partial();
            if (!string.IsNullOrEmpty(id)) p.Id = id;
            if (!string.IsNullOrEmpty(name))
            {
                // A few servers stream the name in pieces too; others repeat it whole in every delta.
                if (p.Name == null || name == p.Name) p.Name = name;
                else if (!p.Name.EndsWith(name)) p.Name += name;
            }
            if (!string.IsNullOrEmpty(argumentsPiece)) p.Arguments.Append(argumentsPiece);
        }

        /// <summary>The finished calls; ids are synthesised ("call_&lt;index&gt;") for servers that send none.</summary>
        public void Complete(List<ChatToolCall> into)
        {
            foreach (var kv in _calls)
            {
                var args = kv.Value.Arguments.ToString();
                into.Add(new ChatToolCall
                {
                    Id = string.IsNullOrEmpty(kv.Value.Id) ? "call_" + kv.Key : kv.Value.Id,
                    Name = kv.Value.Name ?? string.Empty,
                    ArgumentsJson = args.Length == 0 ? "{}" : args,
                });
            }
            _calls.Clear();
        }
    }
}
