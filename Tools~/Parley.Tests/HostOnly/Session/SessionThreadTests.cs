using System.Threading;
using NUnit.Framework;
using Parley.Session;
using Parley.Tests.Components;

namespace Parley.Tests.Session
{
    /// <summary>In <see cref="SessionLoop.Background"/> the session and its send lane have threads of their own; they end with the session.</summary>
    public class SessionThreadTests
    {
        [Test]
        public void The_loop_and_send_lane_threads_end_when_the_session_is_disposed()
        {
            var provider = new StreamingProvider(null);
            var session = new VoiceSession(() => provider, new VoiceSessionOptions { Loop = SessionLoop.Background }, new InlineDispatcher(), null);
            session.StartAsync(CancellationToken.None).Wait(10000);
            session.SendAudio(new short[480]);
            Assert.That(SpinWait.SpinUntil(() => provider.SamplesReceived == 480, 10000), Is.True, "the send lane sent");
            Assert.That(session.ThreadsRunning, Is.True);
            session.Dispose();
            Assert.That(SpinWait.SpinUntil(() => !session.ThreadsRunning, 10000), Is.True, "no thread left behind");
        }
    }
}
