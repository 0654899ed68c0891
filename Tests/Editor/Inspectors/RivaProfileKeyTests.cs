using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Editor.Inspectors;
using Parley.Editor.Validation;
using Parley.Unity.Profiles;
using UnityEngine;

namespace Parley.Tests.Editor.Inspectors
{
    /// <summary>
    /// The Riva cascade profile in the editor: a self-hosted server needs no key (and no token source in a build); one
    /// pointed at NVIDIA's hosted endpoints needs NVIDIA_API_KEY in the editor and a token source in builds.
    /// </summary>
    public class RivaProfileKeyTests
    {
        readonly List<Object> _made = new List<Object>();

        [TearDown]
        public void Clean()
        {
            foreach (var o in _made) Object.DestroyImmediate(o);
            _made.Clear();
        }

        RivaCascadeProfile Profile(string llmUrl)
        {
            var p = ScriptableObject.CreateInstance<RivaCascadeProfile>();
            _made.Add(p);
            if (llmUrl != null) p.LlmUrl = llmUrl;
            return p;
        }

        static KeySourceStatus Status(VoiceProfile p, string tokenUrl, bool envHasKey) =>
            KeySourceStatus.Describe(p.ProviderName, p.RequiresCredential, p.KeyEnvironmentVariable, tokenUrl, v => envHasKey && v == "NVIDIA_API_KEY", _ => false);

        static List<string> Codes(VoiceProfile p, string tokenUrl) =>
            AgentChecks.Check(new AgentFacts { Provider = p.ProviderName, RequiresCredential = p.RequiresCredential, TokenUrl = tokenUrl }, new ProjectFacts())
                .Select(i => i.Code).ToList();

        [Test]
        public void A_self_hosted_cascade_needs_no_key_and_no_token_source()
        {
            var local = Profile(null); // the profile's defaults: three loopback servers
            Assert.That(local.RequiresCredential, Is.False);
            var status = Status(local, "", envHasKey: false);
            Assert.That(status.Origin, Is.EqualTo(KeyOrigin.NotNeeded));
            Assert.That(status.WorksInBuild, Is.True);
            Assert.That(Codes(local, ""), Does.Not.Contain("no_token_source"));
        }

        [Test]
        public void A_cascade_on_NVCF_reads_NVIDIA_API_KEY_in_the_editor_and_needs_a_token_source_for_builds()
        {
            var hosted = Profile("https://integrate.api.nvidia.com/v1");
            Assert.That(hosted.RequiresCredential, Is.True);
            Assert.That(hosted.KeyEnvironmentVariable, Is.EqualTo("NVIDIA_API_KEY"));
            var dev = Status(hosted, "", envHasKey: true);
            Assert.That(dev.Origin, Is.EqualTo(KeyOrigin.EnvironmentVariable));
            Assert.That(dev.WorksInBuild, Is.False);
            var missing = Status(hosted, null, envHasKey: false);
            Assert.That(missing.Origin, Is.EqualTo(KeyOrigin.Missing));
            Assert.That(missing.Summary, Does.Contain("NVIDIA_API_KEY"));
            Assert.That(Codes(hosted, ""), Does.Contain("no_token_source"));
            Assert.That(Codes(hosted, "https://game.example/token"), Does.Not.Contain("no_token_source"));
            Assert.That(Status(hosted, "https://game.example/token", envHasKey: false).WorksInBuild, Is.True);
        }
    }
}
