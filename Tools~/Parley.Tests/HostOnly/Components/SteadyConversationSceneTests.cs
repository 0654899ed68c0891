using System.Threading;
using NUnit.Framework;
using Parley.Session;
using Parley.Unity.Agent;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>
    /// The scene's start under the race a loaded machine opens: the provider hands its listener over inside
    /// ConnectAsync (on the session's thread) and frames run before the session has taken the connect's completion.
    /// A stressed CI run saw that start wait out its 30 s bound: the reply's start was posted ahead of the connect's
    /// completion, dropped in the Connecting state, and the session stayed in Listening. Here a gate holds the connect
    /// open for frames, so the window is there on every run.
    /// </summary>
    public class SteadyConversationSceneTests
    {
        /// <summary>Opens the connect gate once its feed has seen the provider on two frames (so the feed ran in the window).</summary>
        public sealed class GateOpener : MonoBehaviour
        {
            public ReplyFeed Feed;
            public ManualResetEventSlim Gate;
            public int FramesInWindow;
            public SessionState StateWhenOpened = SessionState.Closed;

            void Update()
            {
                if (Gate.IsSet || Feed.Provider == null) return;
                if (++FramesInWindow < 2) return;
                StateWhenOpened = Feed.Agent.State;
                Gate.Set();
            }
        }

        [Test]
        public void Agents_start_talking_when_frames_run_while_the_connect_is_still_open()
        {
            var input = new float[48000];
            var openers = new System.Collections.Generic.List<GateOpener>();
            using (var gate = new ManualResetEventSlim(false))
            using (var scene = new SteadyConversationScene(1, input, SessionLoop.Background, configure: (_, n) =>
            {
                n.Feed.ConnectGate = gate;
                var opener = n.GameObject.AddComponent<GateOpener>();
                opener.Feed = n.Feed;
                opener.Gate = gate;
                openers.Add(opener);
            }))
            {
                var npc = scene.Npcs[0];
                Assert.That(openers[0].StateWhenOpened, Is.EqualTo(SessionState.Connecting), "the frames ran while the session was still connecting");
                Assert.That(openers[0].FramesInWindow, Is.GreaterThanOrEqualTo(2));
                Assert.That(npc.Agent.State, Is.EqualTo(SessionState.AgentSpeaking));
                Assert.That(npc.Agent.Session.RefusedTransitions, Is.EqualTo(0));
                Assert.That(scene.Player.Now, Is.LessThan(1.0), "a start takes a few frames once connected, not the bound");
            }
        }
    }
}
