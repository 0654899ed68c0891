using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Audio;
using Parley.Simulation;
using Parley.Tests.Simulation;
using Parley.Unity.Capture;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>One microphone, many listeners: the hub's policies and hand-overs on the simulated device, against the source WAV.</summary>
    public class MicrophoneHubTests : SimulationFixture
    {
        /// <summary>A listener on a GameObject: keeps every chunk with the frame it arrived in (the test may allocate).</summary>
        public sealed class Ear : MonoBehaviour, ICaptureSink, ICaptureDemand, ICaptureUtterance
        {
            public readonly List<(int frame, float[] samples)> Chunks = new List<(int, float[])>();
            public bool Wants = true;
            public bool WantsCapture => Wants;
            /// <summary>What a VoiceAgent reports between its player's speech start and the end of their turn.</summary>
            public bool Speaking;
            public bool MidUtterance => Speaking;
            public long Frames => Chunks.Sum(c => (long)c.samples.Length);
            public void OnCaptured(ReadOnlySpan<float> interleaved, AudioFormat format) => Chunks.Add((Time.frameCount, interleaved.ToArray()));
        }

        MicrophoneHub Hub(float[] input, out SimulatedMicrophone device)
        {
            device = Player.AddMicrophone(new SimulatedMicrophone("Mic", input, 48000));
            var go = new GameObject("Microphone");
            go.SetActive(false);
            var capture = go.AddComponent<MicrophoneCapture>();
            capture.DeviceName = "Mic";
            var hub = go.AddComponent<MicrophoneHub>();
            go.SetActive(true);
            return hub;
        }

        /// <summary>A hub on the speech fixture with ear A at 0 m and ear B at 10 m.</summary>
        MicrophoneHub HubWithTwoEars(MicrophoneRouting routing, out float[] source, out Ear a, out Ear b)
        {
            source = Speech48k();
            var hub = Hub(source, out _);
            hub.Routing = routing;
            a = EarAt("A", 0);
            b = EarAt("B", 10);
            hub.AddSink(a);
            hub.AddSink(b);
            return hub;
        }

        static Ear EarAt(string name, float x)
        {
            var go = new GameObject(name);
            go.transform.position = new Vector3(x, 0, 0);
            return go.AddComponent<Ear>();
        }

        /// <summary>All chunks of all ears in delivery order (frame, then the order the hub hands out): the stream as one.</summary>
        static float[] Merged(params Ear[] ears) =>
            ears.SelectMany((e, k) => e.Chunks.Select((c, i) => (c.frame, k, i, c.samples)))
                .OrderBy(c => c.frame).ThenBy(c => c.k).ThenBy(c => c.i).SelectMany(c => c.samples).ToArray();

        static double SnrDb(float[] reference, float[] actual, int offset = 0)
        {
            double s = 0, e = 0;
            for (var i = 0; i < actual.Length; i++) { var r = reference[offset + i]; s += r * (double)r; var d = r - actual[i]; e += d * d; }
            return e == 0 ? double.PositiveInfinity : 10 * Math.Log10(s / e);
        }

        /// <summary>Where in the source a delivered run of samples starts (unique: the fixture has speech and a noise floor).</summary>
        static int Locate(float[] source, float[] run)
        {
            for (var i = 0; i + run.Length <= source.Length; i++)
            {
                var j = 0;
                while (j < 480 && source[i + j] == run[j]) j++;
                if (j == 480) return i;
            }
            return -1;
        }

        [Test]
        public void Handing_the_microphone_between_agents_by_distance_loses_and_repeats_no_sample()
        {
            StartPlayer(new SimulatedPlayerOptions { Seed = 11 });
            var hub = HubWithTwoEars(MicrophoneRouting.NearestToListener, out var source, out var a, out var b);
            var listener = ObjectWithListener();
            listener.transform.position = new Vector3(1, 0, 0);
            var handovers = new List<(double at, ICaptureSink to)>();
            hub.Handover += (from, to) => handovers.Add((Player.Now, to));
            // Mid-utterance both times: "Thank you, that is…" (4.4–7.0 s) and "Wait, stop…" (8.5–10.7 s).
            Player.At(5.0, () => listener.transform.position = new Vector3(9, 0, 0));
            Player.At(9.5, () => listener.transform.position = new Vector3(2, 0, 0));
            Player.RunFor(11);

            Assert.That(hub.Handovers, Is.EqualTo(2));
            Assert.That(handovers.Select(h => h.to), Is.EqualTo(new ICaptureSink[] { a, b, a }), "A first, then B, then A again");
            var capture = (MicrophoneCapture)hub.Source;
            Assert.That(a.Frames + b.Frames, Is.EqualTo(capture.FramesCaptured), "every captured frame went to exactly one agent");
            Assert.That(hub.FramesDelivered, Is.EqualTo(hub.FramesReceived));
            var merged = Merged(a, b);
            Assert.That(merged.Length, Is.InRange(48000 * 11 - 4800, 48000 * 11), "11 s but the last packet, frame and partial chunk");
            Assert.That(merged, Is.EqualTo(source.Take(merged.Length)), "A's and B's audio together are the WAV, sample for sample");
            Assert.That(SnrDb(source, merged), Is.EqualTo(double.PositiveInfinity));

            // B's share is one contiguous run of the source that starts and ends at the moves (within a frame and a chunk).
            var bAudio = b.Chunks.SelectMany(c => c.samples).ToArray();
            var bStart = Locate(source, bAudio);
            TestContext.WriteLine($"B heard {bAudio.Length / 48.0:0.0} ms from {bStart / 48.0:0.0} ms; A {a.Frames / 48.0:0.0} ms");
            Assert.That(bStart / 48000.0, Is.InRange(5.0 - 0.03, 5.0 + 0.05));
            Assert.That((bStart + bAudio.Length) / 48000.0, Is.InRange(9.5 - 0.03, 9.5 + 0.05));
            Assert.That(SnrDb(source, bAudio, bStart), Is.EqualTo(double.PositiveInfinity));
            Assert.That(Player.Exceptions, Is.Empty);
        }

        [Test]
        public void All_policy_gives_every_listener_the_whole_stream()
        {
            StartPlayer();
            var hub = HubWithTwoEars(MicrophoneRouting.All, out var source, out var a, out var b);
            Player.RunFor(4);
            var aAudio = a.Chunks.SelectMany(c => c.samples).ToArray();
            var bAudio = b.Chunks.SelectMany(c => c.samples).ToArray();
            Assert.That(aAudio.Length, Is.GreaterThan(48000 * 3.9));
            Assert.That(bAudio, Is.EqualTo(aAudio));
            Assert.That(aAudio, Is.EqualTo(source.Take(aAudio.Length)));
            Assert.That(hub.Handovers, Is.Zero);
        }

        [Test]
        public void Explicitly_active_policy_feeds_only_the_named_listener_and_nobody_before()
        {
            StartPlayer();
            var hub = HubWithTwoEars(MicrophoneRouting.ExplicitlyActive, out var source, out var a, out var b);
            Player.RunFor(1);
            Assert.That(hub.FramesReceived, Is.GreaterThan(48000 * 0.9));
            Assert.That(hub.FramesDelivered, Is.Zero, "nobody is active yet");
            var before = hub.FramesReceived;
            hub.Active = b;   // the far one: distance does not matter here
            Player.RunFor(2);
            hub.Active = a;
            Player.RunFor(2);
            Assert.That(a.Frames + b.Frames, Is.EqualTo(hub.FramesReceived - before));
            var merged = Merged(a, b);
            var start = Locate(source, merged);
            Assert.That(start, Is.EqualTo((int)before), "the stream resumes at the first frame after the choice");
            Assert.That(merged, Is.EqualTo(source.Skip(start).Take(merged.Length)));
            Assert.That(b.Frames / 48000.0, Is.EqualTo(2.0).Within(0.05));
        }

        [Test]
        public void The_nearest_listener_that_wants_audio_hears_and_equal_distances_do_not_flap()
        {
            StartPlayer(new SimulatedPlayerOptions { Seed = 4 });
            var hub = HubWithTwoEars(MicrophoneRouting.NearestToListener, out _, out var a, out var b);
            var listener = ObjectWithListener();
            listener.transform.position = new Vector3(4.9f, 0, 0);
            // The player wanders ±0.2 m around the midpoint: inside the 0.5 m margin, so A keeps the microphone.
            for (var k = 1; k < 20; k++)
            {
                var x = 5f + (k % 2 == 0 ? 0.2f : -0.2f);
                Player.At(k * 0.1, () => listener.transform.position = new Vector3(x, 0, 0));
            }
            Player.RunFor(2.5);
            Assert.That(hub.Handovers, Is.Zero);
            Assert.That(b.Frames, Is.Zero);
            Assert.That(a.Frames, Is.EqualTo(hub.FramesReceived));

            a.Wants = false;   // A leaves the conversation: the next nearest that wants audio takes over
            Player.RunFor(1);
            Assert.That(hub.Handovers, Is.EqualTo(1));
            Assert.That(b.Frames / 48000.0, Is.EqualTo(1.0).Within(0.05));
        }

        /// <summary>
        /// The explicit policy names B at 5.0 s, in the middle of "Thank you, that is…" (4.4–7.0 s of the fixture),
        /// which A's player is saying. Returns where B's audio starts in the source.
        /// </summary>
        int HandOverMidUtterance(float maxHold, double turnEndsAt, out MicrophoneHub hub, out float[] source, out Ear a, out Ear b, out List<double> handovers)
        {
            StartPlayer(new SimulatedPlayerOptions { Seed = 13 });
            hub = HubWithTwoEars(MicrophoneRouting.ExplicitlyActive, out source, out a, out b);
            hub.MaxHoldSeconds = maxHold;
            hub.Active = a;
            var ea = a;
            var h = hub;
            var eb = b;
            var at = new List<double>();
            handovers = at;
            hub.Handover += (from, to) => { if (from != null && to != null) at.Add(Player.Now); };
            Player.At(4.45, () => ea.Speaking = true);        // A's session: speech started
            Player.At(5.0, () => h.Active = eb);              // the game turns to B mid-sentence
            Player.At(turnEndsAt, () => ea.Speaking = false); // A's session: the player's turn ended
            Player.RunFor(9);

            var capture = (MicrophoneCapture)hub.Source;
            Assert.That(a.Frames + b.Frames, Is.EqualTo(capture.FramesCaptured), "every captured frame went to exactly one agent");
            var merged = Merged(a, b);
            Assert.That(merged, Is.EqualTo(source.Take(merged.Length)), "A + B = the source, sample for sample");
            Assert.That(SnrDb(source, merged), Is.EqualTo(double.PositiveInfinity));
            var bAudio = b.Chunks.SelectMany(c => c.samples).ToArray();
            var bStart = Locate(source, bAudio);
            Assert.That(SnrDb(source, bAudio, bStart), Is.EqualTo(double.PositiveInfinity), "B's share is one contiguous run");
            Assert.That(bStart + bAudio.Length, Is.EqualTo(merged.Length), "B gets everything after");
            TestContext.WriteLine($"B from {bStart / 48.0:0.0} ms; A {a.Frames / 48.0:0.0} ms, held {hub.HeldHandovers}, timed out {hub.HoldsTimedOut}");
            Assert.That(Player.Exceptions, Is.Empty);
            return bStart;
        }

        [Test]
        public void A_handover_mid_utterance_waits_for_the_end_of_the_turn_so_the_first_agent_hears_it_whole()
        {
            var bStart = HandOverMidUtterance(10f, 7.2, out var hub, out var source, out var a, out var b, out var handovers);
            // The whole utterance (4.4–7.0 s) is A's; B starts where A's turn ended (within a frame and a chunk).
            Assert.That(bStart / 48000.0, Is.InRange(7.2 - 0.03, 7.2 + 0.05));
            Assert.That(a.Frames / 48000.0, Is.GreaterThan(7.0));
            Assert.That(hub.HeldHandovers, Is.EqualTo(1));
            Assert.That(hub.HoldsTimedOut, Is.Zero);
            Assert.That(handovers.Count, Is.EqualTo(1));
            Assert.That(handovers[0], Is.InRange(7.2 - 0.001, 7.2 + 0.05), "the hand-over is reported when it happens");
            Assert.That(hub.Holding, Is.False);
        }

        [Test]
        public void A_handover_waits_at_most_the_bound_for_an_utterance_that_does_not_end()
        {
            var bStart = HandOverMidUtterance(1.5f, 100, out var hub, out _, out var a, out _, out var handovers);
            Assert.That(bStart / 48000.0, Is.InRange(6.5 - 0.03, 6.5 + 0.06), "5.0 s + 1.5 s of audio");
            Assert.That(hub.HoldsTimedOut, Is.EqualTo(1));
            Assert.That(handovers.Count, Is.EqualTo(1));
        }

        [Test]
        public void Without_an_utterance_the_handover_is_immediate()
        {
            var bStart = HandOverMidUtterance(10f, 4.46, out var hub, out _, out _, out _, out _);
            Assert.That(bStart / 48000.0, Is.InRange(5.0 - 0.03, 5.0 + 0.05));
            Assert.That(hub.HeldHandovers, Is.Zero);
        }
    }
}
