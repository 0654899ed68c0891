using System;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Transport;
using Parley.Unity.Profiles;

namespace Parley.Cli.Scene
{
    /// <summary>
    /// The CLI's provider as the agent's profile: the same provider catalog as `talk` (--provider, --url, a key
    /// variable or --token-url, --record) makes each connection's provider, so `scene` reaches every provider `talk`
    /// does. The catalog has resolved the credential already, so the agent is asked for none.
    /// </summary>
    sealed class CliProfile : VoiceProfile
    {
        public string Name = "emulator";
        public Func<IVoiceProvider> Factory;

        public override string ProviderName => Name;
        public override bool RequiresCredential => false;

        public override IVoiceProvider CreateProvider(ICredentialSource credentials, Func<IWebSocketTransport> transport) => Factory();
    }
}
