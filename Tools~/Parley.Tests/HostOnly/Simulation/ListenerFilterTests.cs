using System;
using System.Linq;
using NUnit.Framework;
using Parley.Simulation;
using UnityEngine;
using FilterProbe = Parley.Tests.Simulation.AudioOutputTests.FilterProbe;

namespace Parley.Tests.Simulation
{
    /// <summary>
    /// The simulated mixer runs the OnAudioFilterRead chain of the first enabled AudioListener's GameObject on the
    /// whole mix, as Unity's listener filters do (Manual, "Use audio filters": effects on the Audio Listener's object
    /// modify its output, in component order): interleaved at the output's channel count, once per DSP block, on the
    /// audio thread, after AudioListener.volume (the stand-in's choice, AudioEngine), and what it leaves is heard.
    /// </summary>
    public class ListenerFilterTests : SimulationFixture
    {
        static AudioClip Constant(float value)
        {
            var clip = AudioClip.Create("constant", 48000, 1, 48000, false);
            clip.SetData(Enumerable.Repeat(value, 48000).ToArray(), 0);
            return clip;
        }

        [Test]
        public void The_listeners_filters_get_the_mix_of_every_source_after_listener_volume_and_what_they_leave_is_heard()
        {
            StartPlayer(new SimulatedPlayerOptions { OutputSampleRate = 48000, DspBufferSize = 1024 });
            var listener = ObjectWithListener();
            var first = listener.AddComponent<FilterProbe>();
            var second = listener.AddComponent<FilterProbe>();
            first.Extra = (data, channels) => { for (var i = 0; i < data.Length; i++) data[i] *= 0.5f; };   // a gain, as an effect would
            AudioListener.volume = 0.5f;
            var music = new GameObject("Music").AddComponent<AudioSource>();
            music.clip = Constant(0.6f);
            music.loop = true;
            var generator = new GameObject("Generator");
            generator.AddComponent<AudioSource>();
            generator.AddComponent<FilterProbe>().Generate = i => 0.25f;   // not scaled by the listener's volume (AudioOutputTests)
            using (var heard = new HeardRecorder(Player))
            {
                music.Play();
                generator.GetComponent<AudioSource>().Play();
                Player.RunFor(1);

                Assert.That(first.Threads.Distinct(), Is.EqualTo(new[] { Player.AudioThreadId }), "on the audio thread");
                Assert.That(first.Lengths.Distinct(), Is.EqualTo(new[] { 2048 }), "one DSP block, interleaved stereo");
                Assert.That(first.Channels.Distinct(), Is.EqualTo(new[] { 2 }));
                Assert.That(first.Lengths.Count, Is.EqualTo(Player.AudioBlocks), "once per block");
                var steps = first.DspTimes.Zip(first.DspTimes.Skip(1), (a, b) => b - a);
                Assert.That(steps.All(d => Math.Abs(d - 1024 / 48000.0) < 1e-9), Is.True, "dspTime is the block's start");
                Assert.That(first.DspTimes[0], Is.EqualTo(0), "the first block starts at dspTime 0");
                Assert.That(first.Inputs.All(b => b.All(v => Math.Abs(v - 0.55f) < 1e-6)), Is.True, "0.6 × listener volume 0.5 + 0.25 generated");
                Assert.That(second.Inputs.All(b => b.All(v => Math.Abs(v - 0.275f) < 1e-6)), Is.True, "the second filter gets what the first left");
                Assert.That(heard.ToArray().All(v => Math.Abs(v - 0.275f) < 1e-6), Is.True, "the speakers play what the chain left");
            }
        }

        [Test]
        public void Only_the_first_enabled_listeners_filters_run_and_not_while_it_or_they_are_disabled()
        {
            StartPlayer();
            var a = ObjectWithListener();
            var b = ObjectWithListener();
            var probeA = a.AddComponent<FilterProbe>();
            var probeB = b.AddComponent<FilterProbe>();
            Player.RunFor(0.5);
            Assert.That(probeA.Lengths.Count, Is.EqualTo(Player.AudioBlocks), "with no source playing the listener's chain still runs (over silence)");
            Assert.That(probeA.Inputs.All(x => x.All(v => v == 0f)), Is.True);
            Assert.That(probeB.Lengths, Is.Empty, "the second listener hears nothing");

            a.GetComponent<AudioListener>().enabled = false;
            var calls = probeA.Lengths.Count;
            Player.RunFor(0.5);
            Assert.That(probeA.Lengths.Count, Is.EqualTo(calls), "a disabled listener's filters are not called");
            Assert.That(probeB.Lengths.Count, Is.GreaterThan(20), "the next enabled listener's are");

            probeB.enabled = false;
            calls = probeB.Lengths.Count;
            Player.RunFor(0.5);
            Assert.That(probeB.Lengths.Count, Is.EqualTo(calls), "a disabled filter is not called");
        }
    }
}
