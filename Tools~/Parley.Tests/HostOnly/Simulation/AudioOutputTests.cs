using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using NUnit.Framework;
using Parley.Simulation;
using UnityEngine;

namespace Parley.Tests.Simulation
{
    /// <summary>The simulated mixer: audio thread, DSP blocks, sources, listener, resets (audio-behaviour.md §3-§5).</summary>
    public class AudioOutputTests : SimulationFixture
    {
        /// <summary>An OnAudioFilterRead that records each call and can act as a generator.</summary>
        public sealed class FilterProbe : MonoBehaviour
        {
            public readonly List<int> Threads = new List<int>();
            public readonly List<int> Lengths = new List<int>();
            public readonly List<int> Channels = new List<int>();
            public readonly List<double> DspTimes = new List<double>();
            public readonly List<float[]> Inputs = new List<float[]>();
            public Func<int, float> Generate;
            public Action<float[], int> Extra;
            int _frame;

            void OnAudioFilterRead(float[] data, int channels)
            {
                Threads.Add(Thread.CurrentThread.ManagedThreadId);
                Lengths.Add(data.Length);
                Channels.Add(channels);
                DspTimes.Add(AudioSettings.dspTime);
                Inputs.Add((float[])data.Clone());
                if (Generate != null)
                    for (var i = 0; i < data.Length / channels; i++, _frame++)
                        for (var c = 0; c < channels; c++) data[i * channels + c] = Generate(_frame);
                Extra?.Invoke(data, channels);
            }
        }

        static (AudioSource source, FilterProbe probe) Speaker(string name = "Speaker")
        {
            var go = new GameObject(name);
            var source = go.AddComponent<AudioSource>();
            return (source, go.AddComponent<FilterProbe>());
        }

        [Test]
        public void OnAudioFilterRead_runs_on_the_audio_thread_in_DSP_blocks_at_the_output_rate()
        {
            StartPlayer(new SimulatedPlayerOptions { OutputSampleRate = 48000, DspBufferSize = 1024 });
            ObjectWithListener();
            var (source, probe) = Speaker();
            source.Play();
            Player.RunFor(10);

            Assert.That(probe.Threads.Distinct(), Is.EqualTo(new[] { Player.AudioThreadId }));
            Assert.That(Player.AudioThreadId, Is.Not.EqualTo(Player.MainThreadId));
            Assert.That(probe.Lengths.Distinct(), Is.EqualTo(new[] { 2048 }), "1024 frames x 2 channels (stereo)");
            Assert.That(probe.Channels.Distinct(), Is.EqualTo(new[] { 2 }));
            Assert.That(probe.Threads.Count, Is.InRange(468, 470), "10 s x 48000 / 1024 = 468.75 calls");
            var steps = probe.DspTimes.Zip(probe.DspTimes.Skip(1), (a, b) => b - a).ToList();
            Assert.That(steps.All(d => Math.Abs(d - 1024 / 48000.0) < 1e-9), Is.True, "dspTime advances one block per call");
        }

        [Test]
        public void Without_a_clip_the_filter_gets_zeros_and_is_the_source()
        {
            StartPlayer();
            ObjectWithListener();
            var (source, probe) = Speaker();
            probe.Generate = i => (float)(0.25 * Math.Sin(2 * Math.PI * 440 * i / 48000.0));
            source.volume = 0.1f;   // a generator does not get the source's volume (BasisVR #988)
            using (var heard = new HeardRecorder(Player))
            {
                source.Play();
                Player.RunFor(1);
                Assert.That(probe.Inputs.All(b => b.All(v => v == 0f)), Is.True, "data is all zeros on entry");
                var left = heard.ToArray().Where((v, i) => i % 2 == 0).ToArray();
                var expected = Enumerable.Range(0, left.Length).Select(i => (float)(0.25 * Math.Sin(2 * Math.PI * 440 * i / 48000.0))).ToArray();
                Assert.That(left, Is.EqualTo(expected));
            }
        }

        [Test]
        public void A_clip_plays_after_volume_and_distance_attenuation_and_a_filter_sees_it()
        {
            StartPlayer();
            ObjectWithListener();   // at the origin
            var speech = Speech48k().Take(48000).ToArray();
            var clip = AudioClip.Create("speech", speech.Length, 1, 48000, false);
            clip.SetData(speech, 0);
            var (source, probe) = Speaker();
            source.clip = clip;
            source.volume = 0.5f;
            source.spatialBlend = 1f;
            source.minDistance = 1f;
            source.transform.position = new Vector3(0, 0, 4);   // logarithmic rolloff: gain min/d = 1/4
            using (var heard = new HeardRecorder(Player))
            {
                source.Play();
                Player.RunFor(0.5);
                var got = heard.ToArray().Where((v, i) => i % 2 == 1).ToArray();   // right channel: a mono clip feeds both
                var expected = speech.Take(got.Length).Select(v => v * 0.5f * 0.25f).ToArray();
                Assert.That(got, Is.EqualTo(expected).Within(1e-7f));
                Assert.That(probe.Inputs[0].Where((v, i) => i % 2 == 0), Is.EqualTo(expected.Take(1024)).Within(1e-7f), "the filter sees the clip after volume");
            }
        }

        [Test]
        public void A_source_stops_at_the_end_of_its_clip_and_its_filter_stops_being_called()
        {
            StartPlayer();
            ObjectWithListener();
            var clip = AudioClip.Create("short", 4800, 1, 48000, false);
            var (source, probe) = Speaker();
            source.clip = clip;
            source.Play();
            Player.RunFor(0.05);
            Assert.That(source.isPlaying, Is.True);
            Player.RunFor(0.1);
            Assert.That(source.isPlaying, Is.False);
            Assert.That(source.timeSamples, Is.EqualTo(0));
            var calls = probe.Lengths.Count;
            Player.RunFor(1);
            Assert.That(probe.Lengths.Count, Is.EqualTo(calls), "a source that is not playing runs no filter");
        }

        [Test]
        public void A_streamed_clip_reads_ahead_of_the_play_head_which_timeSamples_reports()
        {
            StartPlayer(new SimulatedPlayerOptions { StreamChunkFrames = 4096 });
            ObjectWithListener();
            var speech = Speech48k();
            var readerThreads = new HashSet<int>();
            var positions = new List<int>();
            var cursor = 0;
            long requested = 0;
            var clip = AudioClip.Create("voice", 48000 * 3, 1, 48000, true,
                data => { readerThreads.Add(Thread.CurrentThread.ManagedThreadId); requested += data.Length; for (var i = 0; i < data.Length; i++) data[i] = speech[cursor++]; },
                position => { positions.Add(position); cursor = position; });
            var (source, _) = Speaker();
            source.clip = clip;
            source.loop = true;
            var lead = new List<long>();
            var probe = new GameObject("Probe").AddComponent<FrameProbe>();
            probe.OnUpdate = () => lead.Add(requested - source.timeSamples);
            using (var heard = new HeardRecorder(Player))
            {
                source.Play();
                Player.RunFor(2);
                Assert.That(readerThreads, Is.EqualTo(new[] { Player.AudioThreadId }));
                Assert.That(lead.Skip(5).Min(), Is.GreaterThanOrEqualTo(1024), "the reader is always ahead of what was played by more than a block");
                Assert.That(source.timeSamples, Is.EqualTo((int)Player.AudioBlocks * 1024 % (48000 * 3)), "timeSamples counts rendered frames");
                var left = heard.ToArray().Where((v, i) => i % 2 == 0).ToArray();
                Assert.That(left, Is.EqualTo(speech.Take(left.Length).ToArray()), "what was read is what was heard, in order");
                Player.RunFor(1.5);
                Assert.That(positions, Is.EqualTo(new[] { 0, 0 }), "set-position on Play and when the loop wraps");
            }
        }

        [Test]
        public void A_reset_stops_every_source_and_raises_the_configuration_change()
        {
            StartPlayer();
            ObjectWithListener();
            var a = Speaker("A");
            var b = Speaker("B");
            a.source.Play();
            b.source.Play();
            var changes = new List<bool>();
            AudioSettings.AudioConfigurationChangeHandler handler = changed => changes.Add(changed);
            AudioSettings.OnAudioConfigurationChanged += handler;
            try
            {
                Player.RunFor(0.5);
                var config = AudioSettings.GetConfiguration();
                config.dspBufferSize = 512;
                Assert.That(AudioSettings.Reset(config), Is.True);
                Assert.That(a.source.isPlaying || b.source.isPlaying, Is.False, "every source stopped");
                var calls = a.probe.Lengths.Count;
                Player.RunFor(0.5);
                Assert.That(a.probe.Lengths.Count, Is.EqualTo(calls), "no filter call until the source plays again");
                a.source.Play();
                Player.RunFor(0.5);
                Assert.That(a.probe.Lengths.Last(), Is.EqualTo(1024), "512 frames x 2 after the reset");

                Player.ChangeOutputDevice(44100);
                Assert.That(a.source.isPlaying, Is.False);
                Assert.That(AudioSettings.outputSampleRate, Is.EqualTo(44100));
                Assert.That(changes, Is.EqualTo(new[] { false, true }), "Reset: false; a device change: true");
                a.source.Play();
                var before = a.probe.Lengths.Count;
                Player.RunFor(1);
                Assert.That(a.probe.Lengths.Count - before, Is.InRange(85, 87), "44100 / 512 = 86.1 blocks per second");
            }
            finally { AudioSettings.OnAudioConfigurationChanged -= handler; }
        }

        [Test]
        public void The_listener_hears_the_sum_of_the_playing_sources()
        {
            StartPlayer();
            ObjectWithListener();
            var a = Speaker("A");
            var b = Speaker("B");
            a.probe.Generate = i => 0.125f;
            b.probe.Generate = i => (i / 100) % 2 == 0 ? 0.25f : -0.25f;
            using (var heard = new HeardRecorder(Player))
            {
                a.source.Play();
                b.source.Play();
                Player.RunFor(0.25);
                var left = heard.ToArray().Where((v, i) => i % 2 == 0).ToArray();
                var expected = Enumerable.Range(0, left.Length).Select(i => 0.125f + ((i / 100) % 2 == 0 ? 0.25f : -0.25f)).ToArray();
                Assert.That(left, Is.EqualTo(expected));
                Assert.That(heard.SampleRate, Is.EqualTo(48000));
                var recent = new float[256];
                AudioListener.GetOutputData(recent, 0);
                Assert.That(recent, Is.EqualTo(left.Skip(left.Length - 256).ToArray()), "GetOutputData returns the newest output");
            }
        }

        [Test]
        public void Only_thread_safe_members_work_on_the_audio_thread()
        {
            StartPlayer();
            ObjectWithListener();
            var (source, probe) = Speaker();
            var outcomes = new Dictionary<string, string>();
            Player.AddMicrophone(new SimulatedMicrophone("Mic", new float[48000], 48000));
            Microphone.Start("Mic", true, 1, 48000);
            probe.Extra = (data, channels) =>
            {
                if (outcomes.Count > 0) return;
                Try(outcomes, "isPlaying", () => { var _ = source.isPlaying; });
                Try(outcomes, "outputSampleRate", () => { var _ = AudioSettings.outputSampleRate; });
                Try(outcomes, "Time.time", () => { var _ = Time.time; });
                Try(outcomes, "timeSamples", () => { var _ = source.timeSamples; });
                Try(outcomes, "dspTime", () => { var _ = AudioSettings.dspTime; });
                Try(outcomes, "GetPosition", () => Microphone.GetPosition("Mic"));
            };
            source.Play();
            Player.RunFor(0.1);
            Assert.That(outcomes["isPlaying"], Does.StartWith("UnityException: get_isPlaying can only be called from the main thread."));
            Assert.That(outcomes["outputSampleRate"], Does.StartWith("UnityException: get_outputSampleRate can only be called from the main thread."));
            Assert.That(outcomes["Time.time"], Does.StartWith("UnityException: get_time can only be called from the main thread."));
            Assert.That(outcomes["timeSamples"], Is.EqualTo("ok"));
            Assert.That(outcomes["dspTime"], Is.EqualTo("ok"));
            Assert.That(outcomes["GetPosition"], Is.EqualTo("ok"));
        }

        [Test]
        public void The_configuration_is_the_players_device()
        {
            StartPlayer(new SimulatedPlayerOptions { OutputSampleRate = 44100, DspBufferSize = 512, NumBuffers = 2, SpeakerMode = AudioSpeakerMode.Mono });
            AudioSettings.GetDSPBufferSize(out var length, out var buffers);
            Assert.That((length, buffers), Is.EqualTo((512, 2)));
            var c = AudioSettings.GetConfiguration();
            Assert.That((c.sampleRate, c.dspBufferSize, c.speakerMode), Is.EqualTo((44100, 512, AudioSpeakerMode.Mono)));
            Assert.That(AudioSettings.outputSampleRate, Is.EqualTo(44100));
            ObjectWithListener();
            var (source, probe) = Speaker();
            source.Play();
            Player.RunFor(1);
            Assert.That(probe.Channels.Distinct(), Is.EqualTo(new[] { 1 }), "mono speaker mode: one channel");
            Assert.That(probe.Lengths.Distinct(), Is.EqualTo(new[] { 512 }));
            Assert.That(AudioSettings.dspTime, Is.EqualTo(87 * 512 / 44100.0).Within(1e-12), "44100 / 512 = 86.1: 87 blocks by t = 1 s");
        }

        [Test]
        public void The_output_clock_can_run_off_the_virtual_clock()
        {
            StartPlayer(new SimulatedPlayerOptions { OutputClockDrift = 0.002 });
            Player.RunFor(100);
            // 100 s on a clock 0.2 % fast renders 0.2 % more audio: dspTime runs ahead of game time.
            Assert.That(AudioSettings.dspTime / Player.Now, Is.EqualTo(1.002).Within(0.0001));
        }

        [Test]
        public void Pause_seek_and_disable_behave_as_Unitys_sources_do()
        {
            StartPlayer();
            ObjectWithListener();
            var clip = AudioClip.Create("long", 48000 * 10, 1, 48000, false);
            var (source, probe) = Speaker();
            source.clip = clip;
            source.timeSamples = 48000;   // set before Play: playback starts there
            source.Play();
            Player.RunFor(0.5);
            Assert.That(source.timeSamples, Is.EqualTo(48000 + 24 * 1024), "24 blocks rendered by 0.5 s");
            source.Pause();
            Assert.That(source.isPlaying, Is.False);
            var paused = source.timeSamples;
            Player.RunFor(0.5);
            Assert.That(source.timeSamples, Is.EqualTo(paused));
            source.UnPause();
            Player.RunFor(0.1);
            Assert.That(source.timeSamples, Is.GreaterThan(paused));

            var calls = probe.Lengths.Count;
            probe.enabled = false;
            Player.RunFor(0.5);
            Assert.That(probe.Lengths.Count, Is.EqualTo(calls), "a disabled filter is not called");
            probe.enabled = true;
            source.enabled = false;
            Assert.That(source.isPlaying, Is.False, "disabling the source stops it");
            Player.RunFor(0.5);
            Assert.That(probe.Lengths.Count, Is.EqualTo(calls));
            SimulatedConsole.Clear();
            source.Play();
            Assert.That(source.isPlaying, Is.False);
            Assert.That(SimulatedConsole.Snapshot(), Does.Contain("Warning: Can not play a disabled audio source"));
            source.enabled = true;   // playOnAwake with a clip: enabling plays it again
            Assert.That(source.isPlaying, Is.True);
            Player.RunFor(0.1);
            source.Play();   // Play on a playing source restarts from the start
            Assert.That(source.timeSamples, Is.EqualTo(0));
        }

        [Test]
        public void Listener_volume_scales_clips_before_the_filter_and_not_a_generator()
        {
            StartPlayer();
            ObjectWithListener();
            AudioListener.volume = 0.5f;
            var ones = AudioClip.Create("ones", 48000, 1, 48000, false);
            ones.SetData(Enumerable.Repeat(1f, 48000).ToArray(), 0);
            var withClip = Speaker("Clip");
            withClip.source.clip = ones;
            var generator = Speaker("Generator");
            generator.probe.Generate = i => 0.25f;
            using (var heard = new HeardRecorder(Player))
            {
                withClip.source.Play();
                generator.source.Play();
                Player.RunFor(0.1);
                Assert.That(withClip.probe.Inputs[0].Distinct(), Is.EqualTo(new[] { 0.5f }), "the filter sees the clip after listener volume (uLipSync #55)");
                Assert.That(heard.ToArray().Distinct(), Is.EqualTo(new[] { 0.75f }), "0.5 from the clip + 0.25 generated, unscaled");
            }
        }

        static void Try(Dictionary<string, string> outcomes, string name, Action action)
        {
            try { action(); outcomes[name] = "ok"; }
            catch (Exception e) { outcomes[name] = e.GetType().Name + ": " + e.Message; }
        }
    }
}
