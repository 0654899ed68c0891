using System;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Transport;
using UnityEngine;

namespace Parley.Unity.Profiles
{
    /// <summary>
    /// What an agent talks to: one asset per provider with the model, voice, language and instructions.
    /// A profile never holds a key or token (a test scans every serialized field): keys come from the editor's
    /// development store and builds from a token source (see <see cref="Keys.AgentCredentials"/>).
    /// </summary>
    public abstract class VoiceProfile : ScriptableObject
    {
        [SerializeField, Tooltip("Model name as the provider spells it; empty for the provider's default.")]
        string model;
        [SerializeField, Tooltip("Voice name; empty for the provider's default.")]
        string voice;
        [SerializeField, Tooltip("BCP-47 language of the conversation (e.g. en-US); empty to let the model decide.")]
        string language;
        [SerializeField, TextArea(3, 12), Tooltip("System instructions: who the agent is and how it talks.")]
        string instructions;

        public string Model { get => model; set => model = value; }
        public string Voice { get => voice; set => voice = value; }
        public string Language { get => language; set => language = value; }
        public string Instructions { get => instructions; set => instructions = value; }

        /// <summary>Short provider name ("openai", "gemini", "minicpmo"); also the name of its development key.</summary>
        public abstract string ProviderName { get; }

        /// <summary>
        /// True when the server wants a cloud key or token. A build may then only use a token source; a
        /// self-hosted server that needs none returns false.
        /// </summary>
        public abstract bool RequiresCredential { get; }

        /// <summary>The environment variable an editor session reads the development key from.</summary>
        public virtual string KeyEnvironmentVariable => ProviderName.ToUpperInvariant() + "_API_KEY";

        /// <summary>
        /// One provider per connection. <paramref name="credentials"/> is null when no credential is needed;
        /// <paramref name="transport"/> is null for the default socket (WebGL passes the browser's).
        /// </summary>
        public abstract IVoiceProvider CreateProvider(ICredentialSource credentials, Func<IWebSocketTransport> transport);

        /// <summary>The session configuration of this profile (turn mode and tools are set by the session).</summary>
        public SessionConfig ToSessionConfig()
        {
            var c = new SessionConfig
            {
                Model = Empty(model), Voice = Empty(voice), Language = Empty(language), Instructions = Empty(instructions),
            };
            return c;
        }

        static string Empty(string s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

        protected static Uri ParseUrl(string value, string field, params string[] schemes)
        {
            if (Uri.TryCreate(value, UriKind.Absolute, out var uri))
                foreach (var s in schemes)
                    if (uri.Scheme == s) return uri;
            throw new ArgumentException(field + " '" + value + "' is not a " + string.Join(" or ", schemes) + " URL.");
        }
    }
}
