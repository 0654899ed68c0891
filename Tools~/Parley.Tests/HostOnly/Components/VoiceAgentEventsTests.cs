using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Servers.OpenAI;
using Parley.Session;
using Parley.Session.Metrics;
using Parley.Unity.Agent;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>
    /// Every UnityEvent of <see cref="VoiceAgentEvents"/> wired as a game would (runtime listeners), through one
    /// conversation against the emulator: a spoken turn whose reply carries a malformed frame (a non-fatal error),
    /// a text turn that calls a tool, then the end. Each event fires on the main thread with the payload of the
    /// session event behind it.
    /// </summary>
    public class VoiceAgentEventsTests
    {
        [Test]
        public void Every_UnityEvent_fires_on_the_main_thread_with_the_payload_of_its_session_event()
        {
            var emulator = new OpenAIRealtimeEmulatorOptions
            {
                UserTranscripts = new[] { "Can you sharpen my sword before sunset?" },
                Fault = EmulatorFault.MalformedJsonMidReply, FaultLimit = 1,
                ToolKeyword = "whetstone", ToolArgumentsJson = "{\"weapon\":\"sword\",\"passes\":2}",
            };
            using (var scene = new AgentScene(AgentScene.FirstQuestion(), emulator))
            {
                var forge = new GameObject("Forge").AddComponent<VoiceAgentBehaviourTests.Forge>();
                scene.Agent.ToolTargets = new MonoBehaviour[] { forge };
                var fired = new List<(string Name, object Payload)>();
                var offMain = 0;
                void Add(string name, object payload)
                {
                    if (System.Threading.Thread.CurrentThread.ManagedThreadId != scene.Player.MainThreadId) offMain++;
                    fired.Add((name, payload));
                }
                var ev = scene.Agent.Events;
                ev.stateChanged.AddListener(s => Add("state", s));
                ev.userTranscriptPartial.AddListener(t => Add("userPartial", t));
                ev.userTranscriptFinal.AddListener(t => Add("userFinal", t));
                ev.agentTranscriptPartial.AddListener(t => Add("agentPartial", t));
                ev.agentTranscriptFinal.AddListener(t => Add("agentFinal", t));
                ev.toolCalled.AddListener(t => Add("tool", t));
                ev.error.AddListener(t => Add("error", t));
                ev.turnMetrics.AddListener(m => Add("metrics", m));
                ev.conversationEnded.AddListener(() => Add("ended", null));
                var csharpMetrics = new List<TurnMetrics>();
                scene.Agent.TurnMetricsReported += csharpMetrics.Add;

                scene.Agent.StartOnEnable = true;
                scene.Npc.SetActive(true);
                Assert.That(scene.RunUntil(() => scene.Of<TurnCompleted>().Count >= 1 && scene.Agent.State == SessionState.Listening, 40), Is.True,
                    string.Join(" ", scene.Events.Select(e => e.Name)));
                scene.Agent.SendText("Take the whetstone to my sword.");
                Assert.That(scene.RunUntil(() => scene.Of<ToolCallFinished>().Count == 1 && scene.Of<TurnCompleted>().Count >= 2, 40), Is.True,
                    string.Join(" ", scene.Events.Select(e => e.Name)));
                scene.Agent.EndConversation();
                Assert.That(scene.RunUntilConnected(() => scene.Agent.Session == null), Is.True, "closed");
                TestContext.WriteLine(string.Join("\n", fired.Select(f => f.Name + ": " + f.Payload)));

                List<object> Of(string name) => fired.Where(f => f.Name == name).Select(f => f.Payload).ToList();
                // State: every change the session made, in order, and nothing else.
                Assert.That(Of("state"), Is.EqualTo(scene.Of<StateChanged>().Select(s => (object)s.To).ToList()));
                Assert.That(Of("state"), Does.Contain(SessionState.UserSpeaking).And.Contain(SessionState.AgentSpeaking).And.Contain(SessionState.Closed));
                // Transcripts: the partials and finals as the session raised them, split by kind.
                var user = scene.Of<UserTranscriptEvent>();
                var agent = scene.Of<AgentTranscriptEvent>();
                Assert.That(Of("userPartial"), Is.EqualTo(user.Where(u => !u.IsFinal).Select(u => (object)u.Text).ToList()).And.Not.Empty);
                Assert.That(Of("userFinal"), Is.EqualTo(new object[] { "Can you sharpen my sword before sunset?" }));
                Assert.That(Of("agentPartial"), Is.EqualTo(agent.Where(a => !a.IsFinal).Select(a => (object)a.Text).ToList()).And.Not.Empty);
                Assert.That(Of("agentFinal"), Is.EqualTo(agent.Where(a => a.IsFinal).Select(a => (object)a.Text).ToList()).And.Not.Empty);
                // The tool call, by the core's name for the method.
                Assert.That(Of("tool"), Is.EqualTo(new object[] { "sharpen_weapon" }));
                Assert.That(forge.Sharpened, Is.EqualTo("sword x2"));
                // The malformed frame: one readable error, code first.
                var errors = scene.Of<SessionErrorEvent>();
                Assert.That(errors, Is.Not.Empty);
                Assert.That(Of("error"), Is.EqualTo(errors.Select(e => (object)(e.Code + ": " + e.Message)).ToList()));
                // Metrics: the same objects as the C# event and the session's TurnCompleted, one per turn.
                Assert.That(Of("metrics"), Is.EqualTo(scene.Of<TurnCompleted>().Select(t => (object)t.Turn).ToList()));
                Assert.That(Of("metrics"), Is.EqualTo(csharpMetrics.Cast<object>().ToList()));
                Assert.That(Of("metrics").Count, Is.GreaterThanOrEqualTo(2));
                Assert.That(Of("ended"), Has.Count.EqualTo(1));
                Assert.That(fired.Last().Name, Is.EqualTo("ended"), "the end comes last");
                Assert.That(offMain, Is.EqualTo(0), "all on the main thread");
                Assert.That(scene.Player.Exceptions, Is.Empty);
            }
        }
    }
}
