using System;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.OpenAI;
using Parley.Transport;
using UnityEngine;

namespace Parley.Unity.Profiles
{
    /// <summary>OpenAI Realtime (GA) or a gateway speaking its protocol.</summary>
    [CreateAssetMenu(fileName = "OpenAI Realtime Profile", menuName = "Parley/OpenAI Realtime Profile", order = 1)]
    [HelpURL(HelpLinks.OpenAIRealtime)]
    public sealed class OpenAIRealtimeProfile : VoiceProfile
    {
        [SerializeField, Tooltip("Realtime endpoint without the query; ?model= is appended.")]
        string serverUrl = OpenAIRealtimeOptions.DefaultBaseUrl;
        [SerializeField, Tooltip("Plain ws:// to a non-loopback host (a gateway on your LAN).")]
        bool allowInsecure;
        [SerializeField, Range(0f, 1.5f), Tooltip("Speech speed 0.25..1.5; 0 = server default.")]
        float speed;

        public string ServerUrl { get => serverUrl; set => serverUrl = value; }
        public bool AllowInsecure { get => allowInsecure; set => allowInsecure = value; }
        public float Speed { get => speed; set => speed = value; }

        public override string ProviderName => "openai";
        public override bool RequiresCredential => true;

        public override IVoiceProvider CreateProvider(ICredentialSource credentials, Func<IWebSocketTransport> transport)
        {
            var options = new OpenAIRealtimeOptions
            {
                Credentials = credentials,
                BaseUrl = ParseUrl(serverUrl, "Server URL", "wss", "ws").GetLeftPart(UriPartial.Path),
                AllowInsecure = allowInsecure,
                Speed = speed,
                // A browser socket cannot set headers: the (ephemeral) secret goes in the subprotocol instead.
                AuthInSubprotocol = transport != null,
            };
            if (transport != null) options.TransportFactory = transport;
            return new OpenAIRealtimeProvider(options);
        }
    }
}
