using NUnit.Framework;
using Parley.Audio;
using Parley.Unity.Audio;
using UnityEngine;

namespace Parley.Tests.Unity
{
    public class EngineAudioTests
    {
        int _rate;
        AudioSpeakerMode _mode;

        [SetUp]
        public void Remember()
        {
            _rate = AudioSettings.outputSampleRate;
            _mode = AudioSettings.speakerMode;
        }

        [TearDown]
        public void Restore()
        {
            AudioSettings.outputSampleRate = _rate;
            AudioSettings.speakerMode = _mode;
        }

        [TestCase(AudioSpeakerMode.Mono, 1)]
        [TestCase(AudioSpeakerMode.Stereo, 2)]
        [TestCase(AudioSpeakerMode.Quad, 4)]
        [TestCase(AudioSpeakerMode.Surround, 5)]
        [TestCase(AudioSpeakerMode.Mode5point1, 6)]
        [TestCase(AudioSpeakerMode.Mode7point1, 8)]
        [TestCase(AudioSpeakerMode.Prologic, 2)]
        public void Speaker_modes_map_to_interleaved_channels(AudioSpeakerMode mode, int channels)
        {
            Assert.That(EngineAudio.ChannelsOf(mode), Is.EqualTo(channels));
        }

        [Test]
        public void Output_format_follows_the_mixer_settings()
        {
            AudioSettings.outputSampleRate = 44100;
            AudioSettings.speakerMode = AudioSpeakerMode.Mode5point1;
            Assert.That(EngineAudio.OutputFormat, Is.EqualTo(new AudioFormat(44100, 6)));
        }
    }
}
