using System;
using NUnit.Framework;
using Parley.Simulation;
using UnityEngine;

namespace Parley.Tests.Simulation
{
    /// <summary>
    /// ListenerEcho: what the AudioListener heard reaches a microphone one reported output latency after its block was
    /// rendered, through the room the caller gives, on the microphone device's own clock (drift included).
    /// </summary>
    public class ListenerEchoTests : SimulationFixture
    {
        /// <summary>A room written here, independent of Parley's EchoPath: a pure delay of <paramref name="delay"/> samples at gain 0.5.</summary>
        static EchoFilter DelayHalf(int delay)
        {
            var line = new float[delay];
            var at = 0;
            return (played, echo) =>
            {
                for (var i = 0; i < played.Length; i++)
                {
                    echo[i] = 0.5f * line[at];
                    line[at] = played[i];
                    at = (at + 1) % delay;
                }
            };
        }

        [TestCase(0.0)]
        [TestCase(0.005)]
        [TestCase(-0.005)]
        public void The_microphone_hears_the_speakers_one_output_latency_after_the_render_through_the_room(double micDrift)
        {
            StartPlayer();   // 48 kHz, 1024-frame blocks, 4 buffers: 85.3 ms of reported latency
            ObjectWithListener();
            var mic = Player.AddMicrophone(new SimulatedMicrophone("USB Mic", new float[0], 16000) { ClockDrift = micDrift });
            int roomRate = 0;
            using (var echo = new ListenerEcho(Player, rate => { roomRate = rate; return DelayHalf(160); }))   // 10 ms at 16 kHz
            {
                mic.Room = echo;
                var tone = new float[9600];
                for (var i = 0; i < tone.Length; i++) tone[i] = 0.5f * (float)Math.Sin(2 * Math.PI * 1000 * i / 48000);
                var clip = AudioClip.Create("tone", tone.Length, 1, 48000, false);
                clip.SetData(tone, 0);
                var source = new GameObject("Speaker").AddComponent<AudioSource>();
                source.clip = clip;
                var firstHeard = double.NaN;
                Player.Heard += (block, channels, rate) =>
                {
                    if (!double.IsNaN(firstHeard)) return;
                    for (var f = 0; f < block.Length / channels; f++)
                        if (Math.Abs(block[f * channels]) > 1e-6) { firstHeard = Player.Now + f / 48000.0; return; }
                };
                var recording = Microphone.Start("USB Mic", true, 4, 16000);
                Player.At(0.5, source.Play);
                Player.RunFor(1.5);

                var got = new float[Microphone.GetPosition("USB Mic")];
                recording.GetData(got, 0);
                var onset = Array.FindIndex(got, v => Math.Abs(v) > 0.02);
                var peak = 0f;
                foreach (var v in got) peak = Math.Max(peak, Math.Abs(v));
                var onsetTime = onset / (16000 * (1 + micDrift));   // the device's clock: its frames come (1 + drift) times faster
                AudioSettings.GetDSPBufferSize(out var block, out var buffers);
                var expected = firstHeard + block * buffers / 48000.0 + 0.010;
                TestContext.WriteLine($"drift {micDrift}: rendered at {firstHeard * 1000:0.00} ms, heard by the microphone at {onsetTime * 1000:0.00} ms (expected {expected * 1000:0.00}), peak {peak:0.000}");
                Assert.That(roomRate, Is.EqualTo(16000), "the room runs at the microphone's rate");
                Assert.That(onset, Is.GreaterThan(0));
                // A 1 kHz sine at 0.25 crosses 0.02 within 13 µs of its start; interpolation and the frame grid add < 0.2 ms.
                Assert.That(onsetTime, Is.EqualTo(expected).Within(0.0003));
                Assert.That(peak, Is.EqualTo(0.25f).Within(0.01f), "half of the 0.5 tone, through the room");
                Assert.That(echo.FramesHeard, Is.GreaterThan(48000));
            }
        }
    }
}
