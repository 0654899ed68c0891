using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using NUnit.Framework;
using Parley.Servers.OpenAI;
using Parley.Session;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>
    /// The agent on its default session loop (<see cref="SessionLoop.Background"/>: the session's own thread and
    /// the send lane's thread): disabling, destroying and quitting end both threads before the call returns. The
    /// threads are the ones the session reports it started, checked right after the teardown, without waiting.
    /// </summary>
    public class VoiceAgentThreadTests
    {
        public enum Teardown { Disable, Destroy, DestroyImmediate, Quit, EndConversation }

        [TestCase(Teardown.Disable)]
        [TestCase(Teardown.Destroy)]
        [TestCase(Teardown.DestroyImmediate)]
        [TestCase(Teardown.Quit)]
        [TestCase(Teardown.EndConversation)]
        public void No_thread_the_agent_started_outlives_the_teardown(Teardown how)
        {
            using (var scene = new AgentScene(AgentScene.FirstQuestion(), new OpenAIRealtimeEmulatorOptions { UserTranscripts = new[] { "Can you sharpen my sword before sunset?" } }))
            {
                scene.Agent.Loop = SessionLoop.Background;
                scene.Agent.StartOnEnable = true;
                scene.Npc.SetActive(true);
                var threads = new List<Thread>();
                Assert.That(scene.RunUntilConnected(() => scene.Agent.Session != null && scene.Agent.Session.StartedThreads.Count == 2), Is.True,
                    string.Join(" ", scene.Events.Select(e => e.Name)));
                threads.AddRange(scene.Agent.Session.StartedThreads);
                Assert.That(threads.Select(t => t.Name), Is.EquivalentTo(new[] { "Parley session", "Parley send lane" }));
                Assert.That(threads.All(t => t.IsAlive), Is.True, "running while the conversation is: " + string.Join(",", threads.Select(t => t.Name + "=" + t.IsAlive)) + " " + scene.Agent.State + " " + string.Join(" ", scene.Events.Select(e => e.Name)));
                var session = scene.Agent.Session;

                switch (how)
                {
                    case Teardown.Disable:
                        scene.Agent.enabled = false;
                        break;
                    case Teardown.Destroy:
                        UnityEngine.Object.Destroy(scene.Npc);   // at the end of the frame
                        Assert.That(threads.All(t => t.IsAlive), Is.True, "not yet: Destroy is deferred");
                        scene.Player.RunFrames(1);
                        break;
                    case Teardown.DestroyImmediate:
                        UnityEngine.Object.DestroyImmediate(scene.Npc);
                        break;
                    case Teardown.Quit:
                        scene.Player.Quit();
                        break;
                    case Teardown.EndConversation:
                        // Graceful: the close handshake runs in wall time, then Closed ends the session on the main thread.
                        scene.Agent.EndConversation();
                        Assert.That(scene.RunUntilConnected(() => scene.Agent.Session == null), Is.True, "closed");
                        break;
                }

                // Checked at once: the teardown joined them (no sleeping, no polling).
                Assert.That(threads.Where(t => t.IsAlive).Select(t => t.Name), Is.Empty, "threads left behind");
                Assert.That(session.ThreadsRunning, Is.False);
                Assert.That(scene.Agent == null || scene.Agent.Session == null, Is.True);
                Assert.That(scene.Player.Exceptions, Is.Empty);
            }
        }
    }
}
