using System;
using NUnit.Framework;
using Parley.Editor.Inspectors;
using Parley.Session;

namespace Parley.Tests.Editor.Inspectors
{
    public class AgentLiveViewTests
    {
        static float[] Sine(float amplitude, int n = 4800)
        {
            var x = new float[n];
            for (var i = 0; i < n; i++) x[i] = amplitude * (float)Math.Sin(2 * Math.PI * 440 * i / 48000.0);
            return x;
        }

        [Test]
        public void Input_meter_shows_the_rms_level_and_falls_back_at_the_release_rate()
        {
            var view = new AgentLiveView();
            view.OnInput(Sine(0.5f), 0.0);
            // A sine's RMS is A/sqrt(2): 20*log10(0.5/sqrt(2)) = -9.03 dBFS.
            Assert.That(view.InputDbfs, Is.EqualTo(-9.03f).Within(0.05f));
            view.OnInput(new float[480], 0.5);
            Assert.That(view.InputDbfs, Is.EqualTo(-9.03f - 0.5f * AgentLiveView.ReleaseDbPerSecond).Within(0.05f), "silence: the meter falls, not drops");
            view.OnInput(new float[480], 10.0);
            Assert.That(view.InputDbfs, Is.EqualTo(AgentLiveView.FloorDbfs));
            view.OnInput(Sine(1e-6f), 10.1);
            Assert.That(view.InputDbfs, Is.EqualTo(AgentLiveView.FloorDbfs), "below the floor shows as the floor");
        }

        [Test]
        public void Output_meter_takes_the_voice_level_and_clamps_nonsense()
        {
            var view = new AgentLiveView();
            view.OnOutputLevel(-20f, 1.0);
            Assert.That(view.OutputDbfs, Is.EqualTo(-20f));
            view.OnOutputLevel(float.NegativeInfinity, 1.1);
            Assert.That(view.OutputDbfs, Is.EqualTo(-22f).Within(1e-4f));
            view.OnOutputLevel(float.NaN, 1.2);
            Assert.That(view.OutputDbfs, Is.EqualTo(-24f).Within(1e-4f));
            view.OnOutputLevel(6f, 1.3);
            Assert.That(view.OutputDbfs, Is.EqualTo(0f));
        }

        [Test]
        public void Partial_transcripts_grow_and_the_final_text_replaces_them()
        {
            var view = new AgentLiveView(capacity: 3);
            view.OnState(SessionState.UserSpeaking);
            view.OnUserTranscript("How much ", false);
            view.OnAgentTranscript("Wel", false);
            view.OnUserTranscript("is the sword?", false);
            Assert.That(view.Lines[0].Text, Is.EqualTo("How much is the sword?"));
            Assert.That(view.Lines[0].Final, Is.False);
            view.OnUserTranscript("How much is that sword?", true);
            view.OnAgentTranscript("Welcome, traveller.", true);
            Assert.That(view.Lines[0].Text, Is.EqualTo("How much is that sword?"));
            Assert.That(view.Lines[1].Speaker, Is.EqualTo("Agent"));
            Assert.That(view.Lines[1].Text, Is.EqualTo("Welcome, traveller."));
            view.OnUserTranscript("Thanks.", true);
            view.OnAgentTranscript("Ten gold.", true);
            Assert.That(view.Lines.Count, Is.EqualTo(3), "only the last lines are kept");
            Assert.That(view.Lines[2].Text, Is.EqualTo("Ten gold."));
            Assert.That(view.State, Is.EqualTo(SessionState.UserSpeaking));
        }

        [Test]
        public void The_text_meter_fills_in_proportion_to_the_level()
        {
            Assert.That(AgentLiveView.Bar(-30f), Does.StartWith(new string('█', 10) + new string('░', 10)));
            Assert.That(AgentLiveView.Bar(-30f), Does.EndWith("-30 dBFS"));
            Assert.That(AgentLiveView.Bar(-80f), Does.EndWith("silent"));
            Assert.That(AgentLiveView.Bar(0f), Does.StartWith(new string('█', 20)));
        }
    }
}
