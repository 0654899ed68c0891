using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Session;
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
        /// Clicks at known input samples, every 0.37 s (no multiple of the 10 ms packet or the ~16.7 ms frame, so they
        /// land at every phase of both). Each click is found again in the PCM16 the provider receives; its latency is
        /// the virtual time of that send minus the moment the microphone heard the click (recording start + index /
        /// rate). Path: device packet (10 ms) → the next frame's read → 10 ms chunks → downmix, 48 → 24 kHz, PCM16 →
        /// the send lane. With the echo canceller (the agent's default) the path also holds its block latency
        /// (<c>EchoCanceller.LatencySamples</c>, 21.3 ms at 24 kHz), on top of the 40 ms target (the conflict is reported).
        /// </summary>
        [TestCase(SessionLoop.Background, false)]
        [TestCase(SessionLoop.Inline, false)]
        [TestCase(SessionLoop.Background, true)]
        public void Microphone_to_wire_is_at_most_40_ms(SessionLoop loop, bool echoCancellation)
        {
            var input = new float[Rate * 20];
            var clicks = new List<int>();
            for (var i = Rate; i < input.Length - Rate; i += (int)(0.37 * Rate))
            {
                input[i] = 0.9f;
                clicks.Add(i);
            }
            var arrivals = new List<double>();
            using (var scene = new SteadyConversationScene(1, input, loop, configure: (_, n) => n.Agent.EchoCancellation = echoCancellation))
            {
                var npc = scene.Npcs[0];
                var aec = npc.Agent.FrontEnd.EchoCanceller;
                var bound = 40 + (aec != null ? aec.LatencySamples * 1000.0 / aec.SampleRate : 0);
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
                TestContext.WriteLine($"{loop}, canceller {(aec != null ? "on" : "off")}: microphone → wire over {latencies.Count} clicks: min {latencies.Min():0.0} ms, mean {latencies.Average():0.0} ms, max {latencies.Max():0.0} ms (bound {bound:0.0})");
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

            void OnAudioFilterRead(float[] data, int channels)
            {
                if (!Armed) return;
                for (var i = 0; i < data.Length; i++)
                {
                    if (Math.Abs(data[i]) < 1e-3f) continue;
                    HeardAt = Player.Now + i / channels / (double)Rate;   // the block plays from the time it is rendered
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
            var latencies = Measure(burst: true, replies: 12);
            TestContext.WriteLine($"server audio → speaker (burst) over {latencies.Count} replies: min {latencies.Min():0.0} ms, mean {latencies.Average():0.0} ms, max {latencies.Max():0.0} ms");
            Assert.That(latencies.Min(), Is.GreaterThanOrEqualTo(0));
            Assert.That(latencies.Max(), Is.LessThanOrEqualTo(1024 * 1000.0 / Rate + 20));
        }

        /// <summary>
        /// A server that sends at exactly real time (20 ms chunks every 20 ms): playback waits for the playout's
        /// pre-roll (100 ms buffered, its jitter protection), so the first sound comes ~100 ms after the first chunk,
        /// and within one DSP buffer + 20 ms of the chunk that completed the pre-roll.
        /// </summary>
        [Test]
        public void Reply_at_real_time_pace_waits_for_the_preroll_and_no_longer()
        {
            var latencies = Measure(burst: false, replies: 6);
            TestContext.WriteLine($"server audio → speaker (paced 20 ms / 20 ms) over {latencies.Count} replies: min {latencies.Min():0.0} ms, mean {latencies.Average():0.0} ms, max {latencies.Max():0.0} ms after the first chunk");
            Assert.That(latencies.Min(), Is.GreaterThanOrEqualTo(80), "pre-roll: the first 100 ms arrive over 80 ms (5 chunks, the first at 0)");
            Assert.That(latencies.Max(), Is.LessThanOrEqualTo(80 + 1024 * 1000.0 / Rate + 20));
        }

        static List<double> Measure(bool burst, int replies)
        {
            var latencies = new List<double>();
            // Inline: the host's Interrupt below runs before Interrupt() returns. On the Background loop it ran
            // whenever that thread got the CPU; on a loaded machine that was after the next reply had arrived, and
            // it cut that reply (never heard). The measured path (audio lane → playout → DSP) is the same in both.
            using (var scene = new SteadyConversationScene(1, new float[Rate], SessionLoop.Inline))
            {
                var npc = scene.Npcs[0];
                npc.Feed.Streaming = false;
                var probe = npc.GameObject.AddComponent<OnsetProbe>();   // after the voice in the filter chain
                probe.Player = scene.Player;
                var reply = new short[24000];
                for (var i = 0; i < reply.Length; i++) reply[i] = (short)(12000 * Math.Sin(2 * Math.PI * 440 * i / 24000.0));
                var chunk = new short[480];
                var rng = new System.Random(5);
                for (var r = 0; r < replies; r++)
                {
                    // Let the previous reply play out and the voice fall silent, then start the next at a random moment.
                    npc.Agent.Interrupt();
                    scene.Player.RunFor(0.5);
                    var item = "reply-" + r;
                    var start = scene.Player.Now + 0.1 + rng.NextDouble() * 0.05;
                    var listener = npc.Provider.Listener;
                    if (burst)
                        scene.Player.At(start, () =>
                        {
                            probe.Armed = true;
                            for (var at = 0; at < reply.Length; at += chunk.Length) listener.OnAudio(item, new ReadOnlySpan<short>(reply, at, chunk.Length));
                        });
                    else
                        for (var c = 0; c < 25; c++)
                        {
                            var at = c * chunk.Length;
                            var first = c == 0;
                            scene.Player.At(start + c * 0.020, () =>
                            {
                                if (first) probe.Armed = true;
                                listener.OnAudio(item, new ReadOnlySpan<short>(reply, at, chunk.Length));
                            });
                        }
                    scene.Player.RunFor(0.8);
                    Assert.That(probe.HeardAt, Is.Not.NaN, "reply " + r + " was heard");
                    latencies.Add((probe.HeardAt - start) * 1000);
                    probe.HeardAt = double.NaN;
                }
            }
            return latencies;
        }
    }
}
