using System;
using System.IO;
using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Cli
{
    /// <summary>
    /// `parley aec` as a real process on a synthesised echo scene (EchoScenes: the agent's speech through a synthetic
    /// room, noise, a player clip): ERLE measured on the output file, and the output aligned with the microphone.
    /// </summary>
    public class CliAecTests
    {
        const int MicRate = 16000;
        const int NearAt = 7 * MicRate;
        string _dir;

        [SetUp]
        public void MakeDir()
        {
            _dir = Path.Combine(Path.GetTempPath(), "parley-aec-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dir);
        }

        [TearDown]
        public void Clean()
        {
            try { Directory.Delete(_dir, true); } catch (IOException) { }
        }

        sealed class Scene
        {
            public float[] Mic, Echo, Noise, Near;
        }

        /// <summary>10 s: echo of the agent (RT60 0.3 s, 80 ms, −6 dB), noise at −60 dBFS, a player clip at 7 s.</summary>
        static Scene MakeScene()
        {
            var n = 10 * MicRate;
            var far = EchoScenes.FarSpeech(MicRate, 10);
            var echo = EchoScenes.Echo(far, EchoScenes.RoomImpulse(MicRate, 0.3, 80, 7), -6);
            var noise = EchoScenes.Noise(n, -60, 3);
            var near = EchoScenes.Place(EchoScenes.NearClip(0, MicRate), NearAt, n);
            return new Scene { Mic = EchoScenes.Sum(echo, noise, near), Echo = echo, Noise = noise, Near = near };
        }

        [TestCase(1)]
        [TestCase(2)]
        public void Cancels_the_echo_of_a_24k_reference_in_a_16k_mic_and_keeps_it_aligned(int micChannels)
        {
            var scene = MakeScene();
            var mic = Path.Combine(_dir, "mic.wav");
            var reference = Path.Combine(_dir, "ref.wav");
            var output = Path.Combine(_dir, "clean.wav");
            var micData = scene.Mic;
            if (micChannels == 2)
            {
                micData = new float[scene.Mic.Length * 2];
                for (var i = 0; i < scene.Mic.Length; i++) micData[2 * i] = micData[2 * i + 1] = scene.Mic[i];
            }
            TestWav.Write(mic, micData, MicRate, micChannels);
            // What was played, at another rate: the same clips rendered at 24 kHz (sox fixtures), not resampled here.
            TestWav.Write(reference, EchoScenes.FarSpeech(24000, 10), 24000, 1);

            var r = CliProcess.Run(new[] { "aec", "--mic", mic, "--ref", reference, "--output", output });
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
            var clean = TestWav.Read(output);
            Assert.That(clean.SampleRate, Is.EqualTo(MicRate));
            Assert.That(clean.Channels, Is.EqualTo(1));
            Assert.That(clean.Frames, Is.EqualTo(scene.Mic.Length), "the mic's length");

            var erle = EchoScenes.ErleDb(scene.Mic, clean.Samples, scene.Echo, scene.Noise, MicRate, 3 * MicRate, NearAt);
            var nearEnd = NearAt + EchoScenes.NearClip(0, MicRate).Length;
            var lag = EchoScenes.BestLag(scene.Near, clean.Samples, NearAt, nearEnd, MicRate / 100);
            var snr = EchoScenes.NearEndSnrDb(scene.Near, clean.Samples, NearAt, nearEnd, MicRate / 100);
            TestContext.WriteLine("ERLE " + erle.ToString("0.0") + " dB, near-end lag " + lag + " samples, near-end SNR " + snr.ToString("0.0") + " dB\n" + r.Stdout);
            Assert.That(erle, Is.GreaterThan(20), "ERLE in single talk from 3 s, dB");
            Assert.That(lag, Is.EqualTo(0), "the player's voice is where it is in the mic (no latency left)");
            Assert.That(snr, Is.GreaterThan(5), "near-end SNR in double talk, dB");
            Assert.That(r.Stdout, Does.Contain("16000 Hz mic (" + micChannels + " ch), 24000 Hz ref"));
            Assert.That(r.Stdout, Does.Contain("reduction"));
        }

        [Test]
        public void A_missing_mic_is_one_line_and_exit_3()
        {
            var reference = Path.Combine(_dir, "ref.wav");
            TestWav.Write(reference, new float[1600], MicRate, 1);
            var r = CliProcess.Run(new[] { "aec", "--mic", Path.Combine(_dir, "nope.wav"), "--ref", reference, "--output", Path.Combine(_dir, "o.wav") });
            Assert.That(r.ExitCode, Is.EqualTo(3), r.ToString());
            Assert.That(r.Stderr.Trim().Split('\n').Length, Is.EqualTo(1), r.Stderr);
            Assert.That(r.Stderr, Does.Contain("--mic").And.Contain("does not exist"));
            Assert.That(File.Exists(Path.Combine(_dir, "o.wav")), Is.False);
        }

        [TestCase("text")]
        [TestCase("empty")]
        public void A_reference_that_is_not_audio_is_one_line_and_exit_3(string kind)
        {
            var mic = Path.Combine(_dir, "mic.wav");
            var reference = Path.Combine(_dir, "ref.wav");
            TestWav.Write(mic, new float[1600], MicRate, 1);
            if (kind == "text") File.WriteAllText(reference, "not a wav");
            else TestWav.Write(reference, new float[0], MicRate, 1);
            var r = CliProcess.Run(new[] { "aec", "--mic", mic, "--ref", reference, "--output", Path.Combine(_dir, "o.wav") });
            Assert.That(r.ExitCode, Is.EqualTo(3), r.ToString());
            Assert.That(r.Stderr.Trim().Split('\n').Length, Is.EqualTo(1), r.Stderr);
            Assert.That(r.Stderr, Does.Contain("--ref"));
            Assert.That(File.Exists(Path.Combine(_dir, "o.wav")), Is.False);
        }

        [Test]
        public void A_missing_option_is_one_line_and_exit_2()
        {
            var r = CliProcess.Run(new[] { "aec", "--mic", "a.wav", "--output", Path.Combine(_dir, "o.wav") });
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.Stderr, Does.Contain("aec needs --mic FILE --ref FILE --output FILE"));
        }
    }
}
