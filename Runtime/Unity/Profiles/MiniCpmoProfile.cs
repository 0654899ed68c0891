using System;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.MiniCpmo;
using Parley.Transport;
using UnityEngine;

namespace Parley.Unity.Profiles
{
    /// <summary>A self-hosted MiniCPM-o server: no key (keep it on your own network).</summary>
    [CreateAssetMenu(fileName = "MiniCPM-o Profile", menuName = "Parley/MiniCPM-o Profile (self-hosted)", order = 3)]
    [HelpURL(HelpLinks.MiniCpmo)]
    public sealed class MiniCpmoProfile : VoiceProfile
    {
        [SerializeField, Tooltip("Server root, e.g. http://127.0.0.1:32550.")]
        string serverUrl = "http://127.0.0.1:32550";
        [SerializeField, Tooltip("Plain http:// to a non-loopback host (a GPU box on your LAN).")]
        bool allowInsecure;

        public string ServerUrl { get => serverUrl; set => serverUrl = value; }
        public bool AllowInsecure { get => allowInsecure; set => allowInsecure = value; }

        public override string ProviderName => "minicpmo";
        public override bool RequiresCredential => false;

        public override IVoiceProvider CreateProvider(ICredentialSource credentials, Func<IWebSocketTransport> transport) =>
            new MiniCpmoProvider(new MiniCpmoOptions
            {
                BaseUri = ParseUrl(serverUrl, "Server URL", "http", "https"), AllowInsecure = allowInsecure, AssistantPrompt = Instructions,
            });
    }
}
