using System;
using System.Threading;
using System.Threading.Tasks;
using Parley.Providers.Auth;
using UnityEngine;

namespace Parley.Unity.Keys
{
    /// <summary>
    /// How a build gets a credential: the URL of the game's backend (which mints an ephemeral OpenAI client
    /// secret or Gemini token; answers documented at <see cref="TokenEndpointCredential"/>) or a C# callback. Asked again on
    /// every connection, reconnects included. Holds no secret itself.
    /// </summary>
    [Serializable]
    public sealed class TokenSource
    {
        [SerializeField, Tooltip("Your backend's endpoint that returns a short-lived token (POST, JSON answer). Never a key.")]
        string url;

        /// <summary>A C# alternative to <see cref="Url"/> (set from code; not serialized). Called per connection.</summary>
        [NonSerialized] public Func<CancellationToken, Task<Credential>> Callback;

        public string Url { get => url; set => url = value; }

        public bool IsConfigured => Callback != null || !string.IsNullOrWhiteSpace(url);

        internal ICredentialSource Build()
        {
            if (Callback != null) return new DelegateCredential(Callback);
            if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
                throw new CredentialUnavailableException("The token source URL '" + url + "' is not an http(s) URL.");
            return new TokenEndpointCredential(uri);
        }
    }
}
