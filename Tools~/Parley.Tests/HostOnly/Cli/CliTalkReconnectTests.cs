using System.Linq;
using NUnit.Framework;
using Parley.Servers.OpenAI;

namespace Parley.Tests.HostOnly.Cli
{
    /// <summary>
    /// Issue 10's first failure at the level a user meets it: `parley talk` against an OpenAI server that resets
    /// the TCP connection mid-reply. The CLI must reconnect once, go on and exit 0 (it used to exit 1 seven
    /// milliseconds after the drop).
    /// </summary>
    public class CliTalkReconnectTests
    {
        [Test]
        public void Talk_survives_a_socket_reset_mid_reply_with_one_reconnect_and_exits_0()
        {
            using (var run = new TalkRun())
            {
                var options = new OpenAIRealtimeEmulatorOptions { Fault = EmulatorFault.DropMidReply, FaultLimit = 1, PlaybackSpeed = 1 };
                var r = run.AgainstOpenAIEmulator("talk", options, out var emulator);
                var key = options.ExpectedKey;
                Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
                Assert.That(r.Stderr, Does.Contain("reconnecting after"), "the drop is reported as recovered, not as the end");
                Assert.That(r.Stdout + r.Stderr, Does.Not.Contain("the session ended").And.Not.Contain(key));
                Assert.That(emulator.Connections, Is.EqualTo(2), "one reconnect");
                Assert.That(emulator.Violations, Is.Empty);

                Assert.That(run.Events("reconnecting").Count, Is.EqualTo(1));
                Assert.That(run.Events("reconnected").Count, Is.EqualTo(1));
                Assert.That(run.Events("closed").Select(e => (string)e["reason"] ?? (string)e["kind"]), Has.None.Contains("drop"));
                Assert.That((int)run.Metrics()["session"]["reconnects"], Is.EqualTo(1));
                // The reply that was cut is not left hanging: its turn ends, interrupted at what was heard.
                var names = string.Join(", ", run.Events().Select(e => (string)e["event"]));
                Assert.That(run.Events("interrupted").Count, Is.EqualTo(1), names);
                Assert.That(run.Events("turn.completed").Single().ToString(), Does.Contain("nterrupted"), names);
                Assert.That(run.Events("agent.audible"), Is.Not.Empty, "part of the reply was heard before the drop");
            }
        }
    }
}
