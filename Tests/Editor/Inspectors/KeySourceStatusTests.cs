using System;
using NUnit.Framework;
using Parley.Editor.Inspectors;
using Parley.Tests.Editor.KeyScan;

namespace Parley.Tests.Editor.Inspectors
{
    public class KeySourceStatusTests
    {
        static readonly Func<string, bool> None = _ => false;

        [Test]
        public void Follows_the_runtime_order_token_source_then_self_hosted_then_environment_then_preferences()
        {
            var all = KeySourceStatus.Describe("openai", true, "OPENAI_API_KEY", "https://game.example/token", _ => true, _ => true);
            Assert.That(all.Origin, Is.EqualTo(KeyOrigin.TokenSource));
            Assert.That(all.WorksInBuild, Is.True);
            Assert.That(KeySourceStatus.Describe("minicpmo", false, "MINICPMO_API_KEY", "", None, None).Origin, Is.EqualTo(KeyOrigin.NotNeeded));
            var env = KeySourceStatus.Describe("openai", true, "OPENAI_API_KEY", " ", v => v == "OPENAI_API_KEY", _ => true);
            Assert.That(env.Origin, Is.EqualTo(KeyOrigin.EnvironmentVariable));
            Assert.That(env.Summary, Does.Contain("OPENAI_API_KEY"));
            var prefs = KeySourceStatus.Describe("gemini", true, "GEMINI_API_KEY", null, None, p => p == "gemini");
            Assert.That(prefs.Origin, Is.EqualTo(KeyOrigin.EditorPreferences));
            Assert.That(prefs.WorksInEditor, Is.True);
            Assert.That(prefs.WorksInBuild, Is.False, "a development key never reaches a build");
            var missing = KeySourceStatus.Describe("gemini", true, "GEMINI_API_KEY", null, None, None);
            Assert.That(missing.Origin, Is.EqualTo(KeyOrigin.Missing));
            Assert.That(missing.WorksInEditor, Is.False);
            Assert.That(missing.BuildNote, Does.Contain("only a token source"));
        }

        [Test]
        public void A_token_url_is_shown_as_scheme_and_host_only()
        {
            var key = new GeneratedKeys(11)["{{OPENAI_KEY}}"];
            var s = KeySourceStatus.Describe("openai", true, "OPENAI_API_KEY", "https://game.example/" + key + "/token?auth=" + key, None, None);
            Assert.That(s.Summary, Does.Not.Contain(key));
            Assert.That(s.Summary, Does.Contain("https://game.example/…"));
            Assert.That(KeySourceStatus.Describe("openai", true, "OPENAI_API_KEY", "https://game.example", None, None).Summary, Does.Contain("https://game.example "));
            Assert.That(KeySourceStatus.Describe("openai", true, "OPENAI_API_KEY", "token " + key, None, None).Summary, Does.Contain("(not a URL)").And.Not.Contain(key));
        }
    }
}
