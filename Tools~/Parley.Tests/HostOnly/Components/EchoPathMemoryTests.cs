using System.Linq;
using NUnit.Framework;
using Parley.Audio;
using Parley.Servers.OpenAI;
using Parley.Session;
using Parley.Simulation;
using Parley.Tests.Support;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>
    /// A VoiceAgent's second conversation on the same MicrophoneCapture starts its echo canceller from the room the first
    /// one learnt (<c>VoiceAgent.RememberEchoPath</c>, the capture's <c>EchoRooms</c>): the OpenAI emulator on
    /// loopback, the player's question looping every 12 s, the agent's replies reaching the microphone through a room
    /// (RT60 0.4 s, 100 ms, −6 dB) from the listener's output.
    /// </summary>
    public class EchoPathMemoryTests
    {
        static (bool Kept, bool Handed, bool Warm) TwoConversations(bool remember)
        {
            var input = AgentScene.FirstQuestion();
            using (var scene = new AgentScene(input, new OpenAIRealtimeEmulatorOptions { UserTranscripts = new[] { "Hello?", "Hello again?", "Still there?" } }))
            using (InRoom(scene))
            {
                scene.Agent.RememberEchoPath = remember;
                scene.Npc.SetActive(true);
                // Two exchanges: a cold canceller has not yet held this room after the first reply (2.2 dB at its end).
                Assert.That(scene.RunUntil(() => scene.Of<TurnCompleted>().Count >= 2, 40), Is.True, "the first conversation's two replies");
                TestContext.WriteLine($"the first conversation ends at {scene.Player.Now:0.0} s, its canceller's gauge at {scene.Agent.FrontEnd.EchoCanceller.State.FgErleDb:0.0} dB");
                scene.Agent.EndConversation();
                Assert.That(scene.RunUntilInWallTime(() => !scene.Agent.IsConversing), Is.True);
                var kept = scene.Capture.EchoRooms.Count == 1;
                scene.Agent.StartConversation();
                Assert.That(scene.RunUntilConnected(() => scene.Agent.State == SessionState.Listening), Is.True);
                // Before the second reply: the canceller holds the recalled room as its re-seed source.
                var handed = scene.Agent.FrontEnd.EchoCanceller.SaveRoom() != null;
                Assert.That(scene.RunUntil(() => scene.Of<TurnCompleted>().Count >= 3, 30), Is.True, "the second conversation's reply");
                return (kept, handed, scene.Agent.FrontEnd.EchoCanceller.StartedWarm);
            }
        }

        /// <summary>
        /// The scene's agent set to start when its NPC is enabled, the player's question looping, and the agent's voice
        /// reaching the microphone through a room (RT60 0.4 s, 100 ms, −6 dB) from the listener's output. Dispose the
        /// echo before the scene.
        /// </summary>
        internal static ListenerEcho InRoom(AgentScene scene)
        {
            var room = new ListenerEcho(scene.Player, rate => new EchoPath(EchoScenes.RoomImpulse(rate, 0.4, 100, 3), rate, -6).Process);
            scene.Mic.LoopInput = true;
            scene.Mic.Room = room;
            scene.Agent.StartOnEnable = true;
            return room;
        }

        [Test]
        public void The_second_conversation_starts_from_the_room_the_first_learnt()
        {
            var r = TwoConversations(true);
            Assert.That(r.Kept, Is.True, "the first conversation's room was kept by the capture");
            Assert.That(r.Handed, Is.True, "the second conversation's canceller was given it");
            Assert.That(r.Warm, Is.True, "and installed it on the second reply");
        }

        [Test]
        public void Without_RememberEchoPath_every_conversation_starts_cold()
        {
            var r = TwoConversations(false);
            Assert.That(r.Kept, Is.False);
            Assert.That(r.Handed, Is.False);
            Assert.That(r.Warm, Is.False);
        }
    }
}
