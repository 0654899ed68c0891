using System;

namespace Parley.Session
{
    /// <summary>
    /// Estimates what the player heard of an interrupted reply: its transcript cut in proportion to the audio
    /// played versus received, at a word boundary (a half-heard word is dropped). Providers send transcript
    /// and audio at about the same pace, so the proportion is a fair estimate without word timings.
    /// </summary>
    public static class HeardText
    {
        public static string Cut(string text, int playedMs, int receivedMs)
        {
            if (string.IsNullOrEmpty(text) || playedMs <= 0 || receivedMs <= 0) return "";
            if (playedMs >= receivedMs) return text.Trim();
            var cut = (int)Math.Floor(text.Length * (playedMs / (double)receivedMs));
            if (cut >= text.Length) return text.Trim();
            // Keep the cut only at a word end; otherwise back up to the previous one.
            if (cut > 0 && !char.IsWhiteSpace(text[cut]) && !char.IsWhiteSpace(text[cut - 1]))
                while (cut > 0 && !char.IsWhiteSpace(text[cut - 1])) cut--;
            return text.Substring(0, cut).Trim();
        }
    }
}
