using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Providers.Gemini;
using Parley.Servers.Gemini;
using Parley.Session;
using Parley.Session.Audio;

namespace Parley.Tests.HostOnly.Session
{
    /// <summary>
    /// Soak (issue 10, item 7): an accelerated 60-minute conversation over a real loopback Gemini server with a
    /// goAway or a dropped socket every 13 replies (about every 2.6 minutes). The session clock is simulated
    /// (40 ms frames); the network is real. Measures the managed heap after a full GC every 5 simulated minutes
    /// and the bytes allocated per audio frame on the host thread. Figures in BENCHMARKS.md.
    /// </summary>
    public class SessionSoakTests
    {
        const int FrameMs = 40;
        const int Turns = 300;                 // 300 × 12 s = 60 minutes
        const int TurnMs = 12000;
        const int MicMs = 2000;                // the player speaks 2 s of each turn
        const int TurnsPerConnection = 13;       // 23 faults in 300 turns, the last before the last turn
        const int ReplySamples = 24000;        // 1 s replies
        /// <summary>Allowed growth of the heap after a full GC between the 5-minute marks (after the first).</summary>
        const long HeapBoundBytes = 1024 * 1024;
        static readonly TimeSpan Hold = TimeSpan.FromSeconds(30);

        [Test]
        public void Sixty_minutes_with_a_drop_or_goAway_every_13_replies_keeps_the_heap_flat_and_audio_frames_allocation_free()
        {
            var server = GeminiLiveServer.StartAsync().GetAwaiter().GetResult();
            var wall = Stopwatch.StartNew();
            try
            {
                long serverAudioFrames = 0;
                server.RecordFrames = false;
                server.Script = GeminiScenarios.Soak(TurnsPerConnection, ReplySamples, n => Interlocked.Add(ref serverAudioFrames, n));
                var clock = new ManualClock();
                var options = new VoiceSessionOptions { Loop = SessionLoop.Inline, RandomSeed = 5 };
                var speaker = new PlayoutSpeaker(24000, 24000, 24 * FrameMs);
                long playbackDone = 0, firstAudio = 0, errors = 0, closed = 0, reconnecting = 0;
                var played = new List<int>();
                Func<IVoiceProvider> factory = () => new GeminiLiveProvider(new StaticCredential(server.ExpectedKey), new GeminiLiveOptions { Host = server.Host });
                using (var s = new VoiceSession(factory, options, new InlineDispatcher(), speaker, null, clock))
                {
                    var recent = new Queue<string>();
                    s.EventRaised += e =>
                    {
                        lock (recent)
                        {
                            recent.Enqueue(e.Name + (e is StateChanged sc ? ":" + sc.To : e is Connected cn ? ":" + server.Connections : e is SessionErrorEvent er ? ":" + er.Code + "(" + er.Message + ")" : e is Interrupted it ? ":" + it.Source : ""));
                            while (recent.Count > 30) recent.Dequeue();
                        }
                        switch (e)
                        {
                            case AgentPlaybackDone d: Interlocked.Increment(ref playbackDone); lock (played) played.Add(d.PlayedMs); break;
                            case AgentFirstAudio _: Interlocked.Increment(ref firstAudio); break;
                            case SessionErrorEvent _: Interlocked.Increment(ref errors); break;
                            case ReconnectingEvent _: Interlocked.Increment(ref reconnecting); break;
                            case Closed _: Interlocked.Increment(ref closed); break;
                        }
                    };
                    Assert.That(s.StartAsync(CancellationToken.None).Wait(Hold), Is.True);
                    var mic = new short[16 * FrameMs];
                    for (var i = 0; i < mic.Length; i++) mic[i] = (short)(3000 * Math.Sin(2 * Math.PI * 200 * i / 16000.0));
                    var render = new float[24 * FrameMs];
                    long micFrames = 0, allocatedInRender = 0, allocatedInSend = 0, steadyFrames = 0;
                    var heap = new List<long>();

                    void Frame(bool speak)
                    {
                        if (speak)
                        {
                            var before = GC.GetAllocatedBytesForCurrentThread();
                            s.SendAudio(mic);
                            var mid = GC.GetAllocatedBytesForCurrentThread();
                            speaker.Render(render, 1);
                            var after = GC.GetAllocatedBytesForCurrentThread();
                            micFrames++;
                            if (clock.NowMs > 5 * 60000) { allocatedInRender += after - mid; allocatedInSend += mid - before; steadyFrames++; }
                        }
                        else speaker.Render(render, 1);
                        clock.Advance(FrameMs);
                        s.Tick();
                    }

                    void HoldUntil(Func<bool> condition, string what)
                    {
                        var deadline = DateTime.UtcNow + Hold;
                        while (!condition())
                        {
                            if (DateTime.UtcNow > deadline)
                                Assert.Fail("timed out waiting for " + what + " at " + clock.NowMs / 60000 + " min; state " + s.State
                                    + ", last events: " + string.Join(" ", recent) + "; server: " + string.Join(" | ", server.Problems.Concat(server.Endings)));
                            Frame(false); // simulated time runs on (back-off delays elapse) while the network works
                            Thread.Sleep(1);
                        }
                    }

                    for (var turn = 0; turn < Turns; turn++)
                    {
                        var turnStart = clock.NowMs;
                        HoldUntil(() => s.State == SessionState.Listening, "a connection");
                        for (var t = 0; t < MicMs; t += FrameMs) Frame(true);
                        // The player's audio goes out before the question (audio and text travel on separate lanes).
                        // The server's fault after every 13th reply (goAway, or a drop when the player next speaks) has
                        // been handled by now: the question goes to the connection that will answer it.
                        var connection = 1 + turn / TurnsPerConnection;
                        HoldUntil(() => server.Connections == connection && s.PendingInputSamples == 0 && s.State == SessionState.Listening, "connection " + connection);
                        var firstBefore = Interlocked.Read(ref firstAudio);
                        var doneBefore = Interlocked.Read(ref playbackDone);
                        Assert.That(s.SendTextAsync("question " + turn, CancellationToken.None).Wait(Hold), Is.True);
                        HoldUntil(() => Interlocked.Read(ref firstAudio) > firstBefore, "reply " + turn);
                        HoldUntil(() => Interlocked.Read(ref playbackDone) > doneBefore, "playback " + turn);
                        while (clock.NowMs < turnStart + TurnMs) Frame(false);
                        if ((turn + 1) % (5 * 60000 / TurnMs) == 0)
                        {
                            GC.Collect();
                            GC.WaitForPendingFinalizers();
                            GC.Collect();
                            heap.Add(GC.GetTotalMemory(true));
                        }
                        Assert.That(s.TrackedItems, Is.LessThanOrEqualTo(32));
                    }
                    var minutes = clock.NowMs / 60000;
                    var steady = heap.Skip(1).ToList();
                    // The largest rise from one mark to any later one: the process heap also holds what earlier tests left,
                    // which may be freed meanwhile (a fall), so max − min would blame the session for others' garbage.
                    long growth = 0;
                    for (var i = 0; i < steady.Count; i++)
                        for (var j = i + 1; j < steady.Count; j++) growth = Math.Max(growth, steady[j] - steady[i]);
                    TestContext.Progress.WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture,
                        "soak: {0:0.0} simulated min in {1:0.0} s wall, {2} connections, {3} reconnects, heap after full GC at 5-min marks (KB): {4}; largest rise after the first mark {5:0.0} KB; over {7} steady audio frames {6} B allocated by the speaker render and {8} B by SendAudio",
                        minutes, wall.Elapsed.TotalSeconds, server.Connections, s.Metrics.Reconnects,
                        string.Join(" ", heap.Select(h => (h / 1024).ToString())), growth / 1024.0, allocatedInRender, steadyFrames, allocatedInSend));

                    Assert.That(minutes, Is.GreaterThanOrEqualTo(60));
                    Assert.That(Interlocked.Read(ref playbackDone), Is.EqualTo(Turns));
                    lock (played) Assert.That(played, Is.All.EqualTo(ReplySamples / 24), "every reply heard whole");
                    var causes = (Turns - 1) / TurnsPerConnection;
                    Assert.That(s.Metrics.Reconnects, Is.EqualTo(causes), "one reconnect per drop or goAway");
                    Assert.That(Interlocked.Read(ref reconnecting), Is.EqualTo(causes), "no retry was needed");
                    Assert.That(server.Connections, Is.EqualTo(causes + 1));
                    Assert.That(Interlocked.Read(ref closed), Is.EqualTo(0));
                    Assert.That(s.Metrics.DroppedInputSamples, Is.EqualTo(0));
                    Assert.That(s.RefusedTransitions, Is.EqualTo(0));
                    Assert.That(s.History().Count, Is.LessThanOrEqualTo(options.MaxHistoryItems));
                    Assert.That(allocatedInRender, Is.EqualTo(0), "bytes allocated by the speaker render in steady state");
                    // SendAudio only copies into the backlog (Inline: Tick sends it, no thread-pool hop, whose queue growth or
                    // new worker would be charged to this thread; Background wakes its send thread through a WakeSignal).
                    Assert.That(allocatedInSend, Is.EqualTo(0), "bytes allocated by SendAudio in steady state");
                    Assert.That(growth, Is.LessThanOrEqualTo(HeapBoundBytes), "heap after a full GC stays flat");
                    // Every mic frame reached the server, in 40 ms Gemini messages or coalesced after an outage.
                    Assert.That(SpinWait.SpinUntil(() => Interlocked.Read(ref serverAudioFrames) > 0, Hold), Is.True);
                    Assert.That(s.PendingInputSamples, Is.LessThanOrEqualTo(mic.Length * 2), "the backlog drained");
                    Assert.That(errors, Is.EqualTo(causes / 2), "one transport error per drop (even connections); goAways are not errors");
                }
                Assert.That(server.Problems, Is.Empty);
            }
            finally
            {
                server.DisposeAsync().AsTask().Wait(Hold);
            }
        }
    }
}
