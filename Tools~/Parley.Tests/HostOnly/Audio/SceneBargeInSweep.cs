using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NUnit.Framework;
using Parley.Audio;
using Parley.Session.Audio;
using Parley.Tests.HostOnly.Cli;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Audio
{
    /// <summary>
    /// Not a test: `parley scene --echo room.wav --vad energy`'s barge-in without the wall clock, for BENCHMARKS.md. The
    /// bundled conversation (BundledAudio's layout: the player's "Wait, stop" labelled at 12748 ms) and the emulator's
    /// two replies (npc-greeting at 3.508 s, npc-price at 11.333 s plus OFFSET, as a run of the scene placed them) go
    /// through the scene's room (RT60 0.4 s, 100 ms, seed 1, made at 16 kHz and brought to 48 kHz by
    /// <see cref="EchoPath.FromImpulse"/>, as the CLI reads room.wav) at GAIN dB into the energy front end at the
    /// provider's 24 kHz. Reply 2's place is what moves between runs of the scene, so OFFSETS (ms, "FROM:TO:STEP",
    /// default −100:100:10) sweeps it; options from SWEEP="Field=value;…" as <see cref="EchoGuardSweep"/>. Prints one
    /// line: per offset, onset → raised (ms, on the capture clock), "-" if never (the player's utterances before reply 2 left out).
    /// `GAIN=-10 dotnet test … --filter "FullyQualifiedName~SceneBargeInSweep" --logger "console;verbosity=detailed"`.
    /// </summary>
    [Explicit("measurement, run by hand")]
    public class SceneBargeInSweep
    {
        const int Rate = DuplexScenes.EngineRate;

        [Test]
        public void Sweep()
        {
            var gainDb = double.Parse(Environment.GetEnvironmentVariable("GAIN") ?? "-10", CultureInfo.InvariantCulture);
            var span = (Environment.GetEnvironmentVariable("OFFSETS") ?? "-100:100:10").Split(':').Select(int.Parse).ToArray();
            var line = new List<string>();
            for (var off = span[0]; off <= span[1]; off += span[2])
            {
                var barge = Run(gainDb, off, EchoGuardSweep.Opt()).Select(t => t.ToString("0", CultureInfo.InvariantCulture)).ToList();
                line.Add(off + ":" + (barge.Count > 0 ? string.Join("/", barge) : "-"));
            }
            TestContext.WriteLine("SCENE " + Environment.GetEnvironmentVariable("SWEEP") + " gain " + gainDb + " | " + string.Join(" ", line));
        }

        /// <summary>
        /// The scene's conversation with reply 2 <paramref name="offsetMs"/> from 11.333 s and the room at
        /// <paramref name="gainDb"/>, through the energy front end at 24 kHz: every onset raised from reply 2 on, ms from
        /// the labelled onset of "Wait, stop" on the capture clock (the player's first two utterances, while the agent is
        /// silent, are raised as they should be and left out).
        /// </summary>
        internal static List<double> Run(double gainDb, int offsetMs, DuplexFrontEndOptions options = null)
        {
            var onsetMs = CliTalkEchoTests.BundledBargeInOnsetMs();
            var far = EchoScenes.SceneReplies(Rate, 14.5, out _, offsetMs);
            var n = far.Length;
            var echo = new float[n];
            // The room the CLI tests write as room.wav, brought to the microphone's rate as the CLI reads it.
            EchoPath.FromImpulse(CliTalkEchoTests.RoomTaps(0.4, 100, gainDb, 1), CliTalkEchoTests.RoomRate, Rate).Process(far, echo);
            var scene = new DuplexScenes.Scene { Played = far, Mic = EchoScenes.Sum(echo, Conversation(n), EchoScenes.Noise(n, DuplexScenes.NoiseDbfs, 7)), OnsetMs = onsetMs };
            var raised = new List<double>();
            using (var f = DuplexScenes.EnergyFrontEnd(24000, options))
            {
                f.VoiceActivity += speaking => { if (speaking) raised.Add(f.CapturedSamples * 1000.0 / f.ProcessingRate - onsetMs); };
                DuplexScenes.Run(f, scene);
            }
            return raised.Where(t => t > EchoScenes.SceneReplyTimes[1].At * 1000 - onsetMs).ToList();
        }

        /// <summary>The player's side as BundledAudio.Conversation lays it out: 700, 5000 and 1800 ms before the utterances, each cut 100 ms wide.</summary>
        static float[] Conversation(int n)
        {
            var all = TestWav.Read(PackagePaths.Fixture("audio", "conversation", "user-turns-48k.wav")).Samples;
            var mic = new float[n];
            var at = 0;
            var segments = CliTalkEchoTests.Segments();
            for (var k = 0; k < segments.Count; k++)
            {
                at += CliTalkEchoTests.BundledSilencesMs[k] * Rate / 1000;
                var from = (int)(segments[k].Start - CliTalkEchoTests.BundledPadMs) * Rate / 1000;
                var to = (int)(segments[k].End + CliTalkEchoTests.BundledPadMs) * Rate / 1000;
                for (var i = from; i < to && at + i - from < n; i++) mic[at + i - from] = all[i];
                at += to - from;
            }
            return mic;
        }
    }
}
