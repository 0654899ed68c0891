using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Simulation;
using Parley.Tests.Simulation;
using Parley.Unity.Voice;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>
    /// AgentVoice through output faults, measured on what the AudioListener heard: an underrun, an audio reset and an
    /// output rate change mid-reply. The reply is a slow ramp (a position you can read off its value, and its own
    /// sample-to-sample steps are ~1e-5, far below −40 dBFS), so any click, gap or lost block shows.
    /// </summary>
    public class AgentVoiceFaultTests : SimulationFixture
    {
        const double MinusFortyDbfs = 0.01;

        /// <summary>Channel 0 of every heard block with its time (the output rate may change on the way).</summary>
        sealed class Heard : IDisposable
        {
            readonly SimulatedPlayer _player;
            readonly List<float> _v = new List<float>();
            readonly List<double> _t = new List<double>();
            double _clock;
            public Heard(SimulatedPlayer player) { _player = player; player.Heard += OnHeard; }
            void OnHeard(float[] block, int channels, int rate)
            {
                lock (_v)
                    for (var f = 0; f < block.Length / channels; f++) { _v.Add(block[f * channels]); _t.Add(_clock); _clock += 1.0 / rate; }
            }
            public int Count { get { lock (_v) return _v.Count; } }
            public float[] V { get { lock (_v) return _v.ToArray(); } }
            public double[] T { get { lock (_v) return _t.ToArray(); } }
            public void Dispose() => _player.Heard -= OnHeard;
        }

        static short[] Ramp(double seconds, double from, double to)
        {
            var n = (int)(seconds * 24000);
            var x = new short[n];
            for (var i = 0; i < n; i++) x[i] = (short)Math.Round((from + (to - from) * i / n) * 32767);
            return x;
        }

        static double Db(double v) => 20 * Math.Log10(Math.Max(v, 1e-12));

        /// <summary>Largest |x[i] − x[i−1]| over [from, to).</summary>
        static double MaxStep(float[] x, int from = 1, int to = int.MaxValue)
        {
            double m = 0;
            for (var i = Math.Max(1, from); i < Math.Min(x.Length, to); i++) m = Math.Max(m, Math.Abs(x[i] - x[i - 1]));
            return m;
        }

        AgentVoice Voice()
        {
            ObjectWithListener();
            var voice = new GameObject("NPC").AddComponent<AgentVoice>();
            voice.Attach(24000);
            return voice;
        }

        [Test]
        public void An_underrun_fades_out_and_back_in_with_no_step_above_minus_40_dBFS()
        {
            StartPlayer(new SimulatedPlayerOptions { Seed = 3 });
            var voice = Voice();
            using (var heard = new Heard(Player))
            {
                voice.Write("reply", Ramp(0.5, 0, 0.5));   // the network stalls here, at half scale
                Player.RunFor(1.0);
                voice.Write("reply", Ramp(0.5, 0.5, 0));   // and catches up
                voice.EndItem("reply");
                Player.RunFor(1.0);
                var v = heard.V;

                Assert.That(voice.Underruns, Is.EqualTo(1));
                var step = MaxStep(v);
                TestContext.WriteLine($"largest step {Db(step):0.0} dBFS over {v.Length} samples");
                Assert.That(step, Is.LessThanOrEqualTo(MinusFortyDbfs), "no click: the cut at half scale would be a −6 dBFS step");
                // The stall is a real gap, entered and left by fades of the playout's 5 ms.
                var silent = Array.FindIndex(v, 24000 / 2, x => Math.Abs(x) < 1e-5f);   // from mid-ramp: the first silence
                var peak = silent - 1;
                while (peak > 1 && v[peak - 1] > v[peak]) peak--;   // back to where the rising ramp turned into the fade
                var back = Array.FindIndex(v, silent, x => x > 1e-4f);
                var fadeOutMs = (silent - peak) / 48.0;
                TestContext.WriteLine($"fade-out {fadeOutMs:0.0} ms, gap {(back - silent) / 48.0:0} ms");
                Assert.That(fadeOutMs, Is.InRange(4.0, 6.0));
                Assert.That((back - silent) / 48.0, Is.GreaterThan(300), "silence while the playout was dry");
                // Nothing was dropped: every written sample was heard (the held-back tail under the fade included), plus
                // what the time-stretch inserted while the buffer ran short, before it ran dry.
                var audibleMs = v.Count(x => x > 1e-4f) / 48.0;
                var expandedMs = voice.Speaker.Buffer.Expanded * 1000.0 / 24000;
                TestContext.WriteLine($"audible {audibleMs:0.0} ms, of which stretched {expandedMs:0.0} ms");
                Assert.That(voice.Speaker.PlayedMs("reply"), Is.EqualTo(1000), "the played cursor: every source sample, once");
                Assert.That(audibleMs, Is.EqualTo(1000 + expandedMs).Within(5));
            }
        }

        /// <summary>
        /// Measures the fault at heard sample <paramref name="at"/>: the first sample after it from which the output is
        /// back on the ramp it was on (slope <paramref name="slopePerSecond"/>) within 1 % of its level, and the largest
        /// step after the restart's first sample.
        /// </summary>
        static (double costMs, double step) Fault(float[] v, double[] t, int at, double slopePerSecond)
        {
            var before = v[at - 1];
            var last = at;
            for (var i = at; i < Math.Min(v.Length, at + 48000 / 4); i++)
            {
                var expected = before + slopePerSecond * (t[i] - t[at - 1]);
                if (Math.Abs(v[i] - expected) > 0.01 * expected) last = i;
            }
            return ((t[last] - t[at]) * 1000, MaxStep(v, at + 1, at + 48000 / 4));
        }

        /// <summary>A 2 s reply (a ramp up to half scale and back) of which 0.6 s has played; <paramref name="at"/>: the heard sample now.</summary>
        AgentVoice PlayingReply(out Heard heard, out int at)
        {
            StartPlayer(new SimulatedPlayerOptions { Seed = 3 });
            var voice = Voice();
            heard = new Heard(Player);
            voice.Write("reply", Ramp(1.0, 0, 0.5));
            voice.Write("reply", Ramp(1.0, 0.5, 0));
            voice.EndItem("reply");
            Player.RunFor(0.6);
            at = heard.Count;
            return voice;
        }

        [Test]
        public void An_audio_reset_mid_reply_costs_one_fade_of_at_most_20_ms_and_loses_nothing()
        {
            var voice = PlayingReply(out var heard, out var at);
            using (heard)
            {
                Assert.That(AudioSettings.Reset(AudioSettings.GetConfiguration()), Is.True);   // Unity stops every source
                Player.RunFor(2.0);

                Assert.That(voice.Restarts, Is.EqualTo(1));
                var (cost, step) = Fault(heard.V, heard.T, at, 0.5);
                TestContext.WriteLine($"reset: back on the ramp after {cost:0.0} ms; largest step after the restart {Db(step):0.0} dBFS");
                Assert.That(cost, Is.LessThanOrEqualTo(20), "one fade, and the ramp goes on where it was: no block lost");
                Assert.That(step, Is.LessThanOrEqualTo(MinusFortyDbfs));
                Assert.That(heard.V.Count(x => x > 1e-4f) / 48.0, Is.EqualTo(2000).Within(5), "the whole reply");
            }
        }

        [Test]
        public void An_output_rate_change_mid_reply_plays_the_rest_of_the_reply_at_the_new_rate()
        {
            var voice = PlayingReply(out var heard, out var at);
            using (heard)
            {
                var playedBefore = voice.PlayedMs("reply");
                Player.ChangeOutputDevice(44100);   // headphones at 44.1 kHz plugged in mid-reply
                Player.RunFor(2.0);

                Assert.That(AudioSettings.outputSampleRate, Is.EqualTo(44100));
                Assert.That(voice.Restarts, Is.EqualTo(1));
                var v = heard.V;
                var t = heard.T;
                var (cost, step) = Fault(v, t, at, 0.5);
                var audibleMs = 0.0;
                for (var i = 0; i < v.Length; i++)
                    if (v[i] > 1e-4f) audibleMs += 1000 * ((i + 1 < t.Length ? t[i + 1] : t[i] + 1 / 44100.0) - t[i]);
                TestContext.WriteLine($"rate change after {playedBefore} ms played: {audibleMs:0.0} ms of the 2000 ms reply heard; back on the ramp after {cost:0.0} ms; largest step after the restart {Db(step):0.0} dBFS");
                Assert.That(audibleMs, Is.EqualTo(2000).Within(5), "the rest of the reply was not dropped");
                Assert.That(cost, Is.LessThanOrEqualTo(20));
                Assert.That(step, Is.LessThanOrEqualTo(MinusFortyDbfs));
                Assert.That(voice.PlayedMs("reply"), Is.EqualTo(2000 - voice.OutputLatencyMs).Within(25), "the played cursor went on across the change");
            }
        }
    }
}
