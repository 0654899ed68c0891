using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Audio;
using Parley.Session.Audio;
using Parley.Simulation;
using Parley.Tests.Simulation;
using Parley.Unity.Capture;
using Parley.Unity.Voice;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>
    /// The echo reference inside Unity (issue 11 item 5, issue 13 item 1): what every agent's voice played, mixed, on
    /// the DSP clock plus the reported output latency, checked against what the AudioListener heard (the simulated
    /// mixer sums the sources on its own), and following an output-rate change.
    /// </summary>
    public class EchoReferenceTests : SimulationFixture
    {
        static short[] Tone(int n, int rate, double hz, double amplitude)
        {
            var x = new short[n];
            for (var i = 0; i < n; i++) x[i] = (short)Math.Round(amplitude * 32767 * Math.Sin(2 * Math.PI * hz * i / rate));
            return x;
        }

        static AgentVoice Voice(string name)
        {
            var voice = new GameObject(name).AddComponent<AgentVoice>();
            voice.Attach(24000);
            return voice;
        }

        List<float> Drain(EchoReferenceMix mix, double seconds, ref double firstPlayTime) => Drain(Player, mix, seconds, ref firstPlayTime);

        /// <summary>Reads the mix as a consumer would, every 20 ms of virtual time; returns the samples and the first's play time.</summary>
        internal static List<float> Drain(SimulatedPlayer player, EchoReferenceMix mix, double seconds, ref double firstPlayTime)
        {
            var all = new List<float>();
            var buffer = new float[4096];
            var expect = double.NaN;
            for (var t = 0.0; t < seconds; t += 0.02)
            {
                player.RunFor(0.02);
                int n;
                while ((n = mix.Read(buffer, out var playTime)) > 0)
                {
                    if (double.IsNaN(firstPlayTime)) firstPlayTime = playTime;
                    if (!double.IsNaN(expect)) Assert.That(playTime, Is.EqualTo(expect).Within(0.5 / mix.SampleRate), "reads follow each other");
                    expect = playTime + n / (double)mix.SampleRate;
                    all.AddRange(buffer.Take(n));
                }
            }
            return all;
        }

        /// <summary>The offset (in frames) at which <paramref name="mix"/> matches <paramref name="heard"/> within 1e-5, searched around <paramref name="expected"/>.</summary>
        internal static int Match(List<float> mix, float[] heard, long expected, out double maxDiff, out int compared)
        {
            maxDiff = double.MaxValue;
            compared = 0;
            var found = int.MinValue;
            for (var o = expected - 3; o <= expected + 3; o++)
            {
                double d = 0;
                var c = 0;
                for (var k = 0; k < mix.Count; k++)
                {
                    var h = k + o;
                    if (h < 0 || h >= heard.Length) continue;
                    d = Math.Max(d, Math.Abs(mix[k] - heard[h]));
                    c++;
                }
                if (c > 0 && d < maxDiff) { maxDiff = d; found = (int)o; compared = c; }
            }
            return found;
        }

        [Test]
        public void The_mix_is_every_voice_as_the_listener_heard_it_stamped_with_dspTime_plus_the_output_latency()
        {
            StartPlayer();
            ObjectWithListener();
            using (var heard = new HeardRecorder(Player))   // from dspTime 0: heard frame k was rendered at dspTime k / rate
            {
                var a = Voice("NPC A");
                var b = Voice("NPC B");
                a.GetComponent<AudioSource>().volume = 0.5f;
                var mix = new EchoReferenceMix(48000);
                a.AddPlayedListener(mix);
                b.AddPlayedListener(mix);
                a.Write("a", Tone(48000, 24000, 300, 0.4));
                a.EndItem("a");
                Player.At(0.7, () => { b.Write("b", Tone(36000, 24000, 750, 0.3)); b.EndItem("b"); });   // overlapping A from 0.7 s
                var first = double.NaN;
                var got = Drain(mix, 2.6, ref first);

                var rate = 48000;
                var left = heard.ToArray().Where((v, i) => i % heard.Channels == 0).ToArray();
                var latency = (long)Math.Round(a.OutputLatencyMs / 1000.0 * rate);
                var expected = (long)Math.Round(first * rate) - latency;
                var at = Match(got, left, expected, out var diff, out var compared);
                TestContext.WriteLine($"mix: {got.Count} samples from play time {first:0.000} s, offset {at} (expected {expected}), max |mix - heard| {diff:E1} over {compared}");
                Assert.That(compared, Is.GreaterThan(rate * 2), "two seconds compared");
                Assert.That(diff, Is.LessThan(1e-5), "the mix equals what the listener heard (both voices summed)");
                Assert.That(at, Is.EqualTo(expected).Within(1), "stamped with the block's dspTime plus the reported latency");
                // Both voices are in it: the overlap holds A's 300 Hz at half volume and B's 750 Hz.
                var overlap = got.Skip((int)((1.2 - first) * rate)).Take(rate / 2).ToArray();   // play times 1.2-1.7 s
                Assert.That(overlap.Max(Math.Abs), Is.GreaterThan(0.4f), "A (0.2) and B (0.3) add up in the overlap");
                Assert.That(mix.Dropped, Is.EqualTo(0));
            }
        }

        [Test]
        public void After_an_output_rate_change_the_echo_references_run_at_the_new_rate()
        {
            StartPlayer(new SimulatedPlayerOptions { OutputSampleRate = 48000 });
            ObjectWithListener();
            var voice = Voice("NPC");
            ((IEchoReference)voice).OpenEchoReference(4);
            var mix = new EchoReferenceMix(AudioSettings.outputSampleRate);
            voice.AddPlayedListener(mix);
            voice.Write("a", Tone(24000 * 4, 24000, 440, 0.4));
            voice.EndItem("a");
            Player.RunFor(1.0);
            var scratch = new float[48000 * 4];
            ((IEchoReference)voice).ReadEchoReference(scratch, out _);
            var first = double.NaN;
            Drain(mix, 0.2, ref first);

            Player.ChangeOutputDevice(44100);   // Unity stops every source and raises OnAudioConfigurationChanged; the voice restarts
            Assert.That(mix.SetRate(AudioSettings.outputSampleRate), Is.True, "the consumer sees the new rate");
            Assert.That(((IEchoReference)voice).SampleRate, Is.EqualTo(44100));
            var startDsp = AudioSettings.dspTime;
            using (var heard = new HeardRecorder(Player))
            {
                first = double.NaN;
                var got = Drain(mix, 1.0, ref first);
                var n = ((IEchoReference)voice).ReadEchoReference(scratch, out var dspTime);
                var left = heard.ToArray().Where((v, i) => i % heard.Channels == 0).ToArray();
                Assert.That(heard.SampleRate, Is.EqualTo(44100));

                // The voice's own ring: only samples of the new rate, equal to what was heard, stamped on the new rate's clock.
                Assert.That(n, Is.EqualTo(left.Length).Within(1024), "a second of 44.1 kHz samples, nothing of the old rate");
                Assert.That(dspTime, Is.EqualTo(startDsp).Within(1024 / 44100.0 + 1e-9), "its first sample's dspTime");
                var d = 0.0;
                for (var i = 0; i < Math.Min(n, left.Length); i++) d = Math.Max(d, Math.Abs(scratch[i] - left[i]));
                Assert.That(d, Is.LessThan(1e-5), "the voice's echo reference equals what was heard after the change");

                // The mix: the same at the new rate, its stamps on the new rate's clock.
                var latency = (long)Math.Round(voice.OutputLatencyMs / 1000.0 * 44100);
                var expected = (long)Math.Round((first - startDsp) * 44100) - latency;
                var at = Match(got, left, expected, out var diff, out var compared);
                TestContext.WriteLine($"after the change: voice ring {n} samples, mix {got.Count} samples, offset {at} (expected {expected}), max diff {diff:E1}");
                Assert.That(compared, Is.GreaterThan(44100 / 2));
                Assert.That(diff, Is.LessThan(1e-5));
                Assert.That(at, Is.EqualTo(expected).Within(1));
            }
        }

        /// <summary>
        /// A 16 kHz front end fed by an <see cref="EchoReferenceFeed"/> while an agent's voice plays a tone of
        /// <paramref name="seconds"/>, the microphone silent, at a 48 kHz output.
        /// </summary>
        sealed class FedFrontEnd : IDisposable
        {
            readonly SimulatedPlayer _player;
            readonly float[] _mic = new float[160];
            readonly short[] _pcm;
            public readonly DuplexFrontEnd FrontEnd;
            public readonly EchoReferenceFeed Feed;

            public FedFrontEnd(EchoReferenceTests test, double seconds)
            {
                test.StartPlayer(new SimulatedPlayerOptions { OutputSampleRate = 48000 });
                ObjectWithListener();
                _player = test.Player;
                var voice = Voice("NPC");
                FrontEnd = new DuplexFrontEnd(new AudioFormat(16000, 1), 16000, null);
                Feed = new EchoReferenceFeed(FrontEnd);
                FrontEnd.Configure(16000);
                voice.Write("a", Tone((int)(24000 * seconds), 24000, 440, 0.4));
                voice.EndItem("a");
                _pcm = new short[FrontEnd.MaxOutputSamples(160)];
            }

            /// <summary>Runs the player and the capture 10 ms at a time; the reference samples handed over meanwhile.</summary>
            public long Run(double seconds)
            {
                var before = Feed.ReferenceSamples;
                for (var t = 0.0; t < seconds - 1e-9; t += 0.01)
                {
                    _player.RunFor(0.01);   // a 16 kHz microphone on the DSP clock: 160 frames per 10 ms
                    Feed.BeforeCapture(160);
                    FrontEnd.Process(_mic, _pcm);
                }
                return Feed.ReferenceSamples - before;
            }

            public void Dispose()
            {
                Feed.Dispose();
                FrontEnd.Dispose();
            }
        }

        [Test]
        public void The_feed_gives_the_front_end_a_reference_at_the_microphone_rate_across_an_output_rate_change()
        {
            using (var fed = new FedFrontEnd(this, 4))
            {
                var at48 = fed.Run(1.5);
                Player.ChangeOutputDevice(44100);
                var at44 = fed.Run(1.5);
                TestContext.WriteLine($"reference samples at 16 kHz: {at48} over 1.5 s at 48 kHz output, {at44} over 1.5 s at 44.1 kHz; reanchors {fed.Feed.Reanchors}");
                Assert.That(fed.Feed.Mix.SampleRate, Is.EqualTo(44100), "the mix follows the output rate");
                // Read at the old rate the 44.1 kHz blocks would come out 8 % short (22050 instead of 24000).
                Assert.That(at44, Is.EqualTo(24000).Within(900), "the reference keeps the microphone's pace after the change");
                Assert.That(at48, Is.EqualTo(24000).Within(1500), "before it");
                Assert.That(fed.Feed.Mix.MismatchedBlocks, Is.EqualTo(0), "no block of the new rate was read as the old");
            }
        }

        /// <summary>
        /// A new output device (headphones taken off) may bring an echo path the front end measured missing: the feed
        /// tells it at the next captured block (<see cref="DuplexFrontEnd.EchoPathChanged"/>), and its guard measures
        /// again. The microphone stays silent here, so the new measurement finds no echo again once the voice plays on.
        /// </summary>
        [Test]
        public void A_new_output_device_voids_the_front_ends_measurement_of_the_echo_path()
        {
            using (var fed = new FedFrontEnd(this, 6))
            {
                fed.Run(1.5);
                Assert.That(fed.FrontEnd.NoEchoPathMeasured, Is.True, "a silent microphone under the voice: no echo path");
                Player.ChangeOutputDevice(48000);
                Assert.That(fed.FrontEnd.NoEchoPathMeasured, Is.True, "nothing changes off the capture thread");
                fed.Run(0.01);
                Assert.That(fed.FrontEnd.NoEchoPathMeasured, Is.False, "the next block: the measurement is void");
                fed.Run(1.5);
                Assert.That(fed.FrontEnd.NoEchoPathMeasured, Is.True, "measured again on the new device");
            }
        }
    }
}
