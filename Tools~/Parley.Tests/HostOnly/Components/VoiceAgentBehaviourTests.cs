using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Parley.Servers.OpenAI;
using Parley.Session;
using Parley.Session.Tools;
using Parley.Tests.Support;
using Parley.Unity.Agent;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>The agent's policies: consent, idle timeout, game actions as tools, saved history.</summary>
    public class VoiceAgentBehaviourTests
    {
        static float[] FirstQuestion() => AgentScene.FirstQuestion();

        /// <summary>A game action the model may call; records the thread it ran on.</summary>
        public sealed class Forge : MonoBehaviour
        {
            public string Sharpened;
            public int Thread = -1;

            [Tool("Sharpen the player's weapon.")]
            public string SharpenWeapon(string weapon, int passes = 3)
            {
                Sharpened = weapon + " x" + passes;
                Thread = System.Threading.Thread.CurrentThread.ManagedThreadId;
                return "{\"ok\":true}";
            }
        }

        [Test]
        public void Without_consent_nothing_is_captured_or_connected()
        {
            using (var scene = new AgentScene(FirstQuestion()))
            {
                var asked = 0;
                scene.Agent.ConsentCallback = ct => { asked++; return Task.FromResult(false); };
                string error = null;
                scene.Agent.Error += e => error = e.Code;
                scene.Agent.StartOnEnable = true;
                scene.Npc.SetActive(true);
                scene.RunUntil(() => false, 2);

                Assert.That(asked, Is.EqualTo(1));
                Assert.That(error, Is.EqualTo("consent_denied"));
                Assert.That(scene.Agent.LastStopReason, Is.EqualTo(AgentStopReason.ConsentDenied));
                Assert.That(scene.Agent.FramesSubmitted, Is.Zero);
                Assert.That(scene.Emulator.Connections, Is.Zero);
                Assert.That(scene.Agent.IsConversing, Is.False);
            }
        }

        [Test]
        public void An_idle_conversation_ends_after_the_timeout_and_releases_its_socket()
        {
            using (var scene = new AgentScene(new float[48000 * 10]))   // the player says nothing
            {
                scene.Agent.IdleTimeoutSeconds = 2;
                var ended = AgentStopReason.None;
                scene.Agent.ConversationEnded += r => ended = r;
                scene.Agent.StartOnEnable = true;
                scene.Npc.SetActive(true);
                Assert.That(scene.RunUntilConnected(() => scene.Agent.State == SessionState.Listening), Is.True);
                var listeningAt = scene.Player.Now;
                // The decision is taken on the player loop (virtual time); the close that follows runs on the
                // session's loop in wall time, so only the decision is timed.
                Assert.That(scene.RunUntil(() => scene.Agent.LastStopReason == AgentStopReason.IdleTimeout, 5), Is.True);
                Assert.That(scene.Player.Now - listeningAt, Is.InRange(2.0, 2.2), "virtual seconds of silence before the end");
                Assert.That(scene.RunUntilInWallTime(() => !scene.Agent.IsConversing), Is.True);
                Assert.That(ended, Is.EqualTo(AgentStopReason.IdleTimeout));
                Assert.That(scene.Of<Closed>().Single().Kind, Is.EqualTo(CloseReason.ClosedByHost), "closed cleanly, provider told");
                Assert.That(scene.Providers.Skip(1).All(p => p.Disposed >= 1 && !p.IsConnected), Is.True);
            }
        }

        [Test]
        public void Public_methods_of_listed_components_marked_Tool_are_called_on_the_main_thread()
        {
            var emulator = new OpenAIRealtimeEmulatorOptions { ToolCallOnTurn = 1, ToolArgumentsJson = "{\"weapon\":\"sword\",\"passes\":2}", UserTranscripts = new[] { "Sharpen it." } };
            using (var scene = new AgentScene(FirstQuestion(), emulator))
            {
                var forge = new GameObject("Forge").AddComponent<Forge>();
                scene.Agent.ToolTargets = new MonoBehaviour[] { forge };
                scene.Agent.StartOnEnable = true;
                scene.Npc.SetActive(true);
                Assert.That(scene.RunUntil(() => scene.Of<ToolCallFinished>().Count == 1, 30), Is.True, string.Join(" ", scene.Events.Select(e => e.Name)));

                var result = scene.Of<ToolCallFinished>().Single();
                Assert.That(result.ToolName, Is.EqualTo("sharpen_weapon"), "the core's naming: snake_case of the method");
                Assert.That(result.Outcome, Is.EqualTo(ToolOutcome.Ok));
                Assert.That(result.ResultJson, Is.EqualTo("{\"ok\":true}"));
                Assert.That(forge.Sharpened, Is.EqualTo("sword x2"));
                Assert.That(forge.Thread, Is.EqualTo(scene.Player.MainThreadId));
                Assert.That(scene.Emulator.ClientEvents.Any(e => e.Contains("function_call_output") && e.Contains("ok")), Is.True, "the result went back to the model");
            }
        }

        [Test]
        public void A_saved_history_restores_into_the_next_conversation()
        {
            string saved;
            using (var scene = new AgentScene(FirstQuestion(), new OpenAIRealtimeEmulatorOptions { UserTranscripts = new[] { "Can you sharpen my sword before sunset?" } }))
            {
                scene.Agent.StartOnEnable = true;
                scene.Npc.SetActive(true);
                Assert.That(scene.RunUntil(() => scene.Of<TurnCompleted>().Count >= 1, 30), Is.True);
                scene.Agent.EndConversation();
                // The close handshake runs in wall time (5 s of virtual time passed in a few ms of it under load).
                Assert.That(scene.RunUntilInWallTime(() => !scene.Agent.IsConversing), Is.True);
                saved = scene.Agent.SaveHistoryJson();
            }
            var reply = OpenAIRealtimeEmulator.DefaultReplyTexts["npc-greeting"];
            Assert.That(saved, Does.Contain("Can you sharpen my sword before sunset?").And.Contain(reply));

            using (var scene = new AgentScene(new float[48000 * 4]))
            {
                scene.Agent.RestoreHistoryJson(saved);
                scene.Agent.AddContext("The player carries a lantern.");
                scene.Agent.StartOnEnable = true;
                scene.Npc.SetActive(true);
                Assert.That(scene.RunUntilConnected(() => scene.Agent.State == SessionState.Listening), Is.True);
                // The provider sends the history items after session.updated: wait for them on the wire (bounded).
                var deadline = DateTime.UtcNow.AddSeconds(10);
                while (DateTime.UtcNow < deadline && !scene.Emulator.ClientEvents.Any(e => e.Contains("The player carries a lantern."))) Thread.Sleep(5);
                var sent = string.Join("\n", scene.Emulator.ClientEvents);
                Assert.That(sent, Does.Contain(reply), "the agent's earlier reply was given to the new session");
                Assert.That(sent, Does.Contain("The player carries a lantern."));
                Assert.Throws<FormatException>(() => scene.Agent.RestoreHistoryJson("{not a history"));
            }
        }

        [TestCase(BackgroundPolicy.Close, true)]
        [TestCase(BackgroundPolicy.Keep, false)]
        public void Losing_focus_mid_reply_closes_or_keeps_the_conversation_as_set(BackgroundPolicy policy, bool closes)
        {
            using (var scene = new AgentScene(FirstQuestion(), new OpenAIRealtimeEmulatorOptions { UserTranscripts = new[] { "Can you sharpen my sword before sunset?" } }))
            {
                scene.Agent.WhenBackgrounded = policy;
                scene.Agent.StartOnEnable = true;
                scene.Npc.SetActive(true);
                Assert.That(scene.RunUntil(() => scene.Agent.State == SessionState.AgentSpeaking, 30), Is.True);
                scene.Player.SetFocus(false);
                // Closing ends with the socket's close handshake, in wall time; keeping is 3 s of play without an end.
                if (closes) scene.RunUntilInWallTime(() => !scene.Agent.IsConversing);
                else scene.RunUntil(() => !scene.Agent.IsConversing, 3);
                Assert.That(scene.Agent.IsConversing, Is.EqualTo(!closes));
                if (closes)
                {
                    Assert.That(scene.Agent.LastStopReason, Is.EqualTo(AgentStopReason.Backgrounded));
                    Assert.That(scene.Providers.Skip(1).All(p => p.Disposed >= 1 && !p.IsConnected), Is.True, "no socket kept in the background");
                }
                else Assert.That(scene.Agent.State, Is.Not.EqualTo(SessionState.Closed));
            }
        }

        [Test]
        public void The_cost_cap_ends_the_conversation_when_the_estimate_reaches_it()
        {
            using (var scene = new AgentScene(FirstQuestion(), new OpenAIRealtimeEmulatorOptions { UserTranscripts = new[] { "Can you sharpen my sword before sunset?" } }))
            {
                scene.Agent.MaxCostUsd = 0.000001f;   // the first priced usage report (OpenAI's example prices) exceeds it
                string error = null;
                scene.Agent.Error += e => error = e.Code;
                scene.Agent.StartOnEnable = true;
                scene.Npc.SetActive(true);
                Assert.That(scene.RunUntil(() => scene.Of<UsageEvent>().Count >= 1, 30), Is.True, string.Join(" ", scene.Events.Select(e => e.Name)));
                Assert.That(scene.RunUntilInWallTime(() => !scene.Agent.IsConversing), Is.True);
                Assert.That(scene.Of<UsageEvent>().First().CostUsd, Is.GreaterThan(0.000001));
                Assert.That(error, Is.EqualTo("cost_cap"));
                Assert.That(scene.Agent.LastStopReason, Is.EqualTo(AgentStopReason.CostCap));
                Assert.That(scene.Providers.Skip(1).All(p => p.Disposed >= 1 && !p.IsConnected), Is.True);
            }
        }

        [Test]
        public void Push_to_talk_sends_the_held_speech_as_one_turn_and_the_agent_answers()
        {
            using (var scene = new AgentScene(FirstQuestion(), new OpenAIRealtimeEmulatorOptions { UserTranscripts = new[] { "Can you sharpen my sword before sunset?" } }))
            {
                scene.Agent.TurnTaking = TurnTaking.PushToTalk;
                scene.Agent.StartOnEnable = true;
                scene.Npc.SetActive(true);
                Assert.That(scene.RunUntilConnected(() => scene.Agent.State == SessionState.Listening), Is.True);
                scene.Agent.BeginPushToTalk();
                Assert.That(scene.RunUntil(() => scene.Agent.State == SessionState.UserSpeaking, 2), Is.True);
                scene.RunUntil(() => false, 3.0);   // the question (0.8–2.9 s of the input) while the key is held
                scene.Agent.EndPushToTalk();
                Assert.That(scene.RunUntil(() => scene.Of<TurnCompleted>().Count >= 1, 30), Is.True, string.Join(" ", scene.Events.Select(e => e.Name)));
                Assert.That(scene.Of<AgentTranscriptEvent>().First(a => a.IsFinal).Text, Is.EqualTo(OpenAIRealtimeEmulator.DefaultReplyTexts["npc-greeting"]));
                var sent = string.Join("\n", scene.Emulator.ClientEvents);
                Assert.That(sent, Does.Contain("input_audio_buffer.commit"), "the turn was ended by the game, not a server VAD");
            }
        }
    }
}
