using System;
using System.Linq;
using System.Threading;
using NUnit.Framework;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.OpenAI;
using Parley.Servers.OpenAI;
using Parley.Session;
using Parley.Tests.Session.Support;

namespace Parley.Tests.HostOnly.Session
{
    /// <summary>
    /// Disposing a session with a tool handler in flight, over the OpenAI emulator on loopback: the handler is held
    /// by a gate the test releases. A handler that honours its cancellation has ended when Dispose returns; one that
    /// ignores it is waited for up to the bound and then named in <see cref="VoiceSession.LeftRunning"/>; its result,
    /// coming after the dispose, reaches neither the host nor the server, and nothing throws.
    /// </summary>
    public class SessionDisposeLoopbackTests
    {
        static readonly TimeSpan T = SessionEventRecorder.T;
        const string Key = "sk-test-emulator-key";
        const string Schema = "{\"type\":\"object\",\"properties\":{\"item\":{\"type\":\"string\"}}}";

        sealed class SlowTool
        {
            public readonly ManualResetEventSlim Entered = new ManualResetEventSlim();
            public readonly ManualResetEventSlim Gate = new ManualResetEventSlim();
            public readonly ManualResetEventSlim Ended = new ManualResetEventSlim();
            public Exception Thrown;
            public bool CancelledSeen;
        }

        /// <summary>
        /// The tool handlers among what Dispose left running. The socket's receive loop and watchdog end in thread-pool
        /// continuations, which a starved pool (a loaded CI run) can hold past the bound; they are named then too.
        /// </summary>
        static System.Collections.Generic.List<string> ToolHandlers(VoiceSession s) =>
            System.Linq.Enumerable.ToList(System.Linq.Enumerable.Where(s.LeftRunning, n => n.StartsWith("tool handler", StringComparison.Ordinal)));

        [TestCase(true)]
        [TestCase(false)]
        public void A_tool_handler_in_flight_at_dispose_is_joined_or_named_and_its_late_result_is_dropped(bool honoursCancellation)
        {
            var emulator = OpenAIRealtimeEmulator.StartAsync(new OpenAIRealtimeEmulatorOptions { ExpectedKey = Key, ToolCallOnTurn = 1 }).WaitAsync(T).GetAwaiter().GetResult();
            var tool = new SlowTool();
            var options = new VoiceSessionOptions { Loop = SessionLoop.Background };
            options.Tools.DefaultTimeout = TimeSpan.FromMinutes(5); // only the dispose ends the call
            options.Tools.Register("look_up_price", "Looks up a price.", Schema, async (args, ct) =>
            {
                tool.Entered.Set();
                try
                {
                    if (honoursCancellation) tool.Gate.Wait(ct);
                    else tool.Gate.Wait();
                    // What a handler does after its wait: it uses its token (the session is gone by now).
                    tool.CancelledSeen = ct.IsCancellationRequested;
                    using (ct.Register(() => { })) { }
                    await System.Threading.Tasks.Task.Yield();
                    return "{\"price\":12}";
                }
                catch (OperationCanceledException) { throw; }
                catch (Exception e) { tool.Thrown = e; throw; }
                finally { tool.Ended.Set(); }
            }).RunOnMainThread = false; // off the main thread: the handlers Dispose joins
            var rec = new SessionEventRecorder();
            var session = new VoiceSession(() => new OpenAIRealtimeProvider(new OpenAIRealtimeOptions { Credentials = new StaticCredential(Key), BaseUrl = emulator.Uri.ToString() }),
                options, new InlineDispatcher(), new FakeSpeaker(24000));
            try
            {
                session.EventRaised += rec.Add;
                Assert.That(session.StartAsync(CancellationToken.None).Wait(T), Is.True);
                session.SendTextAsync("How much is the lantern?", CancellationToken.None).Wait(T);
                Assert.That(tool.Entered.Wait(T), Is.True, "the handler never ran: " + rec.Names());

                session.Dispose();

                if (honoursCancellation)
                {
                    Assert.That(tool.Ended.IsSet, Is.True, "Dispose returned before the handler ended");
                    Assert.That(ToolHandlers(session), Is.Empty);
                }
                else
                {
                    Assert.That(tool.Ended.IsSet, Is.False, "held by the gate");
                    Assert.That(ToolHandlers(session), Has.Count.EqualTo(1));
                    Assert.That(ToolHandlers(session)[0], Does.StartWith("tool handler 'look_up_price' (call "));
                }
                var eventsAtDispose = rec.Names();
                tool.Gate.Set();
                Assert.That(tool.Ended.Wait(T), Is.True);
                Assert.That(emulator.WaitConnectionEnds(1, T), Is.True, "the server saw the socket end");

                Assert.That(tool.Thrown, Is.Null, "the handler's own calls after the dispose do not throw");
                Assert.That(tool.CancelledSeen, Is.EqualTo(!honoursCancellation), "its token said the call was cancelled");
                session.Tick();
                Assert.That(rec.Names(), Is.EqualTo(eventsAtDispose), "no event after the dispose");
                Assert.That(rec.Of<ToolCallFinished>(), Is.Empty);
                Assert.That(emulator.ClientEvents.Where(e => e.Contains("function_call_output")), Is.Empty, "the result never reached the server");
                Assert.That(emulator.ConnectionEnds, Is.EqualTo(new[] { "close 1001" }));
            }
            finally
            {
                tool.Gate.Set();
                session.Dispose();
                emulator.DisposeAsync().AsTask().Wait(T);
            }
        }
    }
}
