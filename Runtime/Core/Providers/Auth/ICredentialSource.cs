using System;
using System.Threading;
using System.Threading.Tasks;

namespace Parley.Providers.Auth
{
    /// <summary>A credential for one connection attempt. <see cref="ToString"/> never reveals it.</summary>
    public readonly struct Credential
    {
        public readonly string Secret;
        /// <summary>When the secret stops working (ephemeral tokens), or null for long-lived keys.</summary>
        public readonly DateTimeOffset? ExpiresAt;

        public Credential(string secret, DateTimeOffset? expiresAt = null)
        {
            Secret = secret;
            ExpiresAt = expiresAt;
        }

        public bool IsEmpty => string.IsNullOrEmpty(Secret);
        public override string ToString() => IsEmpty ? "(no credential)" : "(credential, " + Secret.Length + " chars)";
    }

    /// <summary>
    /// Where a provider gets its key or token each time it connects: a development key (editor, CLI
    /// environment variable) or an async provider that asks the game's backend for an ephemeral token.
    /// </summary>
    public interface ICredentialSource
    {
        Task<Credential> GetAsync(CancellationToken cancellationToken);
    }

    /// <summary>A fixed key (development only: a key in a shipped build can be extracted).</summary>
    public sealed class StaticCredential : ICredentialSource
    {
        readonly Credential _credential;
        public StaticCredential(string secret) { _credential = new Credential(secret); }
        public Task<Credential> GetAsync(CancellationToken cancellationToken) => Task.FromResult(_credential);
        public override string ToString() => _credential.ToString();
    }

    /// <summary>Ephemeral tokens minted by the game's backend, fetched per connection.</summary>
    public sealed class DelegateCredential : ICredentialSource
    {
        readonly Func<CancellationToken, Task<Credential>> _fetch;
        public DelegateCredential(Func<CancellationToken, Task<Credential>> fetch) { _fetch = fetch ?? throw new ArgumentNullException(nameof(fetch)); }
        public Task<Credential> GetAsync(CancellationToken cancellationToken) => _fetch(cancellationToken);
    }
}
