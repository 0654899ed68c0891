using Parley.Providers;

namespace Parley.Session.Metrics
{
    /// <summary>US dollars per million tokens, by kind. Prices change: set them from the vendor's pricing page.</summary>
    public sealed class CostModel
    {
        public double TextInputPerMillion;
        public double CachedInputPerMillion;
        public double TextOutputPerMillion;
        public double AudioInputPerMillion;
        public double AudioOutputPerMillion;
        public double TranscriptionPerMillion;

        /// <summary>OpenAI gpt-realtime list prices (Aug 2025): text $4/$16, audio $32/$64, cached $0.40 per 1M.</summary>
        public static CostModel OpenAIRealtime() => new CostModel
        {
            TextInputPerMillion = 4, CachedInputPerMillion = 0.4, TextOutputPerMillion = 16,
            AudioInputPerMillion = 32, AudioOutputPerMillion = 64, TranscriptionPerMillion = 0,
        };

        /// <summary>No cost (self-hosted servers, the emulator).</summary>
        public static CostModel Free() => new CostModel();

        /// <summary>Cost of <paramref name="u"/>. Cached tokens are billed at the cached price and subtracted from the
        /// (text first, then audio) input they belong to.</summary>
        public double CostUsd(in TokenUsage u)
        {
            var cached = u.CachedInputTokens;
            var text = u.InputTextTokens;
            var audio = u.InputAudioTokens;
            var fromText = System.Math.Min(cached, text);
            text -= fromText;
            audio -= System.Math.Min(cached - fromText, audio);
            return (text * TextInputPerMillion + audio * AudioInputPerMillion + cached * CachedInputPerMillion
                    + u.OutputTextTokens * TextOutputPerMillion + u.OutputAudioTokens * AudioOutputPerMillion
                    + u.TranscriptionTokens * TranscriptionPerMillion) / 1e6;
        }
    }
}
