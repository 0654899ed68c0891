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
        static float[] Speech48k() => TestWav.Read(PackagePaths.Fixture("audio", "conversation", "user-turns-48k.wav")).Samples;

        /// <summary>The fixture's first question (0.8–2.9 s), then silence: one turn, no barge-in.</summary>
        static float[] FirstQuestion()
        {
            var all = Speech48k();
            var x = new float[48000 * 12];
            Array.Copy(all, x, 48000 * 4);
            return x;
        }

        static double Rms(float[] x, int from, int count, int stride)
        {
            double s = 0;
            for (var i = 0; i < count; i++) { var v = x[(from + i) * stride]; s += v * (double)v; }
            return Math.Sqrt(s / Math.Max(1, count));
        }

        /// <summary>First and last frame of the left channel louder than −50 dBFS.</summary>
        static (int first, int last) Audible(float[] interleaved, int channels)
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
    }
}
