using System;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.Llm;
using Parley.Providers.Riva;
using Parley.Transport;
using UnityEngine;

namespace Parley.Unity.Profiles
{
    /// <summary>
    /// A self-hosted NVIDIA Riva cascade: speech NIMs over their realtime WebSocket (ASR and TTS, usually two
    /// containers) and an OpenAI-compatible LLM (NIM LLM, vLLM, Ollama, llama.cpp). The profile's Model is the LLM's,
    /// Voice the TTS voice, Language the ASR and TTS language. A local server needs no key; when any endpoint is
    /// NVIDIA-hosted (NVCF, *.nvidia.com) the profile needs a credential (NVIDIA_API_KEY in the editor, a token source in
    /// builds), sent as the bearer to all three.
    /// </summary>
    [CreateAssetMenu(fileName = "Riva Cascade Profile", menuName = "Parley/Riva Cascade Profile (self-hosted)", order = 4)]
    [HelpURL(HelpLinks.RivaCascade)]
    public sealed class RivaCascadeProfile : VoiceProfile
    {
        [SerializeField, Tooltip("ASR NIM realtime WebSocket root, e.g. ws://127.0.0.1:9000.")]
        string asrUrl = "ws://127.0.0.1:9000";
        [SerializeField, Tooltip("TTS NIM realtime WebSocket root, e.g. ws://127.0.0.1:9001 (its own container).")]
        string ttsUrl = "ws://127.0.0.1:9001";
        [SerializeField, Tooltip("OpenAI-compatible chat completions base, e.g. http://127.0.0.1:8000/v1 (vLLM) or http://127.0.0.1:11434/v1 (Ollama).")]
        string llmUrl = "http://127.0.0.1:8000/v1";
        [SerializeField, Min(8000), Tooltip("Sample rate asked of the TTS (22050 and 44100 are common).")]
        int outputSampleRate = 22050;
        [SerializeField, Tooltip("ASR model as the NIM lists it; empty for its default.")]
        string asrModel;
        [SerializeField, Tooltip("Plain ws:// and http:// to a non-loopback host (a GPU box on your LAN).")]
        bool allowInsecure;

        public string AsrUrl { get => asrUrl; set => asrUrl = value; }
        public string TtsUrl { get => ttsUrl; set => ttsUrl = value; }
        public string LlmUrl { get => llmUrl; set => llmUrl = value; }
        public int OutputSampleRate { get => outputSampleRate; set => outputSampleRate = value; }
        public string AsrModel { get => asrModel; set => asrModel = value; }
        public bool AllowInsecure { get => allowInsecure; set => allowInsecure = value; }

        public override string ProviderName => "riva";
        public override bool RequiresCredential => RivaEndpoints.AnyNvidiaHosted(asrUrl, ttsUrl, llmUrl);
        public override string KeyEnvironmentVariable => RivaEndpoints.KeyEnvironmentVariable;

        public override IVoiceProvider CreateProvider(ICredentialSource credentials, Func<IWebSocketTransport> transport)
        {
            var language = string.IsNullOrWhiteSpace(Language) ? "en-US" : Language.Trim();
            NimRealtimeOptions Stage(string url, string field)
            {
                var o = new NimRealtimeOptions
                {
                    BaseUri = ParseUrl(url, field, "ws", "wss"), Credentials = credentials, AllowInsecure = allowInsecure,
                    LanguageCode = language, AsrModel = string.IsNullOrWhiteSpace(asrModel) ? null : asrModel.Trim(),
                    Voice = string.IsNullOrWhiteSpace(Voice) ? null : Voice.Trim(), OutputSampleRate = outputSampleRate,
                };
                if (transport != null) o.TransportFactory = transport;
                return o;
            }

            return new RivaCascadeProvider(new RivaCascadeOptions
            {
                Asr = new NimRealtimeAsr(Stage(asrUrl, "ASR URL")),
                Tts = new NimRealtimeTts(Stage(ttsUrl, "TTS URL")),
                Llm = new ChatCompletionsClient(new ChatCompletionsOptions
                {
                    BaseUri = ParseUrl(llmUrl, "LLM URL", "http", "https"),
                    Model = string.IsNullOrWhiteSpace(Model) ? null : Model.Trim(),
                    Credentials = credentials,
                    AllowInsecure = allowInsecure,
                }),
            });
        }
    }
}
