using System;
using System.Collections.Generic;

namespace Parley.Providers
{
    /// <summary>
    /// US dollars per one million tokens of each kind, for one model: the package's one cost formula. Prices
    /// change: set them from the vendor's pricing page and your contract.
    /// </summary>
    public sealed class ModelPrices
    {
        public double InputText;
        public double CachedInputText;
        public double InputAudio;
        public double CachedInputAudio;
        public double OutputText;
        public double OutputAudio;
        /// <summary>Input-transcription model tokens (billed separately by OpenAI).</summary>
        public double TranscriptionTokens;
        /// <summary>Input transcription billed by duration, per minute of audio.</summary>
        public double TranscriptionPerMinute;

        /// <summary>Estimated US dollars for <paramref name="usage"/>.</summary>
        public double CostUsd(in TokenUsage usage)
        {
            // Cached tokens are a subset of input tokens; the split between text and audio comes from the vendor when known.
            var cachedText = Math.Min(usage.CachedInputTokens - usage.CachedInputAudioTokens, usage.InputTextTokens);
            if (cachedText < 0) cachedText = 0;
            var cachedAudio = Math.Min(usage.CachedInputAudioTokens, usage.InputAudioTokens);
            var dollars =
                (usage.InputTextTokens - cachedText) * InputText + cachedText * CachedInputText +
                (usage.InputAudioTokens - cachedAudio) * InputAudio + cachedAudio * CachedInputAudio +
                usage.OutputTextTokens * OutputText + usage.OutputAudioTokens * OutputAudio +
                usage.TranscriptionTokens * TranscriptionTokens;
            return dollars / 1000000.0 + usage.TranscriptionSeconds / 60.0 * TranscriptionPerMinute;
        }
    }

    /// <summary>
    /// Prices by model, for the provider that knows which model billed each usage (the realtime model for a
    /// response, the transcription model for input transcripts). Models are looked up by exact id, then by the
    /// longest registered prefix ("gpt-realtime-mini" before "gpt-realtime"). The provider puts the estimate on
    /// <see cref="UsageReported.EstimatedCostUsd"/>; the session adds those up. The defaults are examples so the
    /// numbers are not zero; set your contract's prices with <see cref="Set"/>.
    /// </summary>
    public sealed class PriceTable
    {
        readonly Dictionary<string, ModelPrices> _prices = new Dictionary<string, ModelPrices>(StringComparer.OrdinalIgnoreCase);

        public PriceTable Set(string modelOrPrefix, ModelPrices prices)
        {
            if (string.IsNullOrEmpty(modelOrPrefix)) throw new ArgumentException("A model id or prefix is required.", nameof(modelOrPrefix));
            _prices[modelOrPrefix] = prices ?? throw new ArgumentNullException(nameof(prices));
            return this;
        }

        public bool TryGet(string model, out ModelPrices prices)
        {
            prices = null;
            if (string.IsNullOrEmpty(model)) return false;
            if (_prices.TryGetValue(model, out prices)) return true;
            var best = -1;
            foreach (var kv in _prices)
                if (kv.Key.Length > best && model.StartsWith(kv.Key, StringComparison.OrdinalIgnoreCase))
                {
                    best = kv.Key.Length;
                    prices = kv.Value;
                }
            return prices != null;
        }

        /// <summary>Estimated US dollars for <paramref name="usage"/>, or null when the model has no prices.</summary>
        public double? Cost(string model, in TokenUsage usage) => TryGet(model, out var p) ? p.CostUsd(usage) : (double?)null;

        /// <summary>
        /// Example prices (USD per 1M tokens) as OpenAI listed them for its realtime models in late 2025.
        /// Illustrative only, not authoritative: check the vendor's pricing page and your contract.
        /// </summary>
        public static PriceTable OpenAIExamples()
        {
            return new PriceTable()
                .Set("gpt-realtime", new ModelPrices { InputText = 4, CachedInputText = 0.4, InputAudio = 32, CachedInputAudio = 0.4, OutputText = 16, OutputAudio = 64 })
                .Set("gpt-realtime-mini", new ModelPrices { InputText = 0.6, CachedInputText = 0.06, InputAudio = 10, CachedInputAudio = 0.3, OutputText = 2.4, OutputAudio = 20 })
                .Set("gpt-4o-transcribe", new ModelPrices { InputText = 2.5, InputAudio = 6, OutputText = 10, TranscriptionTokens = 6, TranscriptionPerMinute = 0.006 })
                .Set("gpt-4o-mini-transcribe", new ModelPrices { InputText = 1.25, InputAudio = 3, OutputText = 5, TranscriptionTokens = 3, TranscriptionPerMinute = 0.003 })
                .Set("whisper-1", new ModelPrices { TranscriptionPerMinute = 0.006 });
        }
    }
}
