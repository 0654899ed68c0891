using System.IO;
using System.Linq;
using NUnit.Framework;
using Parley.Editor.Inspectors;
using Parley.Tests.Support;

namespace Parley.Tests.Editor.Inspectors
{
    public class ProviderChoicesTests
    {
        [Test]
        public void Every_OpenAI_suggestion_is_a_model_or_voice_the_Realtime_GA_schema_names()
        {
            // The vendor's own schema lists its model and voice enums; a suggestion it does not name would be a typo.
            var schema = File.ReadAllText(PackagePaths.Fixture("protocols", "openai-realtime", "client-events.schema.json"));
            var choices = ProviderChoices.For("openai");
            Assert.That(choices.Models, Is.Not.Empty);
            Assert.That(choices.Voices, Is.Not.Empty);
            foreach (var name in choices.Models.Concat(choices.Voices))
                Assert.That(schema, Does.Contain("\"const\": \"" + name + "\"").Or.Contain("\"" + name + "\""), name);
            Assert.That(choices.Voices, Does.Contain("marin").And.Contain("cedar"), "the schema's recommended voices");
        }

        [Test]
        public void Gemini_offers_the_provider_default_model_and_the_recorded_ones()
        {
            var choices = ProviderChoices.For("gemini");
            Assert.That(choices.Models, Does.Contain(new Parley.Providers.Gemini.GeminiLiveOptions().DefaultModel));
            var recording = string.Join("\n", Directory.GetFiles(PackagePaths.Fixture("protocols", "gemini-live"), "*", SearchOption.AllDirectories).Select(File.ReadAllText));
            Assert.That(choices.Models.Count(m => recording.Contains(m)), Is.GreaterThanOrEqualTo(2), "models seen in the recorded sessions");
            Assert.That(choices.Voices, Does.Contain("Kore"), "the voice the recorded setup uses");
        }

        [Test]
        public void Riva_offers_the_sample_servers_LLM_names_and_Magpie_voices_in_NVIDIAs_naming()
        {
            var choices = ProviderChoices.For("riva");
            // The Self-hosted sample's README names the LLM as each server spells it; its asset uses one model and one voice.
            var readme = File.ReadAllText(Path.Combine(PackagePaths.Root, "Samples~", "SelfHosted", "README.md"));
            Assert.That(choices.Models, Is.Not.Empty);
            foreach (var m in choices.Models) Assert.That(readme, Does.Contain(m), m);
            var asset = File.ReadAllLines(Path.Combine(PackagePaths.Root, "Samples~", "SelfHosted", "Profiles", "RivaCascadeLocal.asset"));
            Assert.That(choices.Models, Does.Contain(asset.Single(l => l.StartsWith("  model: ")).Substring(9).Trim()));
            Assert.That(choices.Voices, Does.Contain(asset.Single(l => l.StartsWith("  voice: ")).Substring(9).Trim()));
            // docs.nvidia.com/nim/speech/latest/tts/voices.html: Magpie-Multilingual.{LOCALE}.{Speaker}[.{Emotion}].
            var pattern = new System.Text.RegularExpressions.Regex(@"^Magpie-Multilingual\.[A-Z]{2}-[A-Z]{2}\.[A-Z][A-Za-z]+(\.(Angry|Calm|Fearful|Happy|Neutral|Sad|PleasantSurprised))?$");
            foreach (var v in choices.Voices) Assert.That(pattern.IsMatch(v), v);
            Assert.That(choices.Note, Does.Contain("list_voices"));
        }

        [Test]
        public void A_self_hosted_or_unknown_provider_gets_free_text_only()
        {
            Assert.That(ProviderChoices.For("minicpmo").Models, Is.Empty);
            Assert.That(ProviderChoices.For("minicpmo").Note, Does.Contain("not sent"));
            Assert.That(ProviderChoices.For("somebody-else").Voices, Is.Empty);
            Assert.That(ProviderChoices.For(null).Models, Is.Empty);
        }

        [Test]
        public void The_popup_keeps_a_custom_value_and_maps_picks_back_to_field_values()
        {
            var s = new[] { "a", "b" };
            Assert.That(ProviderChoices.PopupEntries(s, "", out var i0), Is.EqualTo(new[] { "(default)", "a", "b" }));
            Assert.That(i0, Is.EqualTo(0));
            ProviderChoices.PopupEntries(s, " b ", out var i1);
            Assert.That(i1, Is.EqualTo(2));
            var entries = ProviderChoices.PopupEntries(s, "my-fine-tune", out var i2);
            Assert.That(entries.Last(), Is.EqualTo("(custom) my-fine-tune"));
            Assert.That(i2, Is.EqualTo(3));
            Assert.That(ProviderChoices.ValueOf(s, "my-fine-tune", 0), Is.EqualTo(""));
            Assert.That(ProviderChoices.ValueOf(s, "my-fine-tune", 1), Is.EqualTo("a"));
            Assert.That(ProviderChoices.ValueOf(s, "my-fine-tune", 3), Is.EqualTo("my-fine-tune"), "the custom entry keeps the typed value");
        }
    }
}
