using System;
using System.IO;
using NUnit.Framework;
using Parley.Providers;
using Parley.Providers.Auth;

namespace Parley.Tests.Core.Providers.Auth
{
    /// <summary>The token answers a backend may give: shapes from shared/protocols README §1.8 (OpenAI) and §2.1 (Gemini).</summary>
    public class TokenEndpointCredentialTests
    {
        [Test]
        public void OpenAI_GA_client_secret_answer_gives_value_and_expiry()
        {
            var c = TokenEndpointCredential.Parse("{\"value\":\"ek_68af296e8e408191a1120ab6383263c2\",\"expires_at\":1756310470,"
                                                  + "\"session\":{\"type\":\"realtime\",\"object\":\"realtime.session\",\"model\":\"gpt-realtime\"}}");
            Assert.That(c.Secret, Is.EqualTo("ek_68af296e8e408191a1120ab6383263c2"));
            Assert.That(c.ExpiresAt, Is.EqualTo(new DateTimeOffset(2025, 8, 27, 16, 1, 10, TimeSpan.Zero)));
        }

        [Test]
        public void OpenAI_beta_session_answer_gives_the_nested_client_secret()
        {
            var c = TokenEndpointCredential.Parse("{\"id\":\"sess_1\",\"object\":\"realtime.session\",\"client_secret\":{\"value\":\"ek_beta\",\"expires_at\":1756310470}}");
            Assert.That(c.Secret, Is.EqualTo("ek_beta"));
            Assert.That(c.ExpiresAt.HasValue, Is.True);
        }

        [Test]
        public void Gemini_answers_give_the_auth_token_name_or_the_token_server_value()
        {
            Assert.That(TokenEndpointCredential.Parse("{\"name\":\"auth_tokens/abc\",\"uses\":1}").Secret, Is.EqualTo("auth_tokens/abc"));
            var sample = TokenEndpointCredential.Parse("{\"provider\":\"gemini\",\"value\":\"auth_tokens/xyz\",\"expires_at\":1756312270}");
            Assert.That(sample.Secret, Is.EqualTo("auth_tokens/xyz"));
            Assert.That(sample.ExpiresAt.Value.ToUnixTimeSeconds(), Is.EqualTo(1756312270));
            Assert.That(TokenEndpointCredential.Parse("{\"token\":\"t1\"}").ExpiresAt, Is.Null);
        }

        [TestCase("{}")]
        [TestCase("{\"value\":\"\"}")]
        [TestCase("{\"client_secret\":{}}")]
        [TestCase("not json")]
        [TestCase("[1,2]")]
        public void An_answer_without_a_secret_is_a_clear_error(string body)
        {
            var e = Assert.Throws<ProviderException>(() => TokenEndpointCredential.Parse(body));
            Assert.That(e.Kind, Is.EqualTo(ProviderErrorKind.Authentication));
            Assert.That(e.Message, Does.Contain("token endpoint's answer"));
        }
    }
}
