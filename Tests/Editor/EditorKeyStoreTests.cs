using NUnit.Framework;
using Parley.Editor.Keys;

namespace Parley.Tests.Editor
{
    public class EditorKeyStoreTests
    {
        const string Provider = "parley-test-provider";

        [TearDown]
        public void Clean() => EditorKeyStore.Clear(Provider);

        [Test]
        public void Stores_trims_and_clears_a_key()
        {
            Assert.That(EditorKeyStore.Has(Provider), Is.False);
            EditorKeyStore.Set(Provider, "  test-key-value-123  ");
            Assert.That(EditorKeyStore.Get(Provider), Is.EqualTo("test-key-value-123"));
            Assert.That(EditorKeyStore.Get(Provider.ToUpperInvariant()), Is.EqualTo("test-key-value-123"), "provider names are case-insensitive");
            EditorKeyStore.Set(Provider, "   ");
            Assert.That(EditorKeyStore.Has(Provider), Is.False, "a blank key removes the entry");
        }

        [Test]
        public void Masked_form_never_contains_the_secret()
        {
            const string key = "abcd-secret-part-that-must-not-show";
            var masked = EditorKeyStore.Masked(key);
            Assert.That(masked, Does.StartWith("abcd"));
            Assert.That(masked, Does.Not.Contain("secret"));
            Assert.That(masked, Does.Contain("(" + key.Length + " chars)"));
            Assert.That(EditorKeyStore.Masked("short"), Does.Not.Contain("short"));
            Assert.That(EditorKeyStore.Masked(""), Is.EqualTo("(none)"));
        }
    }
}
