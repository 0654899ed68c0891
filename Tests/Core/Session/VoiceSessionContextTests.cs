using System;
using System.Linq;
using System.Threading;
using NUnit.Framework;
using Parley.Providers;
using Parley.Session;
using Parley.Tests.Session.Support;

namespace Parley.Tests.Session
{
    /// <summary>
    /// <see cref="VoiceSession.AddContextAsync"/> on the session's loop against a scripted provider: no reply asked,
    /// held while a reply that context would cut is generated, held while reconnecting and replayed exactly once,
    /// always in the history.
    /// </summary>
    public class VoiceSessionContextTests
    {
        static ContextDelivery Done(System.Threading.Tasks.Task<ContextDelivery> t)
        {
            Assert.That(t.Wait(TimeSpan.FromSeconds(10)), Is.True);
            return t.Result;
        }

        [Test]
        public void Context_goes_to_the_provider_asks_for_no_reply_and_enters_the_history()
        {
            using (var f = new SessionFixture())
            {
                var s = f.Start();
                Assert.That(Done(s.AddContextAsync("The player holds a lantern.")), Is.EqualTo(ContextDelivery.Sent));
                var calls = f.Provider.CallsSnapshot();
                Assert.That(calls.Count(c => c == "context:The player holds a lantern."), Is.EqualTo(1));
                Assert.That(calls.Any(c => c.StartsWith("text:", StringComparison.Ordinal) || c == "end_turn"), Is.False, "nothing that asks for a reply");
                Assert.That(s.State, Is.EqualTo(SessionState.Listening));
                Assert.That(s.AwaitingAgent, Is.False);
                var h = s.History().Single();
                Assert.That(h.Role, Is.EqualTo(HistoryRole.System));
                Assert.That(h.Text, Is.EqualTo("The player holds a lantern."));
                Assert.That(f.Of<TurnCompleted>(), Is.Empty);
            }
        }

        [Test]
        public void Where_context_would_cut_the_reply_it_waits_until_the_reply_is_generated()
        {
            using (var f = new SessionFixture())
            {
                f.Server.Capabilities.ContextInterruptsReply = true;
                var s = f.Start();
                var p = f.Provider;
                p.Raise(new ResponseStarted { ResponseId = "r1" });
                p.Audio("a1", SessionFixture.Speech("npc-price"));
                Assert.That(Done(s.AddContextAsync("It is raining.")), Is.EqualTo(ContextDelivery.Queued));
                s.Tick();
                Assert.That(p.CallsSnapshot().Any(c => c.StartsWith("context:", StringComparison.Ordinal)), Is.False, "not while the model generates");
                p.Raise(new ResponseDone { ResponseId = "r1" });
                s.Tick();
                Assert.That(p.CallsSnapshot().Count(c => c == "context:It is raining."), Is.EqualTo(1), "sent once the reply is generated (it may still be playing)");
                Assert.That(f.Of<Interrupted>(), Is.Empty);
            }
        }

        [Test]
        public void Context_while_reconnecting_reaches_the_fresh_connection_once_through_its_history()
        {
            using (var f = new SessionFixture())
            {
                var s = f.Start();
                Assert.That(Done(s.AddContextAsync("The gate is open.")), Is.EqualTo(ContextDelivery.Sent));
                f.Server.ConnectGate = new System.Threading.Tasks.TaskCompletionSource<bool>();
                f.Provider.Drop();
                Assert.That(s.State, Is.EqualTo(SessionState.Reconnecting));
                Assert.That(Done(s.AddContextAsync("A storm is coming.")), Is.EqualTo(ContextDelivery.Queued));
                f.Server.ConnectGate.SetResult(true);
                Assert.That(f.Server.WaitFor(() => f.Server.ConnectionCount == 2), Is.True);
                Assert.That(s.WaitForReconnectAsync().Wait(TimeSpan.FromSeconds(10)), Is.True);
                s.Tick();
                var fresh = f.Provider;
                var seeded = fresh.Config.History.Where(h => h.Role == HistoryRole.System).Select(h => h.Text).ToList();
                var sent = fresh.CallsSnapshot().Where(c => c.StartsWith("context:", StringComparison.Ordinal)).Select(c => c.Substring(8)).ToList();
                Assert.That(seeded.Concat(sent), Is.EquivalentTo(new[] { "The gate is open.", "A storm is coming." }), "each note exactly once on the new connection");
                Assert.That(seeded, Does.Contain("The gate is open."));
                Assert.That(s.History().Where(h => h.Role == HistoryRole.System).Select(h => h.Text), Is.EqualTo(new[] { "The gate is open.", "A storm is coming." }));
            }
        }

        [Test]
        public void Empty_context_and_a_closed_session_are_refused()
        {
            using (var f = new SessionFixture())
            {
                var s = f.Start();
                Assert.Throws<ArgumentException>(() => s.AddContextAsync("  "));
                s.CloseAsync(CancellationToken.None).Wait(TimeSpan.FromSeconds(10));
                Assert.That(s.State, Is.EqualTo(SessionState.Closed));
                Assert.Throws<InvalidOperationException>(() => s.AddContextAsync("Too late."));
            }
        }
    }
}
