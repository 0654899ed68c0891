namespace Parley.Lipsync
{
    /// <summary>The 15 Oculus (Meta) visemes, in the order every weight array of <see cref="LipsyncAnalyser"/> uses.</summary>
    public enum Viseme
    {
        Sil, PP, FF, TH, DD, Kk, CH, SS, Nn, RR, Aa, E, Ih, Oh, Ou,
    }

    /// <summary>Names and constants of the viseme set.</summary>
    public static class Visemes
    {
        public const int Count = 15;

        /// <summary>Oculus names, indexed by <see cref="Viseme"/>: the names mapping files use.</summary>
        public static readonly string[] Names =
        {
            "sil", "PP", "FF", "TH", "DD", "kk", "CH", "SS", "nn", "RR", "aa", "E", "ih", "oh", "ou",
        };

        /// <summary>Index of an Oculus name (case-sensitive, as Oculus spells them), or -1.</summary>
        public static int IndexOf(string name)
        {
            for (var i = 0; i < Count; i++)
                if (Names[i] == name) return i;
            return -1;
        }

        /// <summary>True for the closed-mouth visemes (silence and the bilabials p, b, m).</summary>
        public static bool IsClosed(int viseme) => viseme == (int)Viseme.Sil || viseme == (int)Viseme.PP;
    }
}
