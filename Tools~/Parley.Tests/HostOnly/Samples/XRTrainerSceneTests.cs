using System;
using System.Linq;
using NUnit.Framework;
using Parley.Samples.XRTrainer;
using Parley.Servers.OpenAI;
using Parley.Session;
using Parley.Tests.Components;
using Parley.Tests.Support;
using UnityEngine.InputSystem;

namespace Parley.Tests.HostOnly.Samples
{
    /// <summary>
    /// The XR Trainer's components in the simulated player against the OpenAI emulator: the instructor reads the
    /// briefing (the drill starts), holding the Input System action makes a push-to-talk turn, and the trainee's
    /// transcript is scored by the rubric.
    /// </summary>
    public class XRTrainerSceneTests
    {
        /// <summary>The conversation fixture's first question (0.8–2.9 s) every 4 s for 40 s: speech whenever the button is held 4.5 s.</summary>
        internal static float[] RepeatedQuestion()
        {
            var all = TestWav.Read(PackagePaths.Fixture("audio", "conversation", "user-turns-48k.wav")).Samples;
            var x = new float[48000 * 40];
            for (var at = 0; at + 48000 * 4 <= x.Length; at += 48000 * 4) Array.Copy(all, 0, x, at, 48000 * 4);
            return x;
        }

        [Test]
        public void Holding_the_action_makes_a_turn_and_the_drill_scores_what_the_trainee_said()
        {
            var said = "Okay, first I pull the fire alarm and shout fire.";
            using (var scene = new AgentScene(RepeatedQuestion(), new OpenAIRealtimeEmulatorOptions { UserTranscripts = new[] { "(turn 1 is the opening prompt, a text turn)", said } }))
            {
                scene.Agent.TurnTaking = TurnTaking.PushToTalk;
                scene.Agent.OpeningPrompt = "Start the drill: read the briefing.";
                scene.Agent.StartOnEnable = true;
                var button = new InputAction("Talk", InputActionType.Button, "<Keyboard>/space");
                var ptt = scene.Npc.AddComponent<PushToTalk>();
                ptt.Agent = scene.Agent;
                ptt.Action = InputActionReference.Create(button);
                var drill = scene.Npc.AddComponent<DrillController>();
                drill.Bind(scene.Agent, ptt);
                var heard = new System.Collections.Generic.List<string>();
                scene.Agent.UserTranscript += (t, f) => heard.Add((f ? "final: " : "partial: ") + t);
                scene.Npc.SetActive(true);
                Assert.That(button.enabled, Is.True, "PushToTalk enables the action it listens to");

                Assert.That(scene.RunUntil(() => drill.Card != null, 30), Is.True, "the briefing's final transcript starts the drill");
                Assert.That(scene.RunUntil(() => scene.Agent.State == SessionState.Listening, 30), Is.True);
                Assert.That(drill.Card.Completed, Is.EqualTo(0));

                button.Simulate(true);
                Assert.That(ptt.Talking, Is.True);
                Assert.That(scene.RunUntil(() => scene.Agent.State == SessionState.UserSpeaking, 2), Is.True);
                scene.RunUntil(() => false, 4.5);
                button.Simulate(false);
                Assert.That(ptt.Talking, Is.False);

                Assert.That(scene.RunUntil(() => drill.Card.Completed > 0, 30), Is.True, string.Join(" | ", heard));
                Assert.That(drill.Card.Steps.Where(s => s.Done).Select(s => s.Step.Id), Is.EqualTo(new[] { "alarm" }));
                Assert.That(drill.Card.Steps.Single(s => s.Step.Id == "alarm").Utterance, Is.EqualTo(said));
                Assert.That(string.Join("\n", scene.Emulator.ClientEvents), Does.Contain("input_audio_buffer.commit"), "the game ended the turn");
            }
        }
    }
}
