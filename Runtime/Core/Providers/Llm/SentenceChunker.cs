using System;
using System.Collections.Generic;
using System.Text;

namespace Parley.Providers.Llm
{
    /// <summary>
    /// Cuts streamed LLM text into phrases a TTS can speak as soon as they are complete: at sentence ends
    /// (. ! ? … followed by white space, not after common abbreviations or inside numbers like 3.5), at line
    /// breaks, at a clause mark (, ; : —) once a phrase is long enough, and at a space when it gets too long.
    /// The first phrase of a reply may be cut earlier than the rest so speech starts sooner.
    /// </summary>
    public sealed class SentenceChunker
    {
        static readonly HashSet<string> Abbreviations = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "mr", "mrs", "ms", "dr", "st", "sr", "jr", "vs", "etc", "e.g", "i.e", "no", "prof", "mt", "approx",
        };

        readonly StringBuilder _buffer = new StringBuilder();
        int _emitted;

        /// <summary>A clause mark ends a phrase only when the phrase has at least this many characters.</summary>
        public int ClauseMinChars = 40;
        /// <summary>Same rule for the first phrase of the reply (lower: it sets the time to first audio).</summary>
        public int FirstClauseMinChars = 20;
        /// <summary>A phrase with no boundary is cut at the last space before this many characters.</summary>
        public int MaxChars = 200;

        public void Reset()
        {
            _buffer.Clear();
            _emitted = 0;
        }

        /// <summary>Adds streamed text; appends every phrase it completes to <paramref name="phrases"/>.</summary>
        public void Push(string delta, List<string> phrases)
        {
            if (string.IsNullOrEmpty(delta)) return;
            _buffer.Append(delta);
            while (TryCut(out var phrase)) phrases.Add(phrase);
        }

        /// <summary>End of the reply: whatever is left, or null.</summary>
        public string Flush()
        {
            var rest = _buffer.ToString().Trim();
            _buffer.Clear();
            if (rest.Length == 0) return null;
            _emitted++;
            return rest;
        }

        bool TryCut(out string phrase)
        {
            phrase = null;
            var n = _buffer.Length;
            var clauseMin = _emitted == 0 ? FirstClauseMinChars : ClauseMinChars;
            // Scan up to n-1: a boundary needs the character after it to be known.
            for (var i = 0; i < n - 1; i++)
            {
                var c = _buffer[i];
                var next = _buffer[i + 1];
                var cut = -1;
                if (c == '\n') cut = i + 1;
                else if ((c == '.' || c == '!' || c == '?' || c == '…') && char.IsWhiteSpace(next))
                {
                    if (c != '.' || !EndsWithAbbreviation(i)) cut = i + 1;
                }
                else if ((c == ',' || c == ';' || c == ':' || c == '—') && char.IsWhiteSpace(next) && i + 1 >= clauseMin) cut = i + 1;
                if (cut > 0)
                {
                    var text = _buffer.ToString(0, cut).Trim();
                    _buffer.Remove(0, cut);
                    if (text.Length == 0) { n = _buffer.Length; i = -1; continue; }
                    phrase = text;
                    _emitted++;
                    return true;
                }
                if (i + 1 >= MaxChars)
                {
                    var space = LastSpace(i);
                    var at = space > 0 ? space : i + 1;
                    phrase = _buffer.ToString(0, at).Trim();
                    _buffer.Remove(0, at);
                    _emitted++;
                    return phrase.Length > 0;
                }
            }
            return false;
        }

        int LastSpace(int before)
        {
            for (var i = before; i > 0; i--) if (char.IsWhiteSpace(_buffer[i])) return i;
            return -1;
        }

        bool EndsWithAbbreviation(int dot)
        {
            var start = dot;
            while (start > 0 && !char.IsWhiteSpace(_buffer[start - 1])) start--;
            if (start == dot) return false;
            var word = _buffer.ToString(start, dot - start).TrimStart('(', '"', '\'');
            if (word.Length == 1 && char.IsUpper(word[0])) return true;   // an initial: "J. Smith"
            return Abbreviations.Contains(word);
        }
    }
}
