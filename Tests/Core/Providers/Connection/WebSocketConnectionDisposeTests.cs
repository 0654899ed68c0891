using System;
using System.Diagnostics;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.Connection;
using Parley.Transport;

namespace Parley.Tests.Core.Providers.Connection
{
    /// <summary>
    /// Dispose leaves no task of the connection behind: it waits (bounded) for the receive loop and the watchdog,
    /// names those still running after the bound, and does not wait for the task it is called from. The receive
    /// loop is held inside a message handler by a gate the test releases.
    /// </summary>
    public class WebSocketConnectionDisposeTests
    {
        static readonly TimeSpan T = TimeSpan.FromSeconds(10);

        sealed class HeldProbe : WebSocketConnection
        {
            public readonly ManualResetEventSlim Entered = new ManualResetEventSlim();
            public readonly ManualResetEventSlim Gate = new ManualResetEventSlim();
            public readonly ManualResetEventSlim Returned = new ManualResetEventSlim();
            public readonly ManualResetEventSlim Ended = new ManualResetEventSlim();
            public string[] SeenInside;
            public TimeSpan DisposeInside;

            public HeldProbe(ConnectionSettings s) : base(s) { }
            public Task ConnectAsync() => OpenAsync(CancellationToken.None);
            protected override Uri PrepareRequest(Credential credential, WebSocketConnectOptions options) => new Uri("wss://probe.example/v1");
            protected override Task OnOpenedAsync(CancellationToken ct) => Task.CompletedTask;

            protected override Task OnMessageAsync(ReadOnlySpan<byte> message, MessageKind kind)
            {
                var text = Encoding.UTF8.GetString(message);
                if (text == "ready") CompleteHandshake();
                if (text == "hold")
                {
                    Entered.Set();
                    Gate.Wait();
                    Returned.Set();
                }
                if (text == "dispose")
                {
                    // A listener that disposes its connection from the receive loop.
                    var took = Stopwatch.StartNew();
                    Dispose();
                    DisposeInside = took.Elapsed;
                    SeenInside = new System.Collections.Generic.List<string>(RunningTasks).ToArray();
                    Returned.Set();
                }
                return Task.CompletedTask;
            }

            protected override void OnEnded(Disconnected e)
            {
                Ended.Set();
            }

            protected override void OnError(ProviderError e) { }
        }

        ScriptedWebSocketTransport _wire;
        ConnectionSettings _settings;
        HeldProbe _probe;

        [SetUp]
        public void SetUp()
        {
            _wire = new ScriptedWebSocketTransport();
            // A bound far beyond what a loaded machine needs, so a test that proves the wait does not race it; the
            // test of the bound itself sets the default back.
            _settings = new ConnectionSettings { TransportFactory = () => _wire, Clock = new ManualConnectionClock(), StallTimeout = TimeSpan.FromSeconds(10), DisposeBound = T };
            _probe = new HeldProbe(_settings);
            _wire.EnqueueText("ready");
            Assert.That(_probe.ConnectAsync().Wait(T), Is.True);
            Assert.That(_probe.RunningTasks, Is.EquivalentTo(new[] { "The server receive loop", "The server stall watchdog" }));
        }

        [TearDown]
        public void TearDown()
        {
            _probe.Gate.Set();
            _probe.Dispose();
        }

        [Test]
        public void Dispose_returns_after_the_receive_loop_and_the_watchdog_have_ended()
        {
            _wire.EnqueueText("hold");
            Assert.That(_probe.Entered.Wait(T), Is.True);
            // The gate opens only once Dispose has sent the close, i.e. from inside Dispose: if Dispose did not wait,
            // it would return while the loop is still in the handler. A thread of its own, not the pool.
            new Thread(() =>
            {
                if (SpinWait.SpinUntil(() => _wire.ClientCloseStatus != 0, T)) _probe.Gate.Set();
            }) { IsBackground = true }.Start();
            _probe.Dispose();
            Assert.That(_wire.ClientCloseStatus, Is.EqualTo(1001), "the close went out first");
            Assert.That(_probe.Returned.IsSet, Is.True, "the handler the loop was in had returned");
            // The loop ended on its own thread. The watchdog's end is a thread-pool continuation, which a starved pool
            // (a loaded machine, a long test run) may hold past the bound: then it is named, and ends soon after.
            Assert.That(_probe.RunningTasks, Does.Not.Contain("The server receive loop"), "the loop has ended when Dispose returns");
            Assert.That(_probe.RunningTasks, Is.SubsetOf(new[] { "The server stall watchdog" }));
            Assert.That(SpinWait.SpinUntil(() => _probe.RunningTasks.Count == 0, T), Is.True, "the watchdog ends");
        }

        [Test]
        public void A_loop_that_does_not_end_within_the_bound_is_named()
        {
            _wire.EnqueueText("hold");
            Assert.That(_probe.Entered.Wait(T), Is.True);
            _settings.DisposeBound = TaskJoin.DisposeBound;
            var took = Stopwatch.StartNew();
            _probe.Dispose();
            Assert.That(took.Elapsed, Is.GreaterThanOrEqualTo(TaskJoin.DisposeBound - TimeSpan.FromMilliseconds(20)), "it waited the bound");
            // The held loop is named. The watchdog ends as soon as its continuation runs, which a loaded machine's
            // thread pool may delay past the bound, so it may or may not be listed; nothing else may be.
            Assert.That(_probe.RunningTasks, Does.Contain("The server receive loop"));
            Assert.That(_probe.RunningTasks, Is.SubsetOf(new[] { "The server receive loop", "The server stall watchdog" }));
            _probe.Gate.Set();
            Assert.That(SpinWait.SpinUntil(() => _probe.RunningTasks.Count == 0, T), Is.True, "the loop ends once released");
        }

        [Test]
        public void Dispose_from_the_receive_loop_does_not_wait_for_itself()
        {
            _wire.EnqueueText("dispose");
            Assert.That(_probe.Returned.Wait(T), Is.True);
            Assert.That(_probe.Ended.IsSet, Is.True);
            Assert.That(_probe.SeenInside, Is.EqualTo(new[] { "The server receive loop" }), "only the loop it ran on was still running");
            Assert.That(_probe.DisposeInside, Is.LessThan(_settings.DisposeBound), "it did not wait the bound for itself");
            Assert.That(SpinWait.SpinUntil(() => _probe.RunningTasks.Count == 0, T), Is.True);
        }
    }
}
