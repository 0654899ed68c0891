using System;
using System.Linq;
using NUnit.Framework;
using Parley.Servers.OpenAI;
using Parley.Session;
using Parley.Simulation;
using Parley.Tests.Support;
using Parley.Unity.Agent;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>VoiceAgent on a GameObject in the simulated player, talking to the OpenAI emulator over loopback.</summary>
    public class VoiceAgentTests
    {
        static float[] FirstQuestion() => AgentScene.FirstQuestion();

        static double Rms(float[] x, int from, int count, int stride)
        {
            double s = 0;
            for (var i = 0; i < count; i++) { var v = x[(from + i) * stride]; s += v * (double)v; }
            return Math.Sqrt(s / Math.Max(1, count));
        }

        /// <summary>First and last frame of the left channel louder than −50 dBFS.</summary>
        internal static (int first, int last) Audible(float[] interleaved, int channels)
        {
            int first = -1, last = -1;
            for (var f = 0; f < interleaved.Length / channels; f++)
                if (Math.Abs(interleaved[f * channels]) > 0.00316) { if (first < 0) first = f; last = f; }
            return (first, last);
        }

        [Test]
        public void An_agent_on_a_GameObject_hears_the_microphone_and_its_reply_is_heard_by_the_AudioListener()
        {
            using (var scene = new AgentScene(FirstQuestion(), new OpenAIRealtimeEmulatorOptions { UserTranscripts = new[] { "Can you sharpen my sword before sunset?" } }))
            using (var heard = new HeardRecorder(scene.Player))
            {
                scene.Agent.StartOnEnable = true;
                scene.Npc.SetActive(true);
                Assert.That(scene.RunUntil(() => scene.Of<TurnCompleted>().Count >= 1, 30), Is.True, string.Join(" ", scene.Events.Select(e => e.Name)));
                scene.RunUntil(() => false, 0.5);

                var clip = scene.Emulator.Clips["npc-greeting"];
                var user = scene.Of<UserTranscriptEvent>().Where(u => u.IsFinal).Select(u => u.Text);
                Assert.That(user.First(), Is.EqualTo("Can you sharpen my sword before sunset?"));
                Assert.That(scene.Of<AgentTranscriptEvent>().First(a => a.IsFinal).Text, Is.EqualTo(OpenAIRealtimeEmulator.DefaultReplyTexts["npc-greeting"]));

                // What the listener heard: the reply, once, at the clip's level, through the agent's AudioSource.
                var output = heard.ToArray();
                var (first, last) = Audible(output, heard.Channels);
                Assert.That(first, Is.GreaterThan(0));
                var heardMs = (last - first + 1) * 1000.0 / heard.SampleRate;
                var clipAudible = clip.Select(v => v / 32768f).ToArray();
                var (cf, cl) = Audible(clipAudible, 1);
                var clipMs = (cl - cf + 1) * 1000.0 / 24000;
                TestContext.WriteLine($"heard {heardMs:0.0} ms of reply, clip {clipMs:0.0} ms");
                Assert.That(heardMs, Is.EqualTo(clipMs).Within(25), "the whole reply, once (±25 ms: resampler edges)");
                var heardDb = 20 * Math.Log10(Rms(output, first, last - first + 1, heard.Channels));
                var clipDb = 20 * Math.Log10(Rms(clipAudible, cf, cl - cf + 1, 1));
                TestContext.WriteLine($"heard {heardDb:0.00} dBFS, clip {clipDb:0.00} dBFS");
                Assert.That(heardDb, Is.EqualTo(clipDb).Within(0.2), "2D source at volume 1: the carrier passes the voice unchanged");

                Assert.That(scene.Player.Exceptions, Is.Empty);
                Assert.That(scene.Agent.Session.RefusedTransitions, Is.Zero);
                Assert.That(scene.TokenRequests, Is.EqualTo(1), "the token source was asked for the connection");
            }
        }
    

        internal static AgentScene SpeakingScene(float[] input = null, SimulatedPlayerOptions player = null)
        {
            var scene = new AgentScene(input ?? FirstQuestion(), new OpenAIRealtimeEmulatorOptions { UserTranscripts = new[] { "Can you sharpen my sword before sunset?" } }, player);
            scene.Agent.StartOnEnable = true;
            scene.Npc.SetActive(true);
            Assert.That(scene.RunUntil(() => scene.Agent.State == SessionState.AgentSpeaking, 30), Is.True, string.Join(" ", scene.Events.Select(e => e.Name)));
            scene.RunUntil(() => false, 0.5);   // half a second of the reply
            return scene;
        }

        internal static void AssertReleased(AgentScene scene)
        {
            Assert.That(scene.Agent.Session, Is.Null, "the session is gone");
            var live = scene.Providers.Skip(1).ToList();   // [0] is the capability probe
            Assert.That(live, Is.Not.Empty);
            Assert.That(live.All(p => p.Disposed >= 1), Is.True, "every provider disposed");
            Assert.That(live.All(p => !p.IsConnected), Is.True, "no socket open");
            Assert.That(scene.Agent.Voice == null || scene.Agent.Voice.Speaker == null, Is.True, "the playout is released");
        }

        [Test]
        public void Disabling_mid_reply_releases_the_socket_at_once_and_enabling_starts_a_new_conversation()
        {
            using (var scene = SpeakingScene())
            using (var heard = new HeardRecorder(scene.Player))
            {
                scene.Agent.enabled = false;
                AssertReleased(scene);
                scene.RunUntil(() => false, 0.5);
                var after = heard.ToArray();
                var tail = after.Skip(after.Length - heard.Channels * 4800).ToArray();
                Assert.That(tail.All(v => v == 0f), Is.True, "silent after the disable");
                Assert.That(scene.Player.Exceptions, Is.Empty);

                scene.Agent.enabled = true;   // starts on enable: a fresh connection that works
                Assert.That(scene.RunUntilConnected(() => scene.Agent.State == SessionState.Listening), Is.True);
                Assert.That(scene.TokenRequests, Is.EqualTo(2), "a new token for the new connection");
                Assert.That(scene.Emulator.Connections, Is.EqualTo(2));
            }
        }

        [Test]
        public void Destroying_the_agent_mid_reply_releases_the_socket_and_the_voice()
        {
            using (var scene = SpeakingScene())
            {
                UnityEngine.Object.Destroy(scene.Npc);
                scene.Player.RunFrames(1);   // Destroy runs at the end of the frame
                Assert.That(scene.Npc == null, Is.True);
                AssertReleased(scene);
                Assert.That(scene.Player.Exceptions, Is.Empty);
            }
        }

        [Test]
        public void Quitting_mid_reply_releases_the_socket()
        {
            using (var scene = SpeakingScene())
            {
                scene.Player.Quit();
                AssertReleased(scene);
                Assert.That(scene.Player.Exceptions, Is.Empty);
            }
        }

        [Test]
        public void Interrupt_cuts_the_reply_at_what_was_heard()
        {
            using (var scene = SpeakingScene())
            using (var heard = new HeardRecorder(scene.Player))
            {
                var voice = scene.Agent.Voice;
                scene.Agent.Interrupt();
                Assert.That(scene.RunUntil(() => scene.Of<Interrupted>().Count == 1, 5), Is.True);
                scene.RunUntil(() => false, 0.3);
                var e = scene.Of<Interrupted>().Single();
                var rendered = voice.Speaker.PlayedMs(e.ItemId);
                TestContext.WriteLine($"played {e.PlayedMs} ms (rendered {rendered} ms, output latency {voice.OutputLatencyMs} ms), heard text '{e.HeardText}'");
                Assert.That(e.PlayedMs, Is.EqualTo(rendered - voice.OutputLatencyMs).Within(30), "the cursor is what was rendered minus the reported output latency");
                Assert.That(e.PlayedMs, Is.InRange(300, 800), "about half a second of the reply had been heard");
                var full = OpenAIRealtimeEmulator.DefaultReplyTexts["npc-greeting"];
                Assert.That(e.HeardText.Length, Is.LessThan(full.Length));
                var output = heard.ToArray();
                var tail = output.Skip(output.Length - heard.Channels * 9600).ToArray();
                Assert.That(tail.All(v => v == 0f), Is.True, "silent after the fade");
            }
        }

        /// <summary>
        /// The played cursor checked against the player's configuration and the listener, not against the code under
        /// test: a 512-frame DSP buffer × 3 buffers at 48 kHz is 32 ms of output latency (computed here from those
        /// numbers), and the cursor the Interrupted event carries is what the AudioListener had heard of the reply when
        /// Interrupt was called (the heard recording, from the reply's onset; the simulated listener hears a block when
        /// it is mixed) minus that latency, within one DSP block.
        /// </summary>
        [Test]
        public void The_played_cursor_is_what_the_listener_heard_less_the_configured_output_latency()
        {
            const int dspBuffer = 512, buffers = 3, outputRate = 48000;
            var options = new SimulatedPlayerOptions { Seed = 5, DspBufferSize = dspBuffer, NumBuffers = buffers, OutputSampleRate = outputRate };
            using (var scene = new AgentScene(FirstQuestion(), new OpenAIRealtimeEmulatorOptions { UserTranscripts = new[] { "Can you sharpen my sword before sunset?" } }, options))
            using (var heard = new HeardRecorder(scene.Player))
            {
                scene.Agent.StartOnEnable = true;
                scene.Npc.SetActive(true);
                Assert.That(scene.RunUntil(() => scene.Agent.State == SessionState.AgentSpeaking, 30), Is.True, string.Join(" ", scene.Events.Select(e => e.Name)));
                scene.RunUntil(() => false, 0.5);
                var voice = scene.Agent.Voice;
                var expectedLatencyMs = dspBuffer * buffers * 1000.0 / outputRate;
                Assert.That(voice.OutputLatencyMs, Is.EqualTo(expectedLatencyMs).Within(0.5), "DSP buffer × buffers at the output rate (32 ms)");

                var atEvent = heard.ToArray();   // what the listener had heard when the player cut the agent off
                var expanded = voice.Speaker.Buffer.Expanded - voice.Speaker.Buffer.Accelerated;
                scene.Agent.Interrupt();
                Assert.That(scene.RunUntil(() => scene.Of<Interrupted>().Count == 1, 5), Is.True);
                var e = scene.Of<Interrupted>().Single();

                // The clip's leading silence is played (the cursor counts it) but not audible: add it back.
                var clip = scene.Emulator.Clips["npc-greeting"].Select(v => v / 32768f).ToArray();
                var leadMs = Audible(clip, 1).first * 1000.0 / 24000;
                var onset = Audible(atEvent, heard.Channels).first;
                Assert.That(onset, Is.GreaterThan(0));
                var heardMs = (atEvent.Length / heard.Channels - onset) * 1000.0 / heard.SampleRate + leadMs;
                var blockMs = dspBuffer * 1000.0 / outputRate;
                TestContext.WriteLine($"cursor {e.PlayedMs} ms; heard {heardMs:0.0} ms of the reply (lead {leadMs:0.0} ms) − {expectedLatencyMs:0.0} ms latency = {heardMs - expectedLatencyMs:0.0} ms; block {blockMs:0.0} ms; time-stretch net {expanded} samples");
                Assert.That(heard.SampleRate, Is.EqualTo(outputRate));
                Assert.That(e.PlayedMs, Is.EqualTo(heardMs - expectedLatencyMs).Within(blockMs), "what the listener heard, less the configured output latency, within one DSP block");
                Assert.That(scene.Player.Exceptions, Is.Empty);
            }
        }

        [Test]
        public void A_device_change_mid_reply_restarts_the_source_and_loses_no_audio()
        {
            using (var scene = SpeakingScene())
            using (var heard = new HeardRecorder(scene.Player))
            {
                scene.Player.ChangeOutputDevice(48000);
                Assert.That(scene.RunUntil(() => scene.Of<TurnCompleted>().Count >= 1, 10), Is.True);
                scene.RunUntil(() => false, 0.3);
                Assert.That(scene.Agent.Voice.Restarts, Is.EqualTo(1));
                var output = heard.ToArray();
                var (first, last) = Audible(output, heard.Channels);
                var clip = scene.Emulator.Clips["npc-greeting"];
                var restMs = (last - first + 1) * 1000.0 / heard.SampleRate;
                TestContext.WriteLine($"after the change: {restMs:0.0} ms of the {clip.Length / 24.0:0.0} ms reply");
                Assert.That(restMs, Is.InRange(clip.Length / 24.0 - 1000, clip.Length / 24.0 - 400), "the rest of the reply after ~0.5 s");
                // The restart fades in: the first 2 ms after the change are at most a fifth of the reply's peak.
                var peak = output.Where((v, i) => i % heard.Channels == 0).Max(v => Math.Abs(v));
                var start = output.Take(heard.Channels * 96).Where((v, i) => i % heard.Channels == 0).Max(v => Math.Abs(v));
                Assert.That(start, Is.LessThanOrEqualTo(peak * 0.2f));
                Assert.That(scene.Player.Exceptions, Is.Empty);
            }
        }
    }
}
