using System;
using System.IO;
using System.Linq;
using System.Text;
using NUnit.Framework;
using Parley.Editor.KeyScan;

namespace Parley.Tests.Editor.KeyScan
{
    /// <summary>What counts as key material and what does not, file kinds the scanner cannot read, masking.</summary>
    public class KeyScannerTests
    {
        static readonly GeneratedKeys Keys = new GeneratedKeys(77);

        [TestCase("{{OPENAI_KEY}}", "OpenAI")]
        [TestCase("{{OPENAI_PROJECT_KEY}}", "OpenAI")]
        [TestCase("{{OPENAI_SVCACCT_KEY}}", "OpenAI")]
        [TestCase("{{GOOGLE_KEY}}", "Google")]
        [TestCase("{{NVIDIA_KEY}}", "NVIDIA")]
        public void Each_vendor_key_is_found_under_its_field(string placeholder, string provider)
        {
            var key = Keys[placeholder];
            var f = KeyScanner.ScanText("%YAML 1.1\n--- !u!114 &1\nMonoBehaviour:\n  m_Name: Profile\n  secret: " + key + "\n", "a.asset").Single();
            Assert.That(f.Provider, Is.EqualTo(provider));
            Assert.That(f.Line, Is.EqualTo(5));
            Assert.That(f.Field, Is.EqualTo("MonoBehaviour.secret"));
            Assert.That(f.Masked, Is.EqualTo(GeneratedKeys.Masked(key)));
        }

        [Test]
        public void A_vendor_key_sent_as_a_bearer_counts_once_as_the_vendors()
        {
            var key = Keys["{{NVIDIA_KEY}}"];
            var f = KeyScanner.ScanText("curl -H \"Authorization: Bearer " + key + "\" https://integrate.api.nvidia.com\n", "notes.txt");
            Assert.That(f.Select(x => x.Provider), Is.EqualTo(new[] { "NVIDIA" }));
        }

        [TestCase("Authorization: Bearer <token>")]
        [TestCase("Authorization: Bearer $OPENAI_API_KEY")]
        [TestCase("headers: { Authorization: 'Bearer ' + apiKey }")]
        [TestCase("value: Bearer YOUR_API_KEY_GOES_HERE")]
        [TestCase("m_Text: The bearer of the ring walks on.")]
        [TestCase("key: sk-short")]
        [TestCase("url: https://example.com/task-sk-is-fine")]
        public void Placeholders_and_prose_are_not_keys(string line)
        {
            Assert.That(KeyScanner.ScanText(line + "\n", "x.txt"), Is.Empty);
        }

        [Test]
        public void A_bare_authorization_token_is_a_bearer_finding()
        {
            var token = Keys["{{BEARER_TOKEN}}"];
            var f = KeyScanner.ScanText("GET /v1/models HTTP/1.1\nAuthorization: " + token + "\n", "request.txt").Single();
            Assert.That(f.Provider, Is.EqualTo("bearer"));
            Assert.That(f.Line, Is.EqualTo(2));
            Assert.That(f.Field, Is.EqualTo("Authorization"));
        }

        [Test]
        public void A_key_inside_a_longer_token_is_not_reported()
        {
            // The prefix inside a base64 run is chance, not a key: bounded on both sides by key/base64 characters.
            var key = Keys["{{GOOGLE_KEY}}"];
            Assert.That(KeyScanner.ScanText("data: QUJD" + key + "\n", "x.asset"), Is.Empty);
            Assert.That(KeyScanner.ScanText("data: " + key + "QUJD\n", "x.asset"), Is.Empty);
            Assert.That(KeyScanner.ScanText("data: " + key + "\n", "x.asset"), Has.Count.EqualTo(1));
        }

        [Test]
        public void A_multi_line_yaml_scalar_reports_the_field_it_continues()
        {
            var key = Keys["{{OPENAI_KEY}}"];
            var text = "%YAML 1.1\n--- !u!114 &1\nMonoBehaviour:\n  notes: 'first line\n    and then " + key + " pasted'\n  other: 1\n";
            var f = KeyScanner.ScanText(text, "a.asset").Single();
            Assert.That(f.Line, Is.EqualTo(5));
            Assert.That(f.Field, Is.EqualTo("MonoBehaviour.notes"));
        }

        [Test]
        public void Binary_serialized_unity_assets_and_binary_files_are_listed_as_not_scanned()
        {
            var dir = Path.Combine(Path.GetTempPath(), "parley-keyscan-bin-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path.Combine(dir, "Assets", "Resources"));
            try
            {
                // Unity's binary serialization: a SerializedFile header (big-endian sizes, version, zeros), no "%YAML".
                var header = new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 22, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0 };
                var key = Encoding.ASCII.GetBytes(Keys["{{OPENAI_KEY}}"]);
                File.WriteAllBytes(Path.Combine(dir, "Assets", "Profile.asset"), header.Concat(key).ToArray());
                File.WriteAllBytes(Path.Combine(dir, "Assets", "Resources", "blob.bytes"), header.Concat(key).ToArray());
                // A .bytes text asset that is text is read.
                File.WriteAllText(Path.Combine(dir, "Assets", "Resources", "config.bytes"), "key=" + Keys["{{GOOGLE_KEY}}"] + "\n");
                // UTF-16 text (a BOM, NUL high bytes) is text too.
                File.WriteAllText(Path.Combine(dir, "Assets", "Resources", "wide.txt"), "token: " + Keys["{{NVIDIA_KEY}}"] + "\n", Encoding.Unicode);
                // Images are media: passed over, neither scanned nor listed.
                File.WriteAllBytes(Path.Combine(dir, "Assets", "icon.png"), header);

                var report = KeyScanner.ScanDirectory(dir);
                Assert.That(report.NotScanned.Select(n => n.Path), Is.EquivalentTo(new[] { "Assets/Profile.asset", "Assets/Resources/blob.bytes" }));
                Assert.That(report.NotScanned.Single(n => n.Path == "Assets/Profile.asset").Reason, Does.Contain("binary-serialized"));
                Assert.That(report.NotScanned.Single(n => n.Path == "Assets/Resources/blob.bytes").Reason, Is.EqualTo("binary content"));
                Assert.That(report.Findings.Select(f => f.Path + " " + f.Provider + " " + f.Field),
                    Is.EquivalentTo(new[] { "Assets/Resources/config.bytes Google key", "Assets/Resources/wide.txt NVIDIA token" }));
            }
            finally { Directory.Delete(dir, true); }
        }

        [Test]
        public void A_missing_folder_is_a_typed_error()
        {
            Assert.Throws<DirectoryNotFoundException>(() => KeyScanner.ScanDirectory(Path.Combine(Path.GetTempPath(), "parley-no-such-" + Guid.NewGuid().ToString("N"))));
        }

        [TestCase("abcdefghijklmnopqrst", "abcd**************st")]
        [TestCase("123456789", "1234***89")]
        [TestCase("12345678", "********")]
        public void Masking_keeps_the_first_four_and_last_two(string key, string masked)
        {
            Assert.That(KeyPatterns.Mask(key), Is.EqualTo(masked));
        }
    }
}
