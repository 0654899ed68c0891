using System;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.Gemini;
using Parley.Transport;
using UnityEngine;

namespace Parley.Unity.Profiles
{
    /// <summary>Gemini Live.</summary>
    [CreateAssetMenu(fileName = "Gemini Live Profile", menuName = "Parley/Gemini Live Profile", order = 2)]
    [HelpURL(HelpLinks.GeminiLive)]
    public sealed class GeminiLiveProfile : VoiceProfile
    {
        [SerializeField, Tooltip("Gemini Live host.")]
        string host = "wss://generativelanguage.googleapis.com";

        public string Host { get => host; set => host = value; }

        public override string ProviderName => "gemini";
        public override bool RequiresCredential => true;

        public override IVoiceProvider CreateProvider(ICredentialSource credentials, Func<IWebSocketTransport> transport)
        {
            var options = new GeminiLiveOptions { Host = ParseUrl(host, "Host", "wss", "ws") };
            if (transport != null) options.TransportFactory = transport;
            return new GeminiLiveProvider(credentials, options);
        }
    }
}
