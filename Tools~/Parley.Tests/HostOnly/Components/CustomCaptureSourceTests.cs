using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using NUnit.Framework;
using Parley.Audio;
using Parley.Session;
using Parley.Simulation;
using Parley.Unity.Agent;
using Parley.Unity.Capture;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>
    /// A platform capture (here a script) plugged into <see cref="VoiceAgent"/> through <see cref="ICaptureSource"/>:
    /// the agent streams what the source delivers to the provider, and Unity's <c>Microphone</c> is never used (the
    /// simulated player has no microphone device at all, so any Microphone call would find none).
    /// </summary>
    public class CustomCaptureSourceTests
    {
        const int Rate = 48000;

        /// <summary>A capture source with no device behind it: delivers <see cref="Signal"/> at 48 kHz mono, paced by the frame clock.</summary>
        public sealed class ScriptedCaptureSource : MonoBehaviour, ICaptureSource
        {
            readonly List<ICaptureSink> _sinks = new List<ICaptureSink>();
            public float[] Signal;
            public int Delivered;
            double _start;

            public AudioFormat Format => new AudioFormat(Rate, 1);
            public CaptureStatus Status { get; private set; } = CaptureStatus.Stopped;
            public event Action<CaptureStatus, string> StatusChanged;
            public void AddSink(ICaptureSink sink) { if (!_sinks.Contains(sink)) _sinks.Add(sink); }
            public void RemoveSink(ICaptureSink sink) => _sinks.Remove(sink);

            void OnEnable()
            {
                _start = Time.realtimeSinceStartupAsDouble;
                Status = CaptureStatus.Capturing;
                StatusChanged?.Invoke(Status, "scripted");
            }

            void Update()
            {
                var due = Math.Min(Signal.Length, (int)((Time.realtimeSinceStartupAsDouble - _start) * Rate));
                if (due <= Delivered) return;
                var span = new ReadOnlySpan<float>(Signal, Delivered, due - Delivered);
                Delivered = due;
                foreach (var sink in _sinks) sink.OnCaptured(span, Format);
            }
        }

        /// <summary>Band-limited noise (40 sines, 300–3000 Hz, random phases): no period, so one lag fits.</summary>
        static float[] Speechlike(int frames, int seed)
        {
            var rng = new System.Random(seed);
            var x = new float[frames];
            for (var k = 0; k < 40; k++)
            {
                var f = 300 + rng.NextDouble() * 2700;
                var p = rng.NextDouble() * 2 * Math.PI;
                for (var i = 0; i < frames; i++) x[i] += (float)(0.01 * Math.Sin(2 * Math.PI * f * i / Rate + p));
            }
            return x;
        }

        [Test]
        public void An_agent_streams_what_a_custom_capture_source_delivers_and_never_touches_the_Microphone()
        {
            using (var player = new SimulatedPlayer(new SimulatedPlayerOptions { Seed = 3 }))
            {
                new GameObject("Listener").AddComponent<AudioListener>();
                var signal = Speechlike(Rate * 4, 11);
                var go = new GameObject("NPC");
                go.SetActive(false);
                var source = go.AddComponent<ScriptedCaptureSource>();
                source.Signal = signal;
                var agent = go.AddComponent<VoiceAgent>();
                agent.CaptureSource = source;
                agent.Loop = SessionLoop.Inline;
                agent.IdleTimeoutSeconds = 0;
                agent.MaxCostUsd = 0;
                agent.EchoCancellation = false;   // no far end here; the provider gets the source's audio, resampled
                var received = new List<short>();
                StreamingProvider provider = null;
                agent.ProviderFactory = _ =>
                {
                    var p = new StreamingProvider(null, 24000);
                    p.Sent = pcm => { lock (received) foreach (var v in pcm.Span) received.Add(v); };
                    return provider = p;
                };
                go.SetActive(true);
                agent.StartConversation();

                // Until the source has delivered all of its signal and the send lane has passed it all on.
                var wall = Stopwatch.StartNew();
                while (source.Delivered < signal.Length || agent.Session == null || agent.Session.PendingInputSamples > 0 || provider?.Sending == true)
                {
                    Assert.That(wall.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)), $"stuck: state {agent.State}, delivered {source.Delivered}, pending {agent.Session?.PendingInputSamples}");
                    player.RunFrames(1);
                    if (player.Now > 4.5) Thread.Yield();
                }

                Assert.That(agent.Capture, Is.SameAs(source), "the agent took the plugged source");
                Assert.That(go.GetComponent<MicrophoneCapture>(), Is.Null, "no MicrophoneCapture was added");
                Assert.That(Microphone.devices, Is.Empty, "the player has no microphone: Unity's Microphone could not have delivered anything");
                Assert.That(agent.FramesSubmitted, Is.GreaterThan(Rate * 3), "the agent took the source's frames");

                short[] got;
                lock (received) got = received.ToArray();
                // The reference at the provider's 24 kHz: every other sample of the source (it has nothing above 3 kHz).
                var reference = new double[signal.Length / 2];
                for (var i = 0; i < reference.Length; i++) reference[i] = signal[2 * i];
                var (lag, r) = BestLag(reference, got, 0.5 * 24000);
                TestContext.WriteLine($"received {got.Length} samples at 24 kHz of {reference.Length}; lag {lag} samples ({lag / 24.0:0.00} ms), correlation {r:0.00000}");
                Assert.That(got.Length, Is.EqualTo(reference.Length), "all of the source reached the provider (what came before the connection was held, not lost)");
                Assert.That(r, Is.GreaterThan(0.999), "the provider received the source's signal");
                Assert.That(lag, Is.LessThanOrEqualTo(0).And.GreaterThan(-40), "shifted only by the 48 → 24 kHz resampler's delay (1.3 ms, 31 samples)");
            }
        }

        /// <summary>
        /// The lag L (received[i] ~ reference[i + L]) over |L| ≤ maxLag with the highest normalized correlation over
        /// the overlap, and that correlation.
        /// </summary>
        static (int lag, double r) BestLag(double[] reference, short[] received, double maxLag)
        {
            var best = (lag: 0, r: double.NegativeInfinity);
            var max = (int)maxLag;
            for (var lag = -max; lag <= max; lag++)
            {
                double xy = 0, xx = 0, yy = 0;
                var n = 0;
                for (var i = 0; i < received.Length; i += 2)   // every other sample: fast enough, still 24000 per second of overlap
                {
                    var j = i + lag;
                    if (j < 0 || j >= reference.Length) continue;
                    double x = reference[j], y = received[i];
                    xy += x * y; xx += x * x; yy += y * y;
                    n++;
                }
                if (n < 24000) continue;
                var r = xy / Math.Sqrt(xx * yy + 1e-30);
                if (r > best.r) best = (lag, r);
            }
            return best;
        }
    }
}
