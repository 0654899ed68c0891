using System;
using System.Linq;
using NUnit.Framework;
using Parley.Providers;
using Parley.Servers.OpenAI;
using Parley.Session;

namespace Parley.Tests.Components
{
    /// <summary>
    /// The agent's socket ends with the conversation: after ending it, disabling or destroying the agent, the
    /// connection's receive loop and stall watchdog have finished when the call returns (checked at once, without
    /// waiting), and the loopback server sees the socket end with a close frame.
    /// </summary>
    public class VoiceAgentSocketTests
    {
        static readonly TimeSpan ServerSees = TimeSpan.FromSeconds(30);

        [TestCase(VoiceAgentThreadTests.Teardown.Disable, SessionLoop.Inline, 1001)]
        [TestCase(VoiceAgentThreadTests.Teardown.Destroy, SessionLoop.Inline, 1001)]
        [TestCase(VoiceAgentThreadTests.Teardown.Destroy, SessionLoop.Background, 1001)]
        [TestCase(VoiceAgentThreadTests.Teardown.Quit, SessionLoop.Background, 1001)]
        [TestCase(VoiceAgentThreadTests.Teardown.EndConversation, SessionLoop.Inline, 1000)]
        [TestCase(VoiceAgentThreadTests.Teardown.EndConversation, SessionLoop.Background, 1000)]
        public void No_socket_task_outlives_the_teardown_and_the_server_sees_the_close(VoiceAgentThreadTests.Teardown how, SessionLoop loop, int closeStatus)
        {
            using (var scene = new AgentScene(AgentScene.FirstQuestion(), new OpenAIRealtimeEmulatorOptions { UserTranscripts = new[] { "Can you sharpen my sword before sunset?" } }))
            {
                scene.Agent.Loop = loop;
                scene.Agent.StartOnEnable = true;
                scene.Npc.SetActive(true);
                Assert.That(scene.RunUntilConnected(() => scene.Agent.State == SessionState.Listening), Is.True, string.Join(" ", scene.Events.Select(e => e.Name)));
                var session = scene.Agent.Session;
                var live = scene.Providers.Where(p => p.IsConnected).ToList();
                Assert.That(live, Has.Count.EqualTo(1));
                var socket = (IBackgroundWork)live[0].Inner;
                Assert.That(socket.RunningTasks, Is.EquivalentTo(new[] { "OpenAI Realtime receive loop", "OpenAI Realtime stall watchdog" }), "running while the conversation is");

                switch (how)
                {
                    case VoiceAgentThreadTests.Teardown.Disable:
                        scene.Agent.enabled = false;
                        break;
                    case VoiceAgentThreadTests.Teardown.Destroy:
                        UnityEngine.Object.Destroy(scene.Npc);
                        scene.Player.RunFrames(1);
                        break;
                    case VoiceAgentThreadTests.Teardown.Quit:
                        scene.Player.Quit();
                        break;
                    case VoiceAgentThreadTests.Teardown.EndConversation:
                        scene.Agent.EndConversation();
                        Assert.That(scene.RunUntilConnected(() => scene.Agent.Session == null), Is.True, "closed");
                        break;
                }

                // At once: the teardown joined them.
                Assert.That(socket.RunningTasks, Is.Empty, "socket tasks left behind");
                Assert.That(session.LeftRunning, Is.Empty);
                Assert.That(scene.Providers.All(p => p.Disposed >= 1 && ((IBackgroundWork)p.Inner).RunningTasks.Count == 0), Is.True);
                Assert.That(scene.Emulator.Connections, Is.EqualTo(1));
                Assert.That(scene.Emulator.WaitConnectionEnds(1, ServerSees), Is.True, "the server never saw the socket end");
                Assert.That(scene.Emulator.ConnectionEnds, Is.EqualTo(new[] { "close " + closeStatus }));
                Assert.That(scene.Player.Exceptions, Is.Empty);
            }
        }
    }
}
