using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Parley.Providers.Auth;
using Parley.Unity.Agent;
using Parley.Unity.Keys;
using Parley.Unity.Profiles;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>Keys never serialized: profiles hold none, builds use a token source only, the editor a development key.</summary>
    public class AgentKeyTests
    {
        static readonly Type[] Profiles = { typeof(OpenAIRealtimeProfile), typeof(GeminiLiveProfile), typeof(MiniCpmoProfile), typeof(RivaCascadeProfile) };

        /// <summary>Every field Unity's serializer would write for <paramref name="type"/>: public or [SerializeField], not [NonSerialized], walking nested [Serializable] classes.</summary>
        static IEnumerable<(string path, FieldInfo field)> SerializedFields(Type type, string prefix = "")
        {
            for (var t = type; t != null && t != typeof(UnityEngine.Object) && t != typeof(object); t = t.BaseType)
                foreach (var f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (f.GetCustomAttribute<NonSerializedAttribute>() != null || (!f.IsPublic && f.GetCustomAttribute<SerializeField>() == null)) continue;
                    yield return (prefix + f.Name, f);
                    var ft = f.FieldType;
                    if (ft.IsClass && ft != typeof(string) && ft.GetCustomAttribute<SerializableAttribute>() != null && !typeof(UnityEngine.Object).IsAssignableFrom(ft) && !ft.IsArray)
                        foreach (var inner in SerializedFields(ft, prefix + f.Name + ".")) yield return inner;
                }
        }

        static IEnumerable<string> SerializedStrings(object o)
        {
            foreach (var (_, f) in SerializedFields(o.GetType()))
            {
                var v = f.GetValue(o);
                if (v is string s) yield return s;
                else if (v != null && f.FieldType.GetCustomAttribute<SerializableAttribute>() != null && f.FieldType.IsClass && !(v is UnityEngine.Object))
                    foreach (var inner in SerializedStrings(v)) yield return inner;
            }
        }

        [Test]
        public void No_serialized_field_of_a_profile_or_the_agent_is_named_like_key_material()
        {
            var suspicious = new[] { "key", "secret", "password", "bearer", "credential", "apikey" };
            var types = Profiles.Concat(new[] { typeof(VoiceAgent), typeof(TokenSource) });
            var named = types.SelectMany(t => SerializedFields(t).Select(f => t.Name + "." + f.path))
                .Where(n => suspicious.Any(s => n.Split('.').Last().ToLowerInvariant().Contains(s))).ToList();
            Assert.That(named, Is.Empty);
            Assert.That(SerializedFields(typeof(OpenAIRealtimeProfile)).Select(f => f.path), Does.Contain("model").And.Contain("serverUrl"), "the walk sees serialized fields");
        }

        [Test]
        public void After_an_editor_session_resolved_a_development_key_no_serialized_value_holds_it()
        {
            var key = "dev-" + Guid.NewGuid().ToString("N");
            foreach (var type in Profiles)
            {
                var profile = (VoiceProfile)ScriptableObject.CreateInstance(type);
                var previous = AgentCredentials.EditorKeyLookup;
                AgentCredentials.EditorKeyLookup = provider => provider == profile.ProviderName ? key : null;
                try
                {
                    var tokens = new TokenSource();
                    var source = AgentCredentials.Resolve(profile, tokens, isEditor: true);
                    if (profile.RequiresCredential)
                    {
                        Assert.That(source.GetAsync(CancellationToken.None).Result.Secret, Is.EqualTo(key), type.Name + " got the development key");
                        Assert.That(source.ToString(), Does.Not.Contain(key));
                    }
                    else Assert.That(source, Is.Null, type.Name + " is self-hosted: no credential");
                    var values = SerializedStrings(profile).Concat(SerializedStrings(tokens)).ToList();
                    Assert.That(values, Is.Not.Empty);
                    Assert.That(values.Where(v => v != null && v.Contains(key)), Is.Empty, type.Name);
                }
                finally { AgentCredentials.EditorKeyLookup = previous; }
            }
        }

        [Test]
        public void A_build_whose_profile_needs_a_cloud_key_refuses_without_a_token_source()
        {
            var previous = AgentCredentials.EditorKeyLookup;
            AgentCredentials.EditorKeyLookup = _ => "dev-key-that-must-not-be-used";
            try
            {
                foreach (var profile in new VoiceProfile[] { ScriptableObject.CreateInstance<OpenAIRealtimeProfile>(), ScriptableObject.CreateInstance<GeminiLiveProfile>() })
                {
                    var e = Assert.Throws<CredentialUnavailableException>(() => AgentCredentials.Resolve(profile, new TokenSource(), isEditor: false));
                    Assert.That(e.Message, Does.Contain("token source").And.Contain(profile.ProviderName));
                }
                Assert.That(AgentCredentials.Resolve(ScriptableObject.CreateInstance<MiniCpmoProfile>(), new TokenSource(), isEditor: false), Is.Null, "self-hosted without a key is fine");
            }
            finally { AgentCredentials.EditorKeyLookup = previous; }
        }

        [Test]
        public void A_token_source_is_asked_on_every_connection_and_wins_over_a_development_key()
        {
            var calls = 0;
            var tokens = new TokenSource { Callback = ct => Task.FromResult(new Credential("ek_" + Interlocked.Increment(ref calls))) };
            var source = AgentCredentials.Resolve(ScriptableObject.CreateInstance<OpenAIRealtimeProfile>(), tokens, isEditor: true);
            Assert.That(source.GetAsync(CancellationToken.None).Result.Secret, Is.EqualTo("ek_1"));
            Assert.That(source.GetAsync(CancellationToken.None).Result.Secret, Is.EqualTo("ek_2"));
        }

        [TestCase("{\"value\":\"ek_abc\",\"expires_at\":1735689600}", "ek_abc", 1735689600L)]
        [TestCase("{\"client_secret\":{\"value\":\"ek_def\",\"expires_at\":1735689601}}", "ek_def", 1735689601L)]
        [TestCase("{\"name\":\"auth_tokens/xyz\"}", "auth_tokens/xyz", 0L)]
        [TestCase("{\"token\":\"t\"}", "t", 0L)]
        public void The_backend_answers_documented_in_components_md_are_read(string json, string secret, long expires)
        {
            var c = TokenEndpointCredential.Parse(json);
            Assert.That(c.Secret, Is.EqualTo(secret));
            Assert.That(c.ExpiresAt?.ToUnixTimeSeconds() ?? 0, Is.EqualTo(expires));
        }

        [TestCase("{}")]
        [TestCase("not json")]
        [TestCase("{\"value\":\"\"}")]
        public void Any_other_backend_answer_is_a_typed_authentication_error(string json)
        {
            var e = Assert.Throws<Parley.Providers.ProviderException>(() => TokenEndpointCredential.Parse(json));
            Assert.That(e.Kind, Is.EqualTo(Parley.Providers.ProviderErrorKind.Authentication));
        }
    }
}
