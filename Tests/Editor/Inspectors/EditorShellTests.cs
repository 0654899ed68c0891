using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using NUnit.Framework;
using Parley.Editor.Inspectors;
using Parley.Editor.Preferences;
using Parley.Unity.Agent;
using Parley.Unity.Profiles;
using Parley.Unity.Voice;
using UnityEditor;
using UnityEditor.Build;
using UnityEngine;
using Object = UnityEngine.Object;

namespace Parley.Tests.Editor.Inspectors
{
    /// <summary>The thin editor shells are wired the way Unity finds them, and read and write through SerializedObject.</summary>
    public class EditorShellTests
    {
        static readonly Assembly EditorAssembly = typeof(Parley.Editor.Keys.EditorKeyStore).Assembly;
        readonly List<Object> _made = new List<Object>();

        [TearDown]
        public void Clean()
        {
            foreach (var o in _made) if (o != null) Object.DestroyImmediate(o);
            _made.Clear();
        }

        static Type Shell(string name) => EditorAssembly.GetType(name, true);

        static Type Inspected(Type editor, out bool forChildren)
        {
            var a = editor.GetCustomAttributes(typeof(CustomEditor), false).Cast<CustomEditor>().Single();
            forChildren = (bool)typeof(CustomEditor).GetField("m_EditorForChildClasses", BindingFlags.Instance | BindingFlags.NonPublic).GetValue(a);
            return (Type)typeof(CustomEditor).GetField("m_InspectedType", BindingFlags.Instance | BindingFlags.NonPublic).GetValue(a);
        }

        [Test]
        public void Agent_and_profile_inspectors_are_custom_multi_object_editors()
        {
            var agent = Shell("Parley.Editor.Inspectors.VoiceAgentEditor");
            Assert.That(Inspected(agent, out _), Is.EqualTo(typeof(VoiceAgent)));
            var profile = Shell("Parley.Editor.Inspectors.VoiceProfileEditor");
            Assert.That(Inspected(profile, out var children), Is.EqualTo(typeof(VoiceProfile)));
            Assert.That(children, Is.True, "one editor for every profile class");
            foreach (var e in new[] { agent, profile })
            {
                Assert.That(e.IsSubclassOf(typeof(UnityEditor.Editor)));
                Assert.That(e.GetCustomAttributes(typeof(CanEditMultipleObjects), false), Is.Not.Empty, e.Name);
            }
        }

        [Test]
        public void Every_concrete_profile_has_an_Assets_Create_Parley_entry()
        {
            var profiles = typeof(VoiceProfile).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(VoiceProfile)) && !t.IsAbstract).ToList();
            Assert.That(profiles.Count, Is.GreaterThanOrEqualTo(3));
            foreach (var p in profiles)
            {
                var menu = p.GetCustomAttributes(typeof(CreateAssetMenuAttribute), false).Cast<CreateAssetMenuAttribute>().SingleOrDefault();
                Assert.That(menu, Is.Not.Null, p.Name);
                Assert.That(menu.menuName, Does.StartWith("Parley/"), p.Name);
            }
        }

        [Test]
        public void The_GameObject_menu_creates_a_selected_agent_with_its_audio_source_and_voice()
        {
            var method = Shell("Parley.Editor.Menus.ParleyMenus").GetMethod("CreateVoiceAgent", BindingFlags.Static | BindingFlags.NonPublic);
            var item = method.GetCustomAttributes(typeof(MenuItem), false).Cast<MenuItem>().Single();
            Assert.That(item.menuItem, Is.EqualTo("GameObject/Parley/Voice Agent"));
            method.Invoke(null, new object[] { new MenuCommand(null) });
            var go = Selection.activeObject as GameObject;
            Assert.That(go, Is.Not.Null);
            _made.Add(go);
            Assert.That(go.GetComponent<VoiceAgent>(), Is.Not.Null);
            Assert.That(go.GetComponent<AudioSource>(), Is.Not.Null);
            Assert.That(go.GetComponent<AgentVoice>(), Is.Not.Null);
            Assert.That(go.transform.parent, Is.Null, "no context: at the scene root");
        }

        [Test]
        public void The_GameObject_menu_on_a_GameObject_makes_the_agent_its_child_at_its_origin()
        {
            var npc = new GameObject("Blacksmith");
            _made.Add(npc);
            npc.transform.position = new Vector3(4f, 0f, -2f);
            npc.transform.localScale = new Vector3(2f, 2f, 2f);
            var method = Shell("Parley.Editor.Menus.ParleyMenus").GetMethod("CreateVoiceAgent", BindingFlags.Static | BindingFlags.NonPublic);
            method.Invoke(null, new object[] { new MenuCommand(npc) });
            var go = (GameObject)Selection.activeObject;
            _made.Add(go);
            Assert.That(go.transform.parent, Is.SameAs(npc.transform));
            Assert.That(npc.transform.childCount, Is.EqualTo(1));
            Assert.That(npc.transform.GetChild(0), Is.SameAs(go.transform));
            Assert.That(go.transform.localPosition, Is.EqualTo(Vector3.zero));
            Assert.That(go.transform.position, Is.EqualTo(new Vector3(4f, 0f, -2f)), "aligned: at the parent's origin");
            // It follows its parent, and its local offset is scaled by the parent (Unity's hierarchy, without rotation).
            npc.transform.position = new Vector3(10f, 1f, 0f);
            go.transform.localPosition = new Vector3(1f, 0f, 0f);
            Assert.That(go.transform.position, Is.EqualTo(new Vector3(12f, 1f, 0f)));
            // SetParent(null) keeps the world position (worldPositionStays), as Transform.parent = null does.
            go.transform.parent = null;
            Assert.That(go.transform.position, Is.EqualTo(new Vector3(12f, 1f, 0f)));
            Assert.That(npc.transform.childCount, Is.EqualTo(0));
        }

        [Test]
        public void Preferences_page_and_build_check_are_registered_where_Unity_looks()
        {
            var create = Shell("Parley.Editor.Preferences.ParleyPreferences").GetMethod("Create", BindingFlags.Static | BindingFlags.NonPublic);
            Assert.That(create.GetCustomAttributes(typeof(SettingsProviderAttribute), false), Is.Not.Empty);
            var page = (SettingsProvider)create.Invoke(null, null);
            Assert.That(page.settingsPath, Is.EqualTo("Preferences/Parley"));
            Assert.That(page.scope, Is.EqualTo(SettingsScope.User));
            Assert.That(page.guiHandler, Is.Not.Null);
            Assert.That(typeof(IPreprocessBuildWithReport).IsAssignableFrom(Shell("Parley.Editor.Build.KeyBuildPreprocessor")));
        }

        [Test]
        public void Serialized_strings_cover_nested_fields_and_multi_object_writes_reach_every_target()
        {
            GameObject a = new GameObject("A"), b = new GameObject("B");
            _made.Add(a); _made.Add(b);
            var agentA = a.AddComponent<VoiceAgent>();
            var agentB = b.AddComponent<VoiceAgent>();
            agentA.Tokens.Url = "https://game.example/token";
            agentA.OpeningPrompt = "Greet the player.";
            var profile = ScriptableObject.CreateInstance<GeminiLiveProfile>();
            _made.Add(profile);
            profile.Instructions = "You are a blacksmith.";

            var strings = new List<KeyValuePair<string, string>>();
            using (var so = new SerializedObject(agentA)) SerializedStrings.Collect(so, "", strings);
            using (var so = new SerializedObject(profile)) SerializedStrings.Collect(so, "profile.", strings);
            var byPath = strings.ToDictionary(kv => kv.Key, kv => kv.Value);
            Assert.That(byPath["tokenSource.url"], Is.EqualTo("https://game.example/token"));
            Assert.That(byPath["openingPrompt"], Is.EqualTo("Greet the player."));
            Assert.That(byPath["profile.instructions"], Is.EqualTo("You are a blacksmith."));
            Assert.That(byPath["profile.host"], Is.EqualTo(profile.Host));

            using (var both = new SerializedObject(new Object[] { agentA, agentB }))
            {
                var prompt = both.FindProperty("openingPrompt");
                Assert.That(prompt.hasMultipleDifferentValues, Is.True);
                prompt.stringValue = "Hello there.";
                Assert.That(agentB.OpeningPrompt, Is.Empty, "nothing is written before ApplyModifiedProperties");
                Assert.That(both.ApplyModifiedProperties(), Is.True);
            }
            Assert.That(agentA.OpeningPrompt, Is.EqualTo("Hello there."));
            Assert.That(agentB.OpeningPrompt, Is.EqualTo("Hello there."));
        }

        [Test]
        public void Preferences_rows_say_where_each_key_comes_from_and_that_the_environment_wins()
        {
            var rows = DevelopmentKeys.Rows(v => v == "GEMINI_API_KEY", p => p == "gemini" || p == "openai");
            var openai = rows.Single(r => r.Provider == "openai");
            var gemini = rows.Single(r => r.Provider == "gemini");
            Assert.That(rows.Select(r => r.Provider), Is.EqualTo(new[] { "openai", "gemini", "riva" }));
            Assert.That(rows.Single(r => r.Provider == "riva").Status, Does.Contain("self-hosted server needs no key"));
            Assert.That(openai.Status, Does.StartWith("Stored in EditorPrefs"));
            Assert.That(gemini.Status, Does.Contain("GEMINI_API_KEY").And.Contain("overrides"));
            Assert.That(DevelopmentKeys.Rows(_ => false, _ => false).All(r => r.Status.StartsWith("None")), Is.True);
            Assert.That(DevelopmentKeys.Intro, Does.Contain("only each agent's token source"));
            // The rows name the same variables the profiles read (AgentCredentials uses KeyEnvironmentVariable).
            foreach (var r in rows)
            {
                var profileType = r.Provider == "openai" ? typeof(OpenAIRealtimeProfile) : r.Provider == "riva" ? typeof(RivaCascadeProfile) : typeof(GeminiLiveProfile);
                var p = (VoiceProfile)ScriptableObject.CreateInstance(profileType);
                _made.Add(p);
                Assert.That(p.ProviderName, Is.EqualTo(r.Provider));
                Assert.That(p.KeyEnvironmentVariable, Is.EqualTo(r.EnvironmentVariable));
            }
        }
    }
}
