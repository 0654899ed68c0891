using System.Collections.Generic;

namespace Parley.Editor.KeyScan
{
    /// <summary>Start offsets of a text's lines, for turning a character index into a 1-based line number.</summary>
    public sealed class LineIndex
    {
        readonly List<int> _starts = new List<int> { 0 };
        readonly int _length;

        public LineIndex(string text)
        {
            _length = text.Length;
            for (var i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', i + 1)) _starts.Add(i + 1);
        }

        /// <summary>The 0-based line holding <paramref name="index"/>.</summary>
        public int LineOf(int index)
        {
            var i = _starts.BinarySearch(index);
            return i >= 0 ? i : ~i - 1;
        }

        public int Start(int line) => _starts[line];

        /// <summary>The index after the line's last character (its '\n' excluded).</summary>
        public int End(int line) => line + 1 < _starts.Count ? _starts[line + 1] - 1 : _length;
    }
}
