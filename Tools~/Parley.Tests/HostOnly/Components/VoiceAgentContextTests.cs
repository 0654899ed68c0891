using System.Linq;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Providers;
using Parley.Session;
using Parley.Session.Metrics;

namespace Parley.Tests.Components
{
    /// <summary>
    /// <c>VoiceAgent.AddContext</c> in the simulated player against the OpenAI emulator: given while the agent speaks,
    /// the reply plays on, the server gets a system item and starts no response, the next reply is built with it, and
    /// it is in the saved history that seeds the next conversation.
    /// </summary>
    public class VoiceAgentContextTests
    {
        const string Lantern = "The player picked up the lantern.";

        [Test]
        public void Context_while_the_agent_speaks_reaches_the_next_reply_and_the_saved_history_without_a_reply_of_its_own()
        {
            using (var scene = VoiceAgentTests.SpeakingScene())
            {
                Assert.That(scene.Agent.State, Is.EqualTo(SessionState.AgentSpeaking));
                var reported = new System.Collections.Generic.List<(string, ContextDelivery)>();
                scene.Agent.ContextAdded += (text, delivery) => reported.Add((text, delivery));
                scene.Agent.AddContext(Lantern);
                Assert.That(scene.RunUntil(() => scene.Emulator.ClientEvents.Any(e => e.Contains(Lantern)), 5), Is.True);
                Assert.That(scene.RunUntil(() => reported.Count > 0, 5), Is.True, "the agent reports the delivery on a later Update");
                Assert.That(reported, Is.EqualTo(new[] { (Lantern, ContextDelivery.Sent) }), "OpenAI takes context while the agent speaks");
                Assert.That(scene.RunUntil(() => scene.Of<TurnCompleted>().Count >= 1, 30), Is.True, string.Join(" ", scene.Events.Select(e => e.Name)));
                Assert.That(scene.Of<TurnCompleted>()[0].Turn.Outcome, Is.EqualTo(TurnOutcome.Completed), "the reply played on");
                Assert.That(scene.Of<Interrupted>(), Is.Empty);
                scene.RunUntil(() => false, 0.5);
                Assert.That(scene.Emulator.ResponseContexts.Count, Is.EqualTo(1), "no response for the context");
                Assert.That(scene.Of<ResponseStartedEvent>().Count, Is.EqualTo(1));

                scene.Agent.SendText("What do you sell?");
                Assert.That(scene.RunUntil(() => scene.Emulator.ResponseContexts.Count == 2, 10), Is.True);
                Assert.That(scene.Emulator.ResponseContexts.Last(), Is.EqualTo(new[] { "system: " + Lantern, "user: What do you sell?" }));

                var saved = JArray.Parse(scene.Agent.SaveHistoryJson());
                Assert.That(saved.Count(i => (string)i["role"] == "System" && (string)i["text"] == Lantern), Is.EqualTo(1));

                // The next conversation starts from the saved history: the context is in it before anything is asked.
                scene.Agent.EndConversation();
                Assert.That(scene.RunUntilConnected(() => !scene.Agent.IsConversing), Is.True, "the first conversation closed");
                scene.Agent.RestoreHistoryJson(saved.ToString());
                var before = scene.Emulator.ClientEvents.Count;
                scene.Agent.StartConversation();
                Assert.That(scene.RunUntilConnected(() => scene.Agent.State == SessionState.Listening), Is.True);
                Assert.That(scene.RunUntil(() => scene.Emulator.ClientEvents.Skip(before).Any(e => e.Contains(Lantern)), 5), Is.True, "replayed as a system item");
                Assert.That(scene.Player.Exceptions, Is.Empty);
                Assert.That(scene.Emulator.Violations, Is.Empty);
            }
        }
    }
}
