using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Parley.Providers;
using Parley.Servers.OpenAI;
using Parley.Session;
using Parley.Tests.Session.Support;

namespace Parley.Tests.Components
{
    /// <summary>
    /// <see cref="Parley.Unity.Agent.VoiceAgent.Muted"/>: the player says the same question twice, muted the
    /// first time and unmuted the second. Every PCM sample the agent hands its provider is counted.
    /// </summary>
    public class VoiceAgentMuteTests
    {
        /// <summary>Counts what goes to the provider: every sample, and the loud ones (speech, not the −60 dBFS floor or silence).</summary>
        sealed class CountingProvider : ForwardingProvider
        {
            public const short Loud = 1638;   // −26 dBFS
            public long Samples, LoudSamples;
            public CountingProvider(IVoiceProvider inner) : base(inner) { }
            public override ValueTask SendAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken ct)
            {
                var loud = 0;
                foreach (var s in pcm.Span) if (Math.Abs((int)s) > Loud) loud++;
                Interlocked.Add(ref Samples, pcm.Length);
                Interlocked.Add(ref LoudSamples, loud);
                return base.SendAudioAsync(pcm, ct);
            }
        }

        [Test]
        public void While_muted_no_speech_reaches_the_provider_after_unmuting_it_does_and_nothing_captured_while_muted_is_sent_later()
        {
            var question = AgentScene.FirstQuestion().Take(48000 * 4).ToArray();   // speech at 0.8–2.9 s
            const int rate = 48000;
            var speechStart = rate;                       // 1 s of silence, the question (muted),
            var gapStart = speechStart + question.Length; // 3 s of silence (unmuted in it), the question again, 2 s of silence
            var secondStart = gapStart + 3 * rate;
            var input = new float[secondStart + question.Length + 2 * rate];
            Array.Copy(question, 0, input, speechStart, question.Length);
            Array.Copy(question, 0, input, secondStart, question.Length);
            var loudInQuestion = question.Count(v => Math.Abs(v) * 32767 > CountingProvider.Loud);
            Assert.That(loudInQuestion, Is.GreaterThan(rate / 2), "the question is speech");

            using (var scene = new AgentScene(input, new OpenAIRealtimeEmulatorOptions { UserTranscripts = new[] { "Can you sharpen my sword before sunset?" } }))
            {
                CountingProvider sent = null;
                var makeTracked = scene.Agent.ProviderFactory;
                scene.Agent.ProviderFactory = cred =>
                {
                    var p = new CountingProvider(makeTracked(cred));
                    sent = p;   // the last one made is the conversation's (the first is the capability probe)
                    return p;
                };
                scene.Agent.Muted = true;
                scene.Agent.StartOnEnable = true;
                scene.Npc.SetActive(true);
                Assert.That(scene.RunUntilConnected(() => scene.Agent.State == SessionState.Listening), Is.True, string.Join(" ", scene.Events.Select(e => e.Name)));
                Assert.That(scene.Capture.FramesCaptured, Is.LessThan(speechStart), "connected before the player spoke");

                // Muted through the whole first question and half the gap after it.
                Assert.That(scene.RunUntil(() => scene.Capture.FramesCaptured >= gapStart + rate / 2, 30), Is.True);
                scene.Agent.Session.RunPending();
                Assert.That(scene.Capture.FramesCaptured, Is.LessThan(secondStart), "unmuted before the second question");
                var mutedSamples = Interlocked.Read(ref sent.Samples);
                Assert.That(mutedSamples, Is.GreaterThan((long)(gapStart - speechStart) / 2 * 8 / 10), "the provider heard (silent) audio all along");
                Assert.That(Interlocked.Read(ref sent.LoudSamples), Is.EqualTo(0), "no speech while muted");
                Assert.That(scene.Of<UserSpeechStartedEvent>(), Is.Empty, "the provider heard no speech");
                Assert.That(scene.Of<UserTranscriptEvent>(), Is.Empty);

                scene.Agent.Muted = false;
                Assert.That(scene.RunUntil(() => scene.Capture.FramesCaptured >= input.Length, 30), Is.True);
                Assert.That(scene.RunUntil(() => scene.Of<UserTranscriptEvent>().Any(u => u.IsFinal), 30), Is.True, string.Join(" ", scene.Events.Select(e => e.Name)));
                scene.Agent.Session.RunPending();

                // The second question reached the provider once, at its 24 kHz rate; the muted one never did.
                var loud = Interlocked.Read(ref sent.LoudSamples);
                var expected = loudInQuestion / 2.0;
                TestContext.WriteLine($"loud samples sent {loud}, one question at 24 kHz ~{expected:0}; all samples while muted {mutedSamples}");
                Assert.That(loud, Is.InRange(expected * 0.8, expected * 1.2), "the unmuted question once, and nothing of the muted one");
                Assert.That(scene.Of<UserSpeechStartedEvent>(), Is.Not.Empty);
                Assert.That(scene.Player.Exceptions, Is.Empty);
            }
        }
    }
}
