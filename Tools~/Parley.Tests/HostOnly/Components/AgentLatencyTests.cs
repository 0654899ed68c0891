using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Audio;
using Parley.Providers;
using Parley.Session;
using Parley.Session.Audio;
using Parley.Simulation;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>
    /// Issue 11 item 11, the latency half, measured on the simulated player's virtual clock (so the figures are the
    /// components' own, the same on any machine, and can be asserted; BenchmarkDotNet measures wall time, which is
    /// not what a latency target is about). The network is instant here: "to the wire" is the moment the provider
    /// is handed the audio, and the reply's arrival is when the provider hands the session its audio.
    /// </summary>
    public class AgentLatencyTests
    {
        const int Rate = 48000;

        /// <summary>
        /// 17917 input samples (373.3 ms) between clicks: 37.33 device packets (each click 157 samples further into its
        /// packet) and 22.4 frames, so they land at every phase of both. The spacing was 0.37 s until the 16 kHz cases
        /// came: exactly 37 packets, every click at a packet's first sample, which hid up to 10 ms of packet wait.
        /// </summary>
        const int ClickSpacing = 17917;

        /// <summary>
        /// Clicks at known input samples, <see cref="ClickSpacing"/> apart. Each click is found again in the PCM16 the
        /// provider receives; its latency is the virtual time of that send minus the moment the microphone heard the
        /// click (recording start + index / rate). Path: device packet (10 ms) → the next frame's read → downmix, 48 kHz →
        /// the provider's rate (24 kHz OpenAI; 16 kHz Gemini Live, Riva, MiniCPM-o), PCM16 → the send lane. With the
        /// echo canceller (the agent's default) the path also holds its latency (<c>EchoCanceller.LatencySamples</c>: block
        /// staging, 128 − 1 samples, plus the suppressor's 3 ms gain filter: 8.0 ms at 24 kHz, 10.9 ms at 16 kHz); the
        /// issue's 40 ms holds with it on or off.
        /// </summary>
        [TestCase(SessionLoop.Background, false, 24000)]
        [TestCase(SessionLoop.Inline, false, 24000)]
        [TestCase(SessionLoop.Background, true, 24000)]
        [TestCase(SessionLoop.Inline, true, 24000)]
        [TestCase(SessionLoop.Background, false, 16000)]
        [TestCase(SessionLoop.Inline, false, 16000)]
        [TestCase(SessionLoop.Background, true, 16000)]
        [TestCase(SessionLoop.Inline, true, 16000)]
        public void Microphone_to_wire_is_at_most_40_ms(SessionLoop loop, bool echoCancellation, int providerRate)
        {
            var input = new float[Rate * 20];
            var clicks = new List<int>();
            for (var i = Rate; i < input.Length - Rate; i += ClickSpacing)
            {
                input[i] = 0.9f;
                clicks.Add(i);
            }
            var arrivals = new List<double>();
            // The reply is silence: while the agent's voice can be heard (and 640 ms after), the front end's residual gate
            // takes what the echo guard has not let through down by 60 dB, clicks included. With the scene's sweep the
            // reply's last 200 ms could reach the first click, depending on when the session thread started it (a CI
            // run lost the first click that way: 48 of 49).
            using (var scene = new SteadyConversationScene(1, input, loop, reply: new short[24000], configure: (_, n) =>
            {
                n.Agent.EchoCancellation = echoCancellation;
                n.Agent.ProviderFactory = _ => new StreamingProvider(n.Feed, providerRate);   // 16 kHz: Gemini Live, Riva, MiniCPM-o
            }))
            {
                var npc = scene.Npcs[0];
                var aec = npc.Agent.FrontEnd.EchoCanceller;
                Assert.That(aec != null, Is.EqualTo(echoCancellation), "the canceller is in the path exactly when it is on");
                if (aec != null) Assert.That(aec.SampleRate, Is.EqualTo(providerRate), "the canceller runs at the provider's rate");
                // Issue 11's target, with the canceller on or off at both rates.
                const double bound = 40.0;
                npc.Mic.LoopInput = false;
                npc.Feed.Streaming = false;   // no reply needed here
                var last = -1.0;
                npc.Provider.Sent = pcm =>
                {
                    var s = pcm.Span;
                    for (var i = 0; i < s.Length; i++)
                    {
                        if (Math.Abs(s[i]) < 4000) continue;
                        var now = scene.Player.Now;   // stable: virtual time waits for the send lane (Settle)
                        if (now - last > 0.1) arrivals.Add(now);
                        last = now;
                    }
                };
                for (var f = 0; f < 60 * 21 && arrivals.Count < clicks.Count; f++)
                {
                    scene.Player.RunFrames(1);
                    scene.Settle();
                }
                Assert.That(npc.RecordingStart, Is.Not.NaN);
                Assert.That(arrivals.Count, Is.EqualTo(clicks.Count), "every click reached the provider once");
                var latencies = clicks.Select((c, k) => (arrivals[k] - (npc.RecordingStart + c / (double)Rate)) * 1000).ToList();
                TestContext.WriteLine($"{loop}, {providerRate} Hz, canceller {(aec != null ? "on" : "off")}: microphone → wire over {latencies.Count} clicks: min {latencies.Min():0.0} ms, mean {latencies.Average():0.0} ms, max {latencies.Max():0.0} ms (bound {bound:0.0})");
                Assert.That(latencies.Min(), Is.GreaterThan(0), "nothing arrives before it was heard");
                Assert.That(latencies.Max(), Is.LessThanOrEqualTo(bound));
            }
        }

        /// <summary>Notes, on the audio thread, the virtual time of the first block in which the voice sounds after being armed.</summary>
        public sealed class OnsetProbe : MonoBehaviour
        {
            public SimulatedPlayer Player;
            public volatile bool Armed;
            public double HeardAt = double.NaN;
            public double BlockAt = double.NaN;

            void OnAudioFilterRead(float[] data, int channels)
            {
                if (!Armed) return;
                for (var i = 0; i < data.Length; i++)
                {
                    if (Math.Abs(data[i]) < 1e-3f) continue;
                    HeardAt = Player.Now + i / channels / (double)Rate;   // the block plays from the time it is rendered
                    BlockAt = Player.Now;
                    Armed = false;
                    return;
                }
            }
        }

        /// <summary>
        /// Replies that arrive at arbitrary moments (between frames, at every phase of the DSP clock) as a burst of 1 s,
        /// the way realtime servers send faster than real time: the first audible sample at the listener, minus the
        /// arrival, is at most one DSP buffer (1024 frames, 21.3 ms at 48 kHz) + 20 ms. Unity's own output latency
        /// (DSP buffer × buffers, after the mix) comes on top in a real player and is what AgentVoice reports.
        /// </summary>
        [Test]
        public void Reply_audio_to_speaker_is_at_most_one_dsp_buffer_and_20_ms()
        {
            var latencies = Measure(burst: true, replies: 12).Select(r => r.LatencyMs).ToList();
            TestContext.WriteLine($"server audio → speaker (burst) over {latencies.Count} replies: min {latencies.Min():0.0} ms, mean {latencies.Average():0.0} ms, max {latencies.Max():0.0} ms");
            Assert.That(latencies.Min(), Is.GreaterThanOrEqualTo(0));
            Assert.That(latencies.Max(), Is.LessThanOrEqualTo(DspBufferMs + 20));
        }

        const double DspBufferMs = 1024 * 1000.0 / Rate;

        /// <summary>
        /// A server that sends at exactly real time (20 ms chunks every 20 ms) on a clean connection. The adaptive
        /// pre-roll starts once one render block (512 samples at 24 kHz) plus the 5 ms fade reserve (632 samples) is
        /// buffered, i.e. on the second chunk: the block that starts playback begins within one DSP buffer + 20 ms of the
        /// first chunk. A start before block + reserve (26.3 ms) used to run dry one block later (a faded underrun in about
        /// a third of the phases); the playout now stretches what it holds by a pitch period instead, so no reply underruns.
        /// </summary>
        /// Measured on the <c>Background</c> loop too (BENCHMARKS.md), but not asserted there: in about 1 run in 3 its block
        /// started 41.2 ms after the first chunk, 0.13 ms under the bound, for a reason not yet found; a test that close to its
        /// bound on a loaded machine would tell nothing.
        [TestCase(SessionLoop.Inline)]
        public void Reply_at_real_time_pace_plays_within_one_dsp_buffer_and_20_ms(SessionLoop loop)
        {
            var replies = Measure(burst: false, replies: 12, loop: loop);
            var latencies = replies.Select(r => r.LatencyMs).ToList();
            var blocks = replies.Select(r => r.BlockMs).ToList();
            TestContext.WriteLine($"{loop}: server audio → speaker (paced 20 ms / 20 ms) over {latencies.Count} replies: first sample above −60 dBFS min {latencies.Min():0.0} ms, mean {latencies.Average():0.0} ms, max {latencies.Max():0.0} ms after the first chunk; its block began {blocks.Min():0.0}–{blocks.Max():0.0} ms; resampler delay {ResamplerDelayMs:0.00} ms");
            TestContext.WriteLine(string.Join("\n", replies.Select((r, i) => $"  reply {i}: {r.LatencyMs:0.0} ms (block {r.BlockMs:0.0} ms), pre-roll {r.PrerollMs:0.0} ms, underruns {r.Underruns} (+{r.TailUnderruns} at the end), stretched +{r.ExpandedMs:0.0} / −{r.AcceleratedMs:0.0} ms")));
            Assert.That(blocks, Is.All.LessThanOrEqualTo(DspBufferMs + 20), "the block that starts playback: the target");
            // The first audible sample in that block comes out of the 24 → 48 kHz resampler's linear-phase filter, and the
            // 440 Hz test tone rises from 0 over a few samples.
            Assert.That(latencies, Is.All.LessThanOrEqualTo(DspBufferMs + 20 + ResamplerDelayMs + 0.5), "heard: the target plus the resampler's delay");
            Assert.That(latencies.Min(), Is.GreaterThanOrEqualTo(20), "one chunk (480 samples) is less than a block and the fade reserve (632)");
            Assert.That(replies.Sum(r => r.Underruns + r.TailUnderruns), Is.EqualTo(0), "no underrun at any phase: a short block is stretched");
            Assert.That(replies.Select(r => r.PrerollMs), Is.All.EqualTo(PlayoutSpeaker.MinPrerollMs).Within(1e-9), "nothing late, so the pre-roll never grows");
            Assert.That(replies.Select(r => r.ExpandedMs), Is.All.LessThanOrEqualTo(20), "at most a few pitch periods per 1 s reply");
        }

        static readonly double ResamplerDelayMs = new Resampler(24000, Rate).GroupDelayMs;

        /// <summary>
        /// A paced sender on a jittery connection: each 20 ms chunk is late by 0–60 ms (uniform, order kept). The playout
        /// measures each chunk's lateness on the audio thread's clock (a jitter estimate that persists across replies):
        /// within the first reply it already expands before the buffer is empty, and later replies start with a block,
        /// the reserve and the estimate buffered. The estimate is bounded by the jitter itself: at most its 60 ms (lateness
        /// beyond one block, the clock's grain, counts), and it must have learned most of it (the sender's expected
        /// largest lateness over 50 chunks, 60 × 50/51 ms, minus one 21.3 ms block, less a block of measurement grain).
        /// Before the estimate the same run underran twice (replies 0 and 9), with a pre-roll 20 → 52.7 → 39.4 ms.
        /// </summary>
        [Test]
        public void Jittery_paced_reply_is_stretched_across_gaps_and_learns_from_the_rest()
        {
            const double jitterMs = 60;
            var replies = Measure(burst: false, replies: 10, jitterMs: jitterMs);
            TestContext.WriteLine(string.Join("\n", replies.Select((r, i) => $"  reply {i}: {r.LatencyMs:0.0} ms, pre-roll {r.PrerollMs:0.0} ms, jitter {r.JitterMs:0.0} ms, underruns {r.Underruns}, stretched +{r.ExpandedMs:0.0} / −{r.AcceleratedMs:0.0} ms")));
            Assert.That(replies[0].JitterMs, Is.EqualTo(0), "no history before the first reply");
            Assert.That(replies.Skip(1).Select(r => r.JitterMs), Is.All.LessThanOrEqualTo(jitterMs), "never more than the connection's jitter");
            Assert.That(replies.Skip(1).Select(r => r.JitterMs), Is.All.GreaterThanOrEqualTo(jitterMs * 50 / 51 - 2 * DspBufferMs), "learned from the first reply, kept across replies");
            Assert.That(replies.Count(r => r.ExpandedMs > 0), Is.GreaterThanOrEqualTo(1), "gaps are stretched over");
            Assert.That(replies.Select(r => r.AcceleratedMs - r.ExpandedMs), Is.All.LessThanOrEqualTo(0.001), "never compressed beyond what was inserted");
            Assert.That(replies.Sum(r => r.Underruns), Is.EqualTo(0), "no underrun, the first reply included");
        }

        /// <summary>Samples the playout took in so far: played, still buffered, or dropped.</summary>
        static long Written(PlayoutBuffer buffer) => buffer.Rendered - buffer.Expanded + buffer.Accelerated + buffer.BufferedSamples + buffer.Dropped + buffer.Discarded;

        /// <summary>
        /// The Background loop's gate: a chunk handed to the session on the test's thread reaches the playout on the
        /// session's thread; virtual time waits (no frame runs) until it is there, as the Inline loop's synchronous
        /// hand-over would have it. Bounded in wall time only against a hang.
        /// </summary>
        static void AwaitPlayout(PlayoutBuffer buffer, long written)
        {
            var wall = System.Diagnostics.Stopwatch.StartNew();
            while (Written(buffer) < written)
            {
                if (wall.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("the session never handed the chunk to the playout");
                System.Threading.Thread.Yield();
            }
        }

        public struct Reply
        {
            public double LatencyMs;
            public long Underruns;   // during this reply
            public long TailUnderruns; // after its last chunk: the end (AgentAudioDone) reached the playout after the audio ran out
            public double PrerollMs; // at the start of this reply
            public double JitterMs;  // the playout's jitter estimate at the start of this reply
            public double BlockMs;   // start of the DSP block holding the first sample above -60 dBFS
            public double ExpandedMs, AcceleratedMs;   // time-stretch during this reply
        }

        static List<Reply> Measure(bool burst, int replies, double jitterMs = 0, SessionLoop loop = SessionLoop.Inline)
        {
            var results = new List<Reply>();
            // Inline: the host's Interrupt below runs before Interrupt() returns. On the Background loop it runs
            // whenever that thread gets the CPU; on a loaded machine that was after the next reply had arrived, and
            // it cut that reply (never heard): there the test waits (an explicit gate, bounded in wall time only
            // against a hang) until the session is back to Listening before the next reply is scheduled.
            using (var scene = new SteadyConversationScene(1, new float[Rate], loop))
            {
                var npc = scene.Npcs[0];
                npc.Feed.Streaming = false;
                var probe = npc.GameObject.AddComponent<OnsetProbe>();   // after the voice in the filter chain
                probe.Player = scene.Player;
                var reply = new short[24000];
                for (var i = 0; i < reply.Length; i++) reply[i] = (short)(12000 * Math.Sin(2 * Math.PI * 440 * i / 24000.0));
                var chunk = new short[480];
                var chunks = reply.Length / chunk.Length;
                var rng = new System.Random(5);
                for (var r = 0; r < replies; r++)
                {
                    // Let the previous reply play out and the voice fall silent, then start the next at a random moment.
                    npc.Agent.Interrupt();
                    scene.Player.RunFor(0.5);
                    var gate = System.Diagnostics.Stopwatch.StartNew();
                    while (npc.Agent.State != SessionState.Listening)
                    {
                        Assert.That(gate.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), "the interrupt was never processed: " + npc.Agent.State);
                        System.Threading.Thread.Yield();
                        if (npc.Agent.State != SessionState.Listening) scene.Player.RunFrames(1);
                    }
                    var buffer = npc.Agent.Voice.Speaker.Buffer;
                    var preroll = buffer.PrerollMs;
                    var jitter = buffer.JitterMs;
                    var item = "reply-" + r;
                    var start = scene.Player.Now + 0.1 + rng.NextDouble() * 0.05;
                    var listener = npc.Provider.Listener;
                    var last = 0.0;
                    if (burst)
                        scene.Player.At(start, () =>
                        {
                            probe.Armed = true;
                            var had = Written(buffer);
                            for (var at = 0; at < reply.Length; at += chunk.Length) listener.OnAudio(item, new ReadOnlySpan<short>(reply, at, chunk.Length));
                            if (loop == SessionLoop.Background) AwaitPlayout(buffer, had + reply.Length);
                        });
                    else
                        for (var c = 0; c < chunks; c++)
                        {
                            var at = c * chunk.Length;
                            var first = c == 0;
                            var end = c == chunks - 1;
                            last = Math.Max(last, start + c * 0.020 + rng.NextDouble() * jitterMs / 1000);
                            scene.Player.At(last, () =>
                            {
                                if (first) probe.Armed = true;
                                var had = Written(buffer);
                                listener.OnAudio(item, new ReadOnlySpan<short>(reply, at, chunk.Length));
                                if (loop == SessionLoop.Background) AwaitPlayout(buffer, had + chunk.Length);
                                if (end) listener.OnEvent(new AgentAudioDone { ItemId = item });   // the item plays out to a clean end
                            });
                        }
                    var before = buffer.Underruns;
                    var expanded = buffer.Expanded;
                    var accelerated = buffer.Accelerated;
                    scene.Player.RunFor(Math.Max(last, start) + 0.001 - scene.Player.Now);   // the last chunk is in; what follows is the tail
                    var during = buffer.Underruns - before;
                    scene.Player.RunFor(0.8);
                    Assert.That(probe.HeardAt, Is.Not.NaN, "reply " + r + " was heard");
                    var tail = buffer.Underruns - before - during;
                    results.Add(new Reply
                    {
                        LatencyMs = (probe.HeardAt - start) * 1000, BlockMs = (probe.BlockAt - start) * 1000, Underruns = during, TailUnderruns = tail, PrerollMs = preroll, JitterMs = jitter,
                        ExpandedMs = (buffer.Expanded - expanded) * 1000.0 / buffer.SampleRate, AcceleratedMs = (buffer.Accelerated - accelerated) * 1000.0 / buffer.SampleRate,
                    });
                    probe.HeardAt = double.NaN;
                }
            }
            return results;
        }
    }
}
