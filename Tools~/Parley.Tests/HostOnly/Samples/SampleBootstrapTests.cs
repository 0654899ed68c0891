using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using NUnit.Framework;
using Parley.Providers.Auth;
using Parley.Samples.SelfHosted;
using Parley.Samples.TalkingNpc;
using Parley.Samples.XRTrainer;
using Parley.Servers.OpenAI;
using Parley.Session;
using Parley.Simulation;
using Parley.Tests.Components;
using Parley.Tests.Support;
using Parley.Unity.Agent;
using Parley.Unity.Lipsync;
using Parley.Unity.Profiles;
using UnityEngine;

namespace Parley.Tests.HostOnly.Samples
{
    /// <summary>
    /// The samples' bootstraps as their scenes run them, in the simulated player: Start builds the scene (checked
    /// object by object), a player build without a token source refuses to connect, and with one the built agent
    /// talks to the OpenAI emulator — the Talking NPC's subtitles show the transcripts, the XR Trainer's drill starts.
    /// The XR Trainer's push-to-talk without the Input System (a key of the legacy Input Manager) makes a turn.
    /// </summary>
    public class SampleBootstrapTests
    {
        static void Connect(AgentScene scene, VoiceAgent agent)
        {
            agent.Loop = SessionLoop.Inline;
            agent.Tokens.Callback = ct => Task.FromResult(new Credential(scene.Key));
            agent.StartConversation();
        }

        static string[] Names(SimulatedPlayer player) => player.Scene.Select(g => g.name).ToArray();

        static void RefusedWithoutTokenSource(VoiceAgent agent, string prefix)
        {
            Assert.That(agent.IsConversing, Is.False);
            Assert.That(agent.LastStopReason, Is.EqualTo(AgentStopReason.Credentials));
            Assert.That(SimulatedConsole.Snapshot(), Has.Some.StartsWith("Warning: " + prefix + ": This build has no token source"));
        }

        [Test]
        public void The_Talking_NPC_bootstrap_builds_the_innkeeper_and_the_subtitles_show_what_was_said()
        {
            const string asked = "Good evening. Have you got a room for the night?";
            var emulator = new OpenAIRealtimeEmulatorOptions { UserTranscripts = new[] { "(turn 1 is the opening prompt, a text turn)", asked } };
            using (var scene = new AgentScene(XRTrainerSceneTests.RepeatedQuestion(), emulator))
            {
                SimulatedConsole.Clear();
                var boot = new GameObject("Bootstrap").AddComponent<NpcBootstrap>();
                boot.Profile = scene.Profile;
                scene.Player.RunFrames(1);

                Assert.That(Names(scene.Player), Is.SupersetOf(new[] { "Player Camera", "Light", "Floor", "Innkeeper" }));
                var npc = boot.Agent.gameObject;
                Assert.That(npc.name, Is.EqualTo("Innkeeper"));
                Assert.That(npc.GetComponent<AudioSource>().spatialBlend, Is.EqualTo(1f), "heard from where she stands");
                Assert.That(boot.Agent.Profile, Is.SameAs(scene.Profile));
                Assert.That(boot.Agent.TurnTaking, Is.EqualTo(TurnTaking.ServerVad));
                Assert.That(boot.Agent.ToolTargets, Is.EqualTo(new MonoBehaviour[] { boot.Items }));
                Assert.That(boot.Items.Player, Is.Not.Null);
                Assert.That(npc.GetComponent<BlendShapeLipSync>(), Is.Not.Null, "the face's mouth is driven by lipsync");
                var subtitles = boot.GetComponent<Subtitles>();
                Assert.That(subtitles, Is.Not.Null);
                Assert.That(subtitles.NpcLine, Is.Empty);
                RefusedWithoutTokenSource(boot.Agent, "Parley Talking NPC");

                // What the subtitles show at the moment each final transcript arrives (they are subscribed first).
                var npcShown = new List<(string Text, string Line)>();
                var playerShown = new List<(string Text, string Line)>();
                boot.Agent.AgentTranscript += (t, final) => { if (final) npcShown.Add((t, subtitles.NpcLine)); };
                boot.Agent.UserTranscript += (t, final) => { if (final) playerShown.Add((t, subtitles.PlayerLine)); };
                Connect(scene, boot.Agent);
                Assert.That(scene.RunUntilInWallTime(() => npcShown.Count > 0 && playerShown.Count > 0, 60), Is.True,
                    "a greeting and the player's question: " + string.Join(" | ", SimulatedConsole.Snapshot()));

                Assert.That(npcShown[0].Text, Is.Not.Empty);
                Assert.That(npcShown[0].Line, Is.EqualTo("Innkeeper: " + npcShown[0].Text));
                Assert.That(playerShown[0].Text, Is.EqualTo(asked));
                Assert.That(playerShown[0].Line, Is.EqualTo("You: " + asked));

                boot.Agent.EndConversation();
                Assert.That(scene.RunUntilInWallTime(() => !boot.Agent.IsConversing, 30), Is.True);
                scene.Player.RunFor(subtitles.HoldSeconds + 0.1);
                Assert.That(subtitles.NpcLine, Is.Empty, "a line fades after HoldSeconds without a new transcript");
                Assert.That(subtitles.PlayerLine, Is.Empty);
            }
        }

        [Test]
        public void The_XR_Trainer_bootstrap_builds_the_room_and_the_instructor_starts_the_drill()
        {
            var emulator = new OpenAIRealtimeEmulatorOptions();
            using (var scene = new AgentScene(new float[48000 * 20], emulator))
            {
                SimulatedConsole.Clear();
                var boot = new GameObject("Bootstrap").AddComponent<TrainerBootstrap>();
                boot.Profile = scene.Profile;
                scene.Player.RunFrames(1);

                Assert.That(Names(scene.Player), Is.SupersetOf(new[] { "Trainee Camera", "Light", "Floor", "Wastebasket", "Fire", "Extinguisher", "Instructor" }));
                Assert.That(boot.Agent.gameObject.name, Is.EqualTo("Instructor"));
                Assert.That(boot.Agent.gameObject.GetComponent<AudioSource>().spatialBlend, Is.EqualTo(1f));
                Assert.That(boot.Agent.TurnTaking, Is.EqualTo(TurnTaking.PushToTalk));
                Assert.That(boot.Agent.BargeIn, Is.True);
                Assert.That(boot.Agent.IdleTimeoutSeconds, Is.EqualTo(0f));
                Assert.That(boot.GetComponent<PushToTalk>().Agent, Is.SameAs(boot.Agent));
                Assert.That(boot.Drill, Is.SameAs(boot.GetComponent<DrillController>()));
                Assert.That(boot.Drill.enabled, Is.True);
                Assert.That(boot.Drill.Card, Is.Null, "no drill before the briefing");
                RefusedWithoutTokenSource(boot.Agent, "Parley XR Trainer");

                Connect(scene, boot.Agent);
                Assert.That(scene.RunUntilInWallTime(() => boot.Drill.Card != null, 60), Is.True, "the briefing's final transcript starts the drill");
                Assert.That(boot.Drill.Card.Completed, Is.EqualTo(0));
            }
        }

        [Test]
        public void The_self_hosted_bootstrap_builds_the_assistant_and_starts_with_the_chosen_profile()
        {
            using (var player = new SimulatedPlayer(new SimulatedPlayerOptions { Seed = 9 }))
            {
                player.AddMicrophone(new SimulatedMicrophone("Mic", new float[48000], 48000));
                var riva = ScriptableObject.CreateInstance<RivaCascadeProfile>();
                var minicpmo = ScriptableObject.CreateInstance<MiniCpmoProfile>();
                minicpmo.ServerUrl = "http://127.0.0.1:9/";      // nothing listens: the start is what is checked
                var boot = new GameObject("Bootstrap").AddComponent<SelfHostedBootstrap>();
                boot.Profiles = new VoiceProfile[] { riva, minicpmo };
                boot.StartWith = 7;                              // past the end: the last one
                player.RunFrames(2);

                Assert.That(Names(player), Is.SupersetOf(new[] { "Camera", "Light", "Assistant" }));
                Assert.That(boot.Agent.gameObject.name, Is.EqualTo("Assistant"));
                Assert.That(boot.Agent.gameObject.GetComponent<AudioSource>().spatialBlend, Is.EqualTo(1f));
                Assert.That(boot.Agent.TurnTaking, Is.EqualTo(TurnTaking.ServerVad));
                Assert.That(boot.Agent.Profile, Is.SameAs(minicpmo), "Update started the conversation with the chosen profile");
                Assert.That(boot.Agent.LastStopReason, Is.Not.EqualTo(AgentStopReason.Credentials), "a local server needs no key");
                boot.Agent.EndConversation();
            }
        }

        [Test]
        public void Without_the_Input_System_holding_the_key_makes_a_push_to_talk_turn()
        {
            // The XR Trainer's scripts as Unity compiles them without com.unity.inputsystem (Parley.Samples.NoInputSystem).
            var here = Path.GetDirectoryName(typeof(SampleBootstrapTests).Assembly.Location);
            var configuration = Path.GetFileName(Path.GetDirectoryName(here));
            var dll = Path.Combine(PackagePaths.Root, "Tools~", ".build", "bin", "Parley.Samples.NoInputSystem", configuration, "netstandard2.1",
                "Parley.Samples.XRTrainer.NoInputSystem.dll");
            var pttType = Assembly.LoadFrom(dll).GetType("Parley.Samples.XRTrainer.PushToTalk", true);
            Assert.That(pttType.GetProperty("Key"), Is.Not.Null, "the legacy Input Manager variant");

            const string said = "Okay, first I pull the fire alarm and shout fire.";
            var emulator = new OpenAIRealtimeEmulatorOptions { UserTranscripts = new[] { "(turn 1 is the opening prompt, a text turn)", said } };
            using (var scene = new AgentScene(XRTrainerSceneTests.RepeatedQuestion(), emulator))
            {
                scene.Agent.TurnTaking = TurnTaking.PushToTalk;
                scene.Agent.OpeningPrompt = "Start the drill: read the briefing.";
                scene.Agent.StartOnEnable = true;
                var ptt = scene.Npc.AddComponent(pttType);
                pttType.GetProperty("Agent").SetValue(ptt, scene.Agent);
                pttType.GetProperty("Key").SetValue(ptt, KeyCode.T);
                bool Talking() => (bool)pttType.GetProperty("Talking").GetValue(ptt);
                var briefed = false;
                var heard = new List<string>();
                scene.Agent.AgentTranscript += (t, final) => briefed |= final;
                scene.Agent.UserTranscript += (t, final) => { if (final) heard.Add(t); };
                scene.Npc.SetActive(true);
                Assert.That(scene.RunUntilInWallTime(() => briefed && scene.Agent.State == SessionState.Listening, 60), Is.True);

                scene.Player.SetKey(KeyCode.Space, true);        // not the push-to-talk key
                scene.Player.RunFrames(2);
                Assert.That(Talking(), Is.False);
                scene.Player.SetKey(KeyCode.Space, false);

                scene.Player.SetKey(KeyCode.T, true);
                scene.Player.RunFrames(1);
                Assert.That(Talking(), Is.True, "GetKeyDown in the frame after the press");
                Assert.That(scene.RunUntil(() => scene.Agent.State == SessionState.UserSpeaking, 2), Is.True);
                scene.RunUntil(() => false, 4.5);
                Assert.That(Talking(), Is.True, "held");
                scene.Player.SetKey(KeyCode.T, false);
                scene.Player.RunFrames(1);
                Assert.That(Talking(), Is.False, "GetKeyUp in the frame after the release");

                Assert.That(scene.RunUntil(() => heard.Count > 0, 30), Is.True);
                Assert.That(heard[0], Is.EqualTo(said));
                Assert.That(string.Join("\n", scene.Emulator.ClientEvents), Does.Contain("input_audio_buffer.commit"), "the release ended the turn");
            }
        }
    }
}
