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
    /// ListenerEchoTap (issue 13 item 1, the listener-mix option): the reference an EchoReferenceFeed takes from the
    /// AudioListener's filter chain is what the listener heard (music, effects and the agent's voice, each once),
    /// stamped as the voices' blocks are; the feed falls back to the voices while no tap is enabled; the tap's block
    /// allocates nothing on the audio thread.
    /// </summary>
    public class ListenerEchoTapTests : SimulationFixture
    {
        /// <summary>A stereo loop, left and right apart: chords on a 0.5 s beat and a slow sweep (the music of the scenes).</summary>
        internal static AudioClip MusicClip(int rate, double seconds)
        {
            var n = (int)(seconds * rate);
            var music = ListenerMixEchoTests.Music(rate, seconds, 11);
            var interleaved = new float[n * 2];
            for (var i = 0; i < n; i++)
            {
                interleaved[2 * i] = music[i];
                interleaved[2 * i + 1] = 0.6f * music[(i + rate / 8) % n];   // the right channel a beat behind, quieter
            }
            var clip = AudioClip.Create("music", n, 2, rate, false);
            clip.SetData(interleaved, 0);
            return clip;
        }

        internal static AudioSource PlayMusic(AudioClip clip, float volume)
        {
            var source = new GameObject("Radio").AddComponent<AudioSource>();
            source.clip = clip;
            source.loop = true;
            source.volume = volume;
            source.Play();
            return source;
        }

        static AgentVoice SpeakingVoice(double seconds)
        {
            var voice = new GameObject("NPC").AddComponent<AgentVoice>();
            voice.Attach(24000);
            var far = Parley.Tests.Support.EchoScenes.FarSpeech(24000, seconds);
            voice.Write("reply", far.Select(v => (short)Math.Round(Math.Max(-1, Math.Min(1, v)) * 32767)).ToArray());
            voice.EndItem("reply");
            return voice;
        }

        /// <summary>A 16 kHz microphone of silence on the DSP clock: 160 frames per 10 ms through the feed and the front end.</summary>
        void Pump(DuplexFrontEnd frontEnd, EchoReferenceFeed feed, double seconds)
        {
            var mic = new float[160];
            var pcm = new short[frontEnd.MaxOutputSamples(160)];
            for (var t = 0.0; t < seconds - 1e-9; t += 0.01)
            {
                Player.RunFor(0.01);
                feed.BeforeCapture(160);
                frontEnd.Process(mic, pcm);
            }
        }

        [Test]
        public void The_listener_mix_reference_is_what_the_listener_heard_stamped_as_the_voices_blocks_are()
        {
            StartPlayer(new SimulatedPlayerOptions { OutputSampleRate = 48000, DspBufferSize = 1024, NumBuffers = 4 });
            var listener = ObjectWithListener();
            var tap = listener.AddComponent<ListenerEchoTap>();
            using (var heard = new HeardRecorder(Player))   // from dspTime 0: heard frame k was rendered at dspTime k / rate
            using (var frontEnd = new DuplexFrontEnd(new AudioFormat(16000, 1), 16000, null))
            using (var feed = new EchoReferenceFeed(frontEnd, EchoReferenceSource.ListenerMix))
            {
                AudioListener.volume = 0.8f;
                var voice = SpeakingVoice(3);
                voice.GetComponent<AudioSource>().volume = 0.7f;
                PlayMusic(MusicClip(48000, 4), 0.5f);
                Assert.That(feed.ActiveSource, Is.EqualTo(EchoReferenceSource.ListenerMix));
                Assert.That(feed.Tap, Is.SameAs(tap));
                var first = double.NaN;
                var got = EchoReferenceTests.Drain(Player, feed.Mix, 2.6, ref first);   // the feed's own mix, read as its consumer would

                const int rate = 48000;
                var all = heard.ToArray();
                var mean = new float[all.Length / 2];
                for (var i = 0; i < mean.Length; i++) mean[i] = (all[2 * i] + all[2 * i + 1]) / 2;
                var latency = (long)Math.Round(tap.OutputLatencyMs / 1000.0 * rate);
                var expected = (long)Math.Round(first * rate) - latency;
                var at = EchoReferenceTests.Match(got, mean, expected, out var diff, out var compared);
                TestContext.WriteLine($"listener mix: {got.Count} samples from play time {first:0.000} s, offset {at} (expected {expected}, latency {tap.OutputLatencyMs} ms as the voice's {voice.OutputLatencyMs} ms), max |mix - heard| {diff:E1} over {compared}");
                Assert.That(tap.OutputLatencyMs, Is.EqualTo(voice.OutputLatencyMs), "one timeline: the voices' stamps");
                Assert.That(compared, Is.GreaterThan(rate * 2), "two seconds compared");
                Assert.That(diff, Is.LessThan(1e-5), "the reference equals what the listener heard (music once, the voice once)");
                Assert.That(at, Is.EqualTo(expected), "stamped with the block's dspTime plus the reported latency, to the frame");
                Assert.That(got.Skip(rate / 2).Take(rate).Max(Math.Abs), Is.GreaterThan(0.1f), "music and voice are in it");
                Assert.That(feed.Mix.Dropped, Is.EqualTo(0));
            }
        }

        [Test]
        public void Without_a_tap_the_feed_uses_the_voices_and_switches_to_a_tap_when_one_is_enabled_and_back()
        {
            StartPlayer();
            var listener = ObjectWithListener();
            SpeakingVoice(4);
            PlayMusic(MusicClip(48000, 4), 0.5f);
            using (var frontEnd = new DuplexFrontEnd(new AudioFormat(16000, 1), 16000, null))
            using (var feed = new EchoReferenceFeed(frontEnd, EchoReferenceSource.ListenerMix))
            {
                frontEnd.Configure(16000);
                var changes = new List<EchoReferenceSource>();
                feed.ActiveSourceChanged += changes.Add;
                void Run(double seconds) => Pump(frontEnd, feed, seconds);
                Assert.That(feed.RequestedSource, Is.EqualTo(EchoReferenceSource.ListenerMix));
                Assert.That(feed.ActiveSource, Is.EqualTo(EchoReferenceSource.AgentVoices), "no tap: the voices");
                Assert.That(feed.Tap, Is.Null);
                Run(0.5);
                var voicesOnly = feed.ReferenceSamples;
                Assert.That(voicesOnly, Is.GreaterThan(4000), "the voices' reference flows meanwhile");

                var tap = listener.AddComponent<ListenerEchoTap>();
                Run(0.5);
                Assert.That(changes, Is.EqualTo(new[] { EchoReferenceSource.ListenerMix }));
                Assert.That(feed.Tap, Is.SameAs(tap));
                Assert.That(tap.BlocksTapped, Is.GreaterThan(20));

                tap.enabled = false;
                Run(0.5);
                Assert.That(changes, Is.EqualTo(new[] { EchoReferenceSource.ListenerMix, EchoReferenceSource.AgentVoices }), "the tap disabled: back to the voices");
                Assert.That(feed.Tap, Is.Null);
                Assert.That(feed.ReferenceSamples - voicesOnly, Is.EqualTo(16000).Within(1600), "the reference kept the microphone's pace through both switches");
                listener.GetComponent<AudioListener>().enabled = false;
                tap.enabled = true;
                Run(0.2);
                Assert.That(feed.ActiveSource, Is.EqualTo(EchoReferenceSource.AgentVoices), "a tap on a disabled listener hears nothing: not used");

                listener.GetComponent<AudioListener>().enabled = true;
                tap.enabled = false;
                tap.enabled = true;
                Run(0.2);
                Assert.That(feed.Tap, Is.SameAs(tap), "taken up again");
                UnityEngine.Object.Destroy(tap);
                Player.RunFrames(1);   // destroyed at the end of the frame
                Run(0.2);
                Assert.That(ReferenceEquals(feed.Tap, null), Is.True, "a destroyed tap is let go");
                Assert.That(feed.ActiveSource, Is.EqualTo(EchoReferenceSource.AgentVoices));
                Assert.That(changes, Is.EqualTo(new[] { EchoReferenceSource.ListenerMix, EchoReferenceSource.AgentVoices, EchoReferenceSource.ListenerMix, EchoReferenceSource.AgentVoices }));
            }
        }

        [Test]
        public void An_agent_asking_for_the_listener_mix_without_a_tap_warns_and_uses_the_voices_until_one_is_enabled()
        {
            SimulatedConsole.Clear();
            int Warnings() => SimulatedConsole.Snapshot().Count(l => l.StartsWith("Warning:", StringComparison.Ordinal) && l.Contains("no enabled ListenerEchoTap"));
            using (var scene = new SteadyConversationScene(1, Speech48k(), Parley.Session.SessionLoop.Inline, configure: (p, npc) => npc.Agent.EchoReferenceSource = EchoReferenceSource.ListenerMix))
            {
                void Frames(int n) { for (var i = 0; i < n; i++) { scene.Player.RunFrames(1); scene.Settle(); } }
                var feed = scene.Npcs[0].Agent.EchoReference;
                Assert.That(feed.RequestedSource, Is.EqualTo(EchoReferenceSource.ListenerMix));
                Assert.That(feed.ActiveSource, Is.EqualTo(EchoReferenceSource.AgentVoices), "no tap: the voices");
                Assert.That(Warnings(), Is.EqualTo(1), "one warning as the conversation starts");

                var tap = UnityEngine.Object.FindObjectOfType<AudioListener>().gameObject.AddComponent<ListenerEchoTap>();
                Frames(10);
                Assert.That(feed.ActiveSource, Is.EqualTo(EchoReferenceSource.ListenerMix), "the tap is taken up at the next captured block");
                Assert.That(feed.Tap, Is.SameAs(tap));
                Assert.That(Warnings(), Is.EqualTo(1));

                tap.enabled = false;
                Frames(10);
                Assert.That(feed.ActiveSource, Is.EqualTo(EchoReferenceSource.AgentVoices));
                Assert.That(Warnings(), Is.EqualTo(2), "warned again when the tap went");
            }
        }

        [Test]
        public void The_taps_block_allocates_nothing_on_the_audio_thread()
        {
            StartPlayer();
            var listener = ObjectWithListener();
            var tap = listener.AddComponent<ListenerEchoTap>();
            var probe = listener.AddComponent<SimulatorAllocationTests.AllocationProbe>();   // after the tap in the listener's chain
            using (var frontEnd = new DuplexFrontEnd(new AudioFormat(16000, 1), 16000, null))
            using (var feed = new EchoReferenceFeed(frontEnd, EchoReferenceSource.ListenerMix))
            {
                frontEnd.Configure(16000);
                var voice = SpeakingVoice(16);
                PlayMusic(MusicClip(48000, 4), 0.5f);
                void Run(double seconds) => Pump(frontEnd, feed, seconds);
                Run(2);   // warm-up: JIT, first-use buffers
                var audio0 = probe.AudioThreadBytes;
                var blocks = tap.BlocksTapped;
                var samples = feed.ReferenceSamples;
                Run(10);
                TestContext.WriteLine($"audio thread: {probe.AudioThreadBytes - audio0} B over {tap.BlocksTapped - blocks} tapped blocks; reference {feed.ReferenceSamples - samples} samples");
                Assert.That(tap.BlocksTapped - blocks, Is.GreaterThan(400));
                Assert.That(voice.BlocksRendered, Is.GreaterThan(400), "the voice played meanwhile");
                Assert.That(feed.ReferenceSamples - samples, Is.EqualTo(160000).Within(2000), "the tap's reference reached the front end");
                Assert.That(probe.AudioThreadBytes - audio0, Is.EqualTo(0), "audio thread bytes: the sources, the tap and the mix it writes");
            }
        }
    }
}
