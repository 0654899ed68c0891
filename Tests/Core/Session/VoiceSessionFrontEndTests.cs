using System;
using System.Threading;
using NUnit.Framework;
using Parley.Providers;
using Parley.Session;
using Parley.Tests.Session.Support;
using Parley.Tests.Support;

namespace Parley.Tests.Session
{
    public class VoiceSessionFrontEndTests
    {
        /// <summary>Real speech with silence around it, fed in 20 ms blocks as a capture tick would.</summary>
        static void Feed(VoiceSession s, float[] audio, int rate)
        {
            var block = rate / 50;
            for (var i = 0; i < audio.Length; i += block)
                s.SubmitCapture(new ReadOnlySpan<float>(audio, i, Math.Min(block, audio.Length - i)));
        }

        static float[] SpeechWithSilence(string id, int rate)
        {
            var speech = TestWav.Speech(id, rate).Samples;
            var x = new float[speech.Length + rate]; // 500 ms before, 500 ms after
            Array.Copy(speech, 0, x, rate / 2, speech.Length);
            return x;
        }

        [Test]
        public void LocalVadTurnsBecomeManualTurnsAtTheProvider()
        {
            var server = new ScriptedServer();
            var frontEnd = new EnergyGateFrontEnd(24000);
            var s = new VoiceSession(server.Create, new VoiceSessionOptions { TurnTaking = TurnTaking.LocalVad, Loop = SessionLoop.Inline }, new InlineDispatcher(), new FakeSpeaker(24000), frontEnd);
            server.Settle = s.RunPending; // an Inline host pumps: what the session queued and the player's audio
            Assert.That(s.StartAsync(CancellationToken.None).Wait(TimeSpan.FromSeconds(10)), Is.True);
            Assert.That(frontEnd.ConfiguredRate, Is.EqualTo(24000));
            Assert.That(server.Current.Config.TurnDetection.Mode, Is.EqualTo(TurnDetectionMode.Manual));
            var audio = SpeechWithSilence("npc-quest", 24000);
            Feed(s, audio, 24000);
            var p = server.Current;
            Assert.That(server.WaitFor(() => p.SentSamples == audio.Length && p.CallsSnapshot().Contains("end_turn")), Is.True);
            var calls = p.CallsSnapshot();
            Assert.That(calls.FindAll(c => c == "start_turn").Count, Is.EqualTo(1), string.Join(",", calls));
            Assert.That(calls.FindAll(c => c == "end_turn").Count, Is.EqualTo(1));
            Assert.That(s.State, Is.EqualTo(SessionState.AgentThinking));
            s.Dispose();
        }

        [Test]
        public void LocalVadCutsTheAgentOffBeforeTheServerNotices()
        {
            var server = new ScriptedServer();
            var frontEnd = new EnergyGateFrontEnd(24000);
            var speaker = new FakeSpeaker(24000);
            var s = new VoiceSession(server.Create, new VoiceSessionOptions { Loop = SessionLoop.Inline }, new InlineDispatcher(), speaker, frontEnd);
            var interrupted = new System.Collections.Generic.List<Interrupted>();
            s.EventRaised += e => { if (e is Interrupted i) interrupted.Add(i); };
            Assert.That(s.StartAsync(CancellationToken.None).Wait(TimeSpan.FromSeconds(10)), Is.True);
            var p = server.Current;
            p.Raise(new UserSpeechStopped { ItemId = "u1" });
            p.Raise(new ResponseStarted { ResponseId = "r1" });
            p.Audio("a1", SessionFixture.Speech("npc-price"));
            speaker.Render(700);
            s.Tick();
            Assert.That(s.State, Is.EqualTo(SessionState.AgentSpeaking));
            Feed(s, SpeechWithSilence("npc-greeting", 24000), 24000);
            Assert.That(interrupted.Count, Is.EqualTo(1));
            Assert.That(interrupted[0].Source, Is.EqualTo(InterruptionSource.LocalVad));
            Assert.That(interrupted[0].PlayedMs, Is.EqualTo(700));
            Assert.That(server.WaitFor(() => p.Interrupts.Count == 1), Is.True);
            Assert.That(p.Interrupts[0].PlayedMs, Is.EqualTo(700));
            s.Dispose();
        }
    }
}
