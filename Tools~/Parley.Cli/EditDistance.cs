using System;
using System.Collections.Generic;

namespace Parley.Cli
{
    /// <summary>"Did you mean …?": the nearest of the names the user could have meant.</summary>
    static class EditDistance
    {
        /// <summary>The candidate closest to <paramref name="typed"/> (a swap of neighbours counts as one edit); the first on a tie, null if none.</summary>
        public static string Nearest(string typed, IEnumerable<string> candidates)
        {
            string best = null;
            var bestDistance = int.MaxValue;
            foreach (var c in candidates)
            {
                var d = Distance(typed, c);
                if (d < bestDistance) { best = c; bestDistance = d; }
            }
            return best;
        }

        /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.</summary>
        public static int Distance(string a, string b)
        {
            var d = new int[a.Length + 1, b.Length + 1];
            for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
            for (var j = 0; j <= b.Length; j++) d[0, j] = j;
            for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
            return d[a.Length, b.Length];
        }
    }
}
