using System.Threading;
using System.Threading.Tasks;

namespace Parley.TokenServer.Auth
{
    /// <summary>
    /// Decides who is asking. Replace the sample's <see cref="HmacPlayerTokenValidator"/> with your game's own auth
    /// (a session lookup, a JWT from your identity provider, Steam/Epic/PlayFab session tickets): register your
    /// implementation after <c>TokenServerApp.AddTokenServer</c> and the server uses it.
    /// </summary>
    public interface IPlayerTokenValidator
    {
        /// <summary>The player id the bearer token proves, or null when it proves nothing (401).</summary>
        ValueTask<string> ValidateAsync(string bearerToken, CancellationToken cancellationToken);
    }
}
