using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Parley.Samples.XRTrainer.Scoring
{
    /// <summary>
    /// Finds a step's cue in what the recogniser heard. Text is lower-cased, apostrophes dropped ("don't" → "dont"),
    /// and split into words; punctuation ends a clause. A cue is met when each of its word groups occurs in one
    /// clause of the utterance and the occurrence is not negated: a negation word ("don't", "not", "never", …) right before it in
    /// the same clause, fillers ("just", "um") skipped, cancels it ("don't pull the pin" is not the step,
    /// "don't panic, pull the pin" is).
    /// </summary>
    public static class PhraseMatcher
    {
        static readonly HashSet<string> Negators = new HashSet<string>(StringComparer.Ordinal)
            { "dont", "not", "never", "cant", "cannot", "shouldnt", "wont", "didnt", "doesnt", "without", "avoid" };
        static readonly HashSet<string> Fillers = new HashSet<string>(StringComparer.Ordinal)
            { "ever", "just", "really", "even", "um", "uh", "erm", "actually" };

        /// <summary>One word of an alternative; <see cref="Prefix"/> for a trailing '*'.</summary>
        internal readonly struct Word
        {
            public Word(string text, bool prefix) { Text = text; Prefix = prefix; }
            public string Text { get; }
            public bool Prefix { get; }
            public bool Matches(string token) => Prefix ? token.StartsWith(Text, StringComparison.Ordinal) : token == Text;
        }

        /// <summary>Groups (all required) of alternatives (any one) of word sequences.</summary>
        internal sealed class Cue
        {
            public Cue(Word[][][] groups) { Groups = groups; }
            public Word[][][] Groups { get; }
        }

        /// <summary>A word of an utterance and the clause it is in.</summary>
        public readonly struct Token
        {
            public Token(string text, int clause) { Text = text; Clause = clause; }
            public string Text { get; }
            public int Clause { get; }
        }

        internal static Cue Parse(string cue)
        {
            if (string.IsNullOrWhiteSpace(cue)) throw new ArgumentException("A cue needs at least one word.", nameof(cue));
            var groups = cue.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            var parsed = new Word[groups.Length][][];
            for (var g = 0; g < groups.Length; g++)
            {
                var alternatives = groups[g].Split(new[] { '|' }, StringSplitOptions.RemoveEmptyEntries);
                if (alternatives.Length == 0) throw new ArgumentException("Empty word group in cue '" + cue + "'.", nameof(cue));
                parsed[g] = new Word[alternatives.Length][];
                for (var a = 0; a < alternatives.Length; a++)
                {
                    var words = alternatives[a].Split(new[] { '+' }, StringSplitOptions.RemoveEmptyEntries);
                    if (words.Length == 0) throw new ArgumentException("Empty alternative in cue '" + cue + "'.", nameof(cue));
                    parsed[g][a] = new Word[words.Length];
                    for (var w = 0; w < words.Length; w++)
                    {
                        var text = words[w].ToLowerInvariant();
                        var prefix = text.EndsWith("*", StringComparison.Ordinal);
                        if (prefix) text = text.Substring(0, text.Length - 1);
                        if (text.Length == 0) throw new ArgumentException("A lone '*' in cue '" + cue + "'.", nameof(cue));
                        parsed[g][a][w] = new Word(text, prefix);
                    }
                }
            }
            return new Cue(parsed);
        }

        /// <summary>The words of an utterance, lower-case, apostrophes removed, with clause numbers.</summary>
        public static List<Token> Tokenize(string text)
        {
            var tokens = new List<Token>();
            if (string.IsNullOrEmpty(text)) return tokens;
            var word = new StringBuilder();
            var clause = 0;
            foreach (var raw in text.Normalize(NormalizationForm.FormKC))
            {
                var c = char.ToLowerInvariant(raw);
                if (char.IsLetterOrDigit(c)) { word.Append(c); continue; }
                if (c == '\'' || c == '\u2019') continue;                  // don't → dont
                if (word.Length > 0) { tokens.Add(new Token(word.ToString(), clause)); word.Clear(); }
                var category = char.GetUnicodeCategory(c);
                if (c == ',' || c == '.' || c == ';' || c == ':' || c == '!' || c == '?' || category == UnicodeCategory.DashPunctuation) clause++;
            }
            if (word.Length > 0) tokens.Add(new Token(word.ToString(), clause));
            return tokens;
        }

        /// <summary>
        /// Where the cue is met (index of the word that completes it): every group inside one clause, so that "pull"
        /// in one clause and "handle" in the next do not make "squeeze the handle". -1 when it is not met.
        /// </summary>
        internal static int Find(List<Token> tokens, Cue cue)
        {
            var clauseStart = 0;
            while (clauseStart < tokens.Count)
            {
                var clauseEnd = clauseStart;
                while (clauseEnd < tokens.Count && tokens[clauseEnd].Clause == tokens[clauseStart].Clause) clauseEnd++;
                var last = -1;
                foreach (var group in cue.Groups)
                {
                    var at = FindGroup(tokens, clauseStart, clauseEnd, group);
                    if (at < 0) { last = -1; break; }
                    if (at > last) last = at;
                }
                if (last >= 0) return last;
                clauseStart = clauseEnd;
            }
            return -1;
        }

        static int FindGroup(List<Token> tokens, int start, int end, Word[][] alternatives)
        {
            for (var i = start; i < end; i++)
                foreach (var alt in alternatives)
                    if (i + alt.Length <= end && MatchesAt(tokens, i, alt) && !Negated(tokens, i)) return i;
            return -1;
        }

        static bool MatchesAt(List<Token> tokens, int start, Word[] words)
        {
            if (start + words.Length > tokens.Count) return false;
            for (var w = 0; w < words.Length; w++)
                if (!words[w].Matches(tokens[start + w].Text)) return false;
            return true;
        }

        static bool Negated(List<Token> tokens, int at)
        {
            var clause = tokens[at].Clause;
            for (var i = at - 1; i >= 0 && tokens[i].Clause == clause; i--)
            {
                if (Fillers.Contains(tokens[i].Text)) continue;
                return Negators.Contains(tokens[i].Text);
            }
            return false;
        }
    }
}
