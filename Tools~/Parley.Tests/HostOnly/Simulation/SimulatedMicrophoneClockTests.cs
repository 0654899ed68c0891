using NUnit.Framework;
using Parley.Simulation;
using UnityEngine;

namespace Parley.Tests.Simulation
{
    /// <summary>SimulatedMicrophone.InputOnPlayerClock: a re-started recording hears the room from now, not its input's start.</summary>
    public class SimulatedMicrophoneClockTests : SimulationFixture
    {
        /// <summary>Unplug at 1 s, re-plug at 2 s, Microphone.Start again at 2.5 s; the first 0.3 s of the new clip.</summary>
        static float[] SecondRecording(SimulatedPlayer player, SimulatedMicrophone mic)
        {
            Microphone.Start("USB Mic", true, 1, 48000);
            player.At(1.0, mic.Unplug);
            player.At(2.0, mic.Replug);
            AudioClip clip = null;
            player.At(2.5, () => clip = Microphone.Start("USB Mic", true, 1, 48000));
            player.RunFor(2.8);
            Assert.That(Microphone.GetPosition("USB Mic"), Is.EqualTo(14400), "0.3 s recorded since the restart");
            var got = new float[14400];
            Assert.That(clip.GetData(got, 0), Is.True);
            return got;
        }

        [Test]
        public void On_the_player_clock_a_restarted_recording_hears_the_input_from_the_restart_time()
        {
            StartPlayer();
            var speech = Speech48k();
            var mic = Player.AddMicrophone(new SimulatedMicrophone("USB Mic", speech, 48000) { InputOnPlayerClock = true });
            var got = SecondRecording(Player, mic);
            // Started at 2.5 s: the clip's frame k is the input's frame 120000 + k, sample for sample (same rate).
            for (var k = 0; k < got.Length; k++) Assert.That(got[k], Is.EqualTo(speech[120000 + k]), "frame " + k);
        }

        [Test]
        public void By_default_a_restarted_recording_hears_the_input_from_its_beginning()
        {
            StartPlayer();
            var speech = Speech48k();
            var mic = Player.AddMicrophone(new SimulatedMicrophone("USB Mic", speech, 48000));
            var got = SecondRecording(Player, mic);
            for (var k = 0; k < got.Length; k++) Assert.That(got[k], Is.EqualTo(speech[k]), "frame " + k);
        }
    }
}
