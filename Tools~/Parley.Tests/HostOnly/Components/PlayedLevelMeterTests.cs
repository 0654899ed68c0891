using System;
using NUnit.Framework;
using Parley.Editor.Inspectors;
using Parley.Tests.Simulation;
using Parley.Unity.Voice;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>The inspector's output meter on an AgentVoice rendering in the simulated player.</summary>
    public class PlayedLevelMeterTests : SimulationFixture
    {
        [Test]
        public void The_meter_reads_the_rms_of_the_played_reply_and_silence_after_it()
        {
            StartPlayer();
            ObjectWithListener();
            var voice = new GameObject("NPC").AddComponent<AgentVoice>();
            voice.Attach(24000);
            var meter = new PlayedLevelMeter();
            voice.AddPlayedListener(meter);
            Player.RunFor(0.2);
            Assert.That(meter.Take(), Is.LessThan(-90f), "nothing queued: silence");
            var tone = new short[24000 * 2];
            for (var i = 0; i < tone.Length; i++) tone[i] = (short)Math.Round(0.3 * 32767 * Math.Sin(2 * Math.PI * 440 * i / 24000.0));
            voice.Write("item", tone);
            voice.EndItem("item");
            Player.RunFor(0.5);
            meter.Take();
            Player.RunFor(0.5);
            // A 0.3-amplitude sine has an RMS of 0.3/sqrt(2): 20*log10(0.2121) = -13.47 dBFS.
            Assert.That(meter.Take(), Is.EqualTo(-13.47f).Within(0.3f));
            Player.RunFor(1.5);
            meter.Take();
            Player.RunFor(0.2);
            Assert.That(meter.Take(), Is.LessThan(-90f), "the reply ended");
            voice.RemovePlayedListener(meter);
        }
    }
}
