using System;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;

namespace Parley.TokenServer.Auth
{
    /// <summary>
    /// The sample's player tokens: <c>base64url(playerId).expiresUnixSeconds.base64url(HMAC-SHA256(secret, first two parts))</c>,
    /// issued by the game's login service with the shared secret in PARLEY_PLAYER_TOKEN_SECRET.
    /// </summary>
    public sealed class HmacPlayerTokenValidator : IPlayerTokenValidator
    {
        /// <summary>32 characters at least: a short secret can be brute-forced offline from one token.</summary>
        public const int MinSecretLength = 32;
        readonly byte[] _secret;
        readonly TimeProvider _time;

        public HmacPlayerTokenValidator(IConfiguration configuration, TimeProvider time)
        {
            var secret = configuration[EnvironmentKeys.PlayerTokenSecret];
            if (string.IsNullOrEmpty(secret) || secret.Length < MinSecretLength)
                throw new InvalidOperationException(EnvironmentKeys.PlayerTokenSecret + " must be set to a random secret of at least " + MinSecretLength
                                                    + " characters (shared with the service that logs players in).");
            _secret = Encoding.UTF8.GetBytes(secret);
            _time = time;
        }

        /// <summary>What the game's login service runs to give a player a token.</summary>
        public static string Issue(string secret, string playerId, DateTimeOffset expiresAt)
        {
            if (string.IsNullOrEmpty(playerId)) throw new ArgumentException("A player id is required.", nameof(playerId));
            var payload = Base64Url(Encoding.UTF8.GetBytes(playerId)) + "." + expiresAt.ToUnixTimeSeconds();
            return payload + "." + Base64Url(Sign(Encoding.UTF8.GetBytes(secret), payload));
        }

        public ValueTask<string> ValidateAsync(string bearerToken, CancellationToken cancellationToken)
        {
            return new ValueTask<string>(Validate(bearerToken));
        }

        string Validate(string token)
        {
            var parts = token?.Split('.');
            if (parts == null || parts.Length != 3) return null;
            if (!long.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var expires)) return null;
            byte[] given, id;
            try { given = FromBase64Url(parts[2]); id = FromBase64Url(parts[0]); }
            catch (FormatException) { return null; }
            var expected = Sign(_secret, parts[0] + "." + parts[1]);
            // Constant time: a timing difference would let an attacker guess the signature byte by byte.
            if (!CryptographicOperations.FixedTimeEquals(given, expected)) return null;
            if (_time.GetUtcNow().ToUnixTimeSeconds() >= expires) return null;
            var player = Encoding.UTF8.GetString(id);
            return player.Length == 0 ? null : player;
        }

        static byte[] Sign(byte[] secret, string payload) => HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(payload));

        static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        static byte[] FromBase64Url(string s)
        {
            var b64 = s.Replace('-', '+').Replace('_', '/');
            return Convert.FromBase64String(b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '='));
        }
    }
}
