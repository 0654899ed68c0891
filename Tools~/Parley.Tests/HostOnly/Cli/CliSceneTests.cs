using System;
using System.IO;
using System.Linq;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Servers.OpenAI;
using Parley.Tests.Support;

namespace Parley.Tests.HostOnly.Cli
{
    /// <summary>
    /// `parley scene`, the README's main job: the real VoiceAgent, MicrophoneCapture and AgentVoice in the simulated player, against the bundled
    /// emulator over loopback, as a child process. What the AudioListener heard is compared with the clip the emulator
    /// sent (its Speech folder), the device faults with the times they were scheduled at.
    /// </summary>
    public class CliSceneTests
    {
        static TestWav.Clip EmulatorClip(string id) =>
            TestWav.Read(Path.Combine(PackagePaths.Root, "Tools~", "Parley.Servers", "OpenAI", "Speech", id + "-24k.wav"));

        /// <summary>Audible spans of one channel (10 ms windows above −50 dBFS, gaps under 300 ms joined), in frames.</summary>
        static (int from, int to)[] AudibleSpans(float[] interleaved, int channels, int channel, int rate)
        {
            var win = rate / 100;
            var frames = interleaved.Length / channels;
            var spans = new System.Collections.Generic.List<(int, int)>();
            int start = -1, end = -1;
            for (var w = 0; w + win <= frames; w += win)
            {
                double sum = 0;
                for (var i = w; i < w + win; i++) { var v = interleaved[i * channels + channel]; sum += v * (double)v; }
                if (Math.Sqrt(sum / win) <= 0.00316) continue;
                if (start >= 0 && w - end > rate * 3 / 10) { spans.Add((start, end)); start = -1; }
                if (start < 0) start = w;
                end = w + win;
            }
            if (start >= 0) spans.Add((start, end));
            return spans.ToArray();
        }

        static float[] Channel(float[] interleaved, int channels, int channel, int from, int count)
        {
            var x = new float[count];
            for (var i = 0; i < count; i++)
            {
                var f = from + i;
                x[i] = f >= 0 && f < interleaved.Length / channels ? interleaved[f * channels + channel] : 0f;
            }
            return x;
        }

        /// <summary>×2 by linear interpolation: an upsampler independent of the package's resampler.</summary>
        static float[] Upsample2(float[] x)
        {
            var y = new float[x.Length * 2];
            for (var i = 0; i < x.Length; i++)
            {
                y[2 * i] = x[i];
                y[2 * i + 1] = i + 1 < x.Length ? (x[i] + x[i + 1]) / 2 : x[i] / 2;
            }
            return y;
        }

        /// <summary>The best normalized cross-correlation of <paramref name="reference"/> against <paramref name="signal"/> at offsets from..to.</summary>
        static (double ncc, int offset) BestMatch(float[] signal, float[] reference, int from, int to)
        {
            double rr = 0;
            foreach (var v in reference) rr += v * (double)v;
            var best = (ncc: -1.0, offset: 0);
            for (var o = from; o <= to; o++)
            {
                double sr = 0, ss = 0;
                for (var i = 0; i < reference.Length; i++)
                {
                    var k = o + i;
                    var s = k >= 0 && k < signal.Length ? signal[k] : 0f;
                    sr += s * (double)reference[i];
                    ss += s * (double)s;
                }
                var ncc = sr / Math.Sqrt(rr * ss + 1e-30);
                if (ncc > best.ncc) best = (ncc, o);
            }
            return best;
        }

        static double RmsDb(float[] x) => 10 * Math.Log10(x.Sum(v => v * (double)v) / Math.Max(1, x.Length) + 1e-20);

        [Test]
        public void Blendshapes_writes_the_faces_weights_which_open_while_the_listener_hears_the_agent_and_rest_in_silence()
        {
            using (var run = new TalkRun())
            {
                var csv = run.PathOf("face.csv");
                var r = run.Scene(new[] { "--blendshapes", csv, "--blendshapes-set", "oculus" });
                Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
                var lines = File.ReadAllLines(csv);
                var header = lines[0].Split(',');
                Assert.That(header, Is.EqualTo(new[] { "ms" }.Concat(Parley.Lipsync.VisemeMapping.Preset("oculus").Targets)));
                var rows = lines.Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToList();
                Assert.That(rows.Select(x => x[0]).ToList(), Is.Ordered, "one row per frame, in time order");
                Assert.That(rows.SelectMany(x => x.Skip(1)), Is.All.InRange(0.0, 100.0), "Unity's blend shape range");

                // The expectation comes from what the listener heard (the heard WAV), not from the analyser: rows where
                // the agent was clearly audible around that moment against rows with silence all around.
                var heard = run.Reply();
                var ch = heard.Channels;
                double LevelDb(double ms, double halfMs)
                {
                    int from = (int)Math.Max(0, (ms - halfMs) * heard.SampleRate / 1000), to = (int)Math.Min(heard.Samples.Length / ch, (ms + halfMs) * heard.SampleRate / 1000);
                    if (to <= from) return -120;
                    double sum = 0;
                    for (var f = from; f < to; f++) { var v = heard.Samples[f * ch]; sum += v * (double)v; }
                    return 10 * Math.Log10(sum / (to - from) + 1e-12);
                }
                var sil = Array.IndexOf(header, "sil");
                double Mouth(double[] row) => row.Skip(1).Where((v, k) => k + 1 != sil).Sum();
                var loud = rows.Where(x => LevelDb(x[0], 50) > -35).Select(Mouth).ToList();
                var quiet = rows.Where(x => LevelDb(x[0], 300) < -70).Select(Mouth).ToList();
                TestContext.WriteLine("rows " + rows.Count + ", loud " + loud.Count + " (mean mouth " + loud.Average().ToString("0.0") + "), quiet " + quiet.Count + " (mean " + quiet.Average().ToString("0.0") + ")");
                Assert.That(loud.Count, Is.GreaterThan(60), "frames while the agent is heard");
                Assert.That(quiet.Count, Is.GreaterThan(60), "frames of silence");
                Assert.That(loud.Average(), Is.GreaterThan(20), "the mouth moves while the agent is heard");
                // Summed over 15 shapes of 0..100: at rest a few shapes keep a trace (measured ~4 in all).
                Assert.That(quiet.Average(), Is.LessThan(8), "and rests in silence");
                Assert.That(loud.Average(), Is.GreaterThan(5 * quiet.Average() + 20));
            }
        }

        [Test]
        public void Scene_runs_the_components_against_the_emulator_and_the_listener_hears_the_reply_the_emulator_sent()
        {
            using (var run = new TalkRun())
            {
                var r = run.Scene(new string[0]);
                Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
                Assert.That(r.Stdout, Does.Contain("scene: emulator"));

                // The same events as talk, on one ordered timeline, plus the microphone's.
                var events = run.Events();
                var names = events.Select(e => (string)e["event"]).ToList();
                Assert.That(names, Is.SupersetOf(new[] { "connected", "user.speech_started", "user.speech_stopped", "agent.audible", "turn.completed", "interrupted", "closed", "device.started", "device.rate" }));
                Assert.That(names, Has.No.Member("device.lost"));
                Assert.That(events.Select(e => (double)e["t_ms"]).ToList(), Is.Ordered, "t_ms is monotonic");
                Assert.That(events.Select(e => (double)e["audio_ms"]).ToList(), Is.Ordered, "audio_ms (the player's virtual time) is monotonic");
                var finalAgent = events.First(e => (string)e["event"] == "agent.transcript" && (bool)e["is_final"]);
                Assert.That((string)finalAgent["text"], Is.EqualTo(OpenAIRealtimeEmulator.DefaultReplyTexts["npc-greeting"]));
                foreach (var rate in events.Where(e => (string)e["event"] == "device.rate"))
                    Assert.That((double)rate["measured_hz"], Is.EqualTo(48000).Within(480), "the capture rate against dspTime, within 1 %");

                // The bundled conversation's outcome, as with talk: two replies heard whole, the third utterance interrupts.
                var metrics = run.Metrics();
                Assert.That((int)metrics["session"]["completed_turns"], Is.GreaterThanOrEqualTo(2), metrics.ToString());
                Assert.That((int)metrics["session"]["interrupted_turns"], Is.EqualTo(1), metrics.ToString());
                var scene = metrics["scene"];
                Assert.That((int)scene["script_exceptions"], Is.Zero);
                Assert.That((int)scene["microphone"]["device_losses"], Is.Zero);
                Assert.That((int)scene["microphone"]["overruns"], Is.Zero);

                // What the AudioListener heard: stereo at the output rate, as long as the played part of the run.
                var heard = run.Reply();
                Assert.That(heard.Channels, Is.EqualTo(2));
                Assert.That(heard.SampleRate, Is.EqualTo(48000));
                Assert.That(heard.Frames * 1000.0 / 48000, Is.EqualTo((double)scene["played_ms"]).Within(50));

                // Its first audible span is the first reply, heard whole: the emulator's clip in length, level and shape.
                var spans = AudibleSpans(heard.Samples, 2, 0, 48000);
                Assert.That(spans.Length, Is.GreaterThanOrEqualTo(3), "three replies heard (the last one cut short)");
                var audibleMs = (double)events.First(e => (string)e["event"] == "agent.audible")["audio_ms"];
                Assert.That(spans[0].from * 1000.0 / 48000, Is.EqualTo(audibleMs).Within(120), "heard when the session said the reply was audible");

                var clip = EmulatorClip("npc-greeting");
                var clipSpans = AudibleSpans(clip.Samples, 1, 0, 24000);
                var clipMs = (clipSpans.Last().to - clipSpans[0].from) * 1000.0 / 24000;
                var heardMs = (spans[0].to - spans[0].from) * 1000.0 / 48000;
                TestContext.WriteLine($"first reply heard {heardMs:0} ms, the clip {clipMs:0} ms");
                Assert.That(heardMs, Is.EqualTo(clipMs).Within(30), "the whole reply, once, without gaps");

                var reference = Upsample2(clip.Samples);
                var refFrom = clipSpans[0].from * 2;
                var searchFrom = spans[0].from - refFrom - 960;
                var (ncc, offset) = BestMatch(Channel(heard.Samples, 2, 0, 0, heard.Frames), reference, searchFrom, searchFrom + 1920);
                TestContext.WriteLine($"correlation with the emulator's clip {ncc:0.0000} at {offset * 1000.0 / 48000:0.0} ms");
                Assert.That(ncc, Is.GreaterThan(0.95), "the heard reply is the clip the emulator sent");
                var heardDb = RmsDb(Channel(heard.Samples, 2, 0, offset, reference.Length));
                var clipDb = RmsDb(reference);
                TestContext.WriteLine($"heard {heardDb:0.00} dBFS, clip {clipDb:0.00} dBFS");
                Assert.That(heardDb, Is.EqualTo(clipDb).Within(0.5), "a 2D source at volume 1 passes the voice at the clip's level");

                // The interrupted reply (the second clip) stops early: shorter than the clip by more than a second.
                var price = EmulatorClip("npc-price");
                var priceMs = price.Frames * 1000.0 / 24000;
                Assert.That((spans[1].to - spans[1].from) * 1000.0 / 48000, Is.LessThan(priceMs - 1000));
            }
        }

        [Test]
        public void Unplugging_and_replugging_the_microphone_reports_lost_and_restored_and_the_conversation_goes_on()
        {
            using (var run = new TalkRun())
            {
                // During the first reply, between the player's first and second utterances.
                var r = run.Scene(new[] { "--unplug-at", "4000", "--replug-at", "6000" });
                Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
                var events = run.Events();
                var lost = events.Single(e => (string)e["event"] == "device.lost");
                var restored = events.Single(e => (string)e["event"] == "device.restored");
                var lostMs = (double)lost["audio_ms"];
                var restoredMs = (double)restored["audio_ms"];
                TestContext.WriteLine($"lost at {lostMs} ms ({lost["reason"]}), restored at {restoredMs} ms");
                Assert.That(lostMs, Is.InRange(4000, 4100), "seen on the first frame after the unplug");
                // MicrophoneCapture retries every second: the first retry after the re-plug starts it again.
                Assert.That(restoredMs, Is.InRange(6000, 7200));

                // The conversation goes on: the player's two later utterances are heard and answered after the re-plug.
                var afterTurns = events.Where(e => (string)e["event"] == "user.speech_started" && (double)e["audio_ms"] > restoredMs).Count();
                Assert.That(afterTurns, Is.EqualTo(2));
                var metrics = run.Metrics();
                Assert.That((int)metrics["session"]["turns"], Is.EqualTo(3), metrics.ToString());
                Assert.That((int)metrics["scene"]["microphone"]["device_losses"], Is.EqualTo(1));

                // Nothing captured while the device was gone: what was captured is the play time less the outage.
                var capturedMs = (long)metrics["scene"]["microphone"]["frames_captured"] * 1000.0 / 48000;
                var expectedMs = (double)metrics["scene"]["played_ms"] - (restoredMs - lostMs);
                TestContext.WriteLine($"captured {capturedMs:0} ms, played less the outage {expectedMs:0} ms");
                Assert.That(capturedMs, Is.EqualTo(expectedMs).Within(150));
            }
        }

        [Test]
        public void The_player_options_reach_the_devices_and_the_loop()
        {
            using (var run = new TalkRun())
            {
                var r = run.Scene(new[] { "--mic-rate", "16000", "--output-rate", "44100", "--dsp-buffer", "512", "--fps", "30" });
                Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
                var scene = run.Metrics()["scene"];
                var playedS = (double)scene["played_ms"] / 1000;
                Assert.That((int)scene["microphone"]["rate"], Is.EqualTo(16000));
                Assert.That((long)scene["microphone"]["frames_captured"] / playedS, Is.EqualTo(16000).Within(16000 * 0.02), "16 kHz captured");
                Assert.That((long)scene["audio_blocks"] / playedS, Is.EqualTo(44100.0 / 512).Within(2), "512-frame blocks at 44.1 kHz");
                Assert.That((int)scene["frames"] / playedS, Is.EqualTo(30).Within(1.5), "30 frames a second (each jittered ±10 %)");
                var heard = run.Reply();
                Assert.That(heard.SampleRate, Is.EqualTo(44100));
                Assert.That(AudibleSpans(heard.Samples, 2, 0, 44100).Length, Is.GreaterThanOrEqualTo(3), "the replies are heard at 44.1 kHz");
                Assert.That((int)run.Metrics()["session"]["turns"], Is.EqualTo(3));
            }
        }

        [Test]
        public void Tools_reach_the_agent_and_a_recorded_scene_replays_to_the_same_conversation()
        {
            using (var recorded = new TalkRun())
            using (var replayed = new TalkRun())
            {
                var tools = recorded.PathOf("tools.json");
                File.WriteAllText(tools, "[{\"name\":\"open_shop\",\"description\":\"Opens the blacksmith's shop\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}]");
                var recording = recorded.PathOf("session.jsonl");
                var a = recorded.Scene(new[] { "--tools", tools, "--record", recording });
                Assert.That(a.ExitCode, Is.EqualTo(0), a.ToString());
                // The emulator calls the first declared tool on the first turn: declared through VoiceAgent.AdditionalTools.
                var call = recorded.Events("tool.call").Single();
                Assert.That((string)call["tool_name"], Is.EqualTo("open_shop"));
                Assert.That((string)recorded.Events("tool.result").Single()["result_json"], Is.EqualTo("{\"ok\":true}"));

                var b = replayed.Scene(new[] { "--tools", tools, "--replay", recording });
                Assert.That(b.ExitCode, Is.EqualTo(0), b.ToString());
                Assert.That(b.Stdout, Does.Contain("scene: replay"));
                string[] Outcomes(TalkRun run) => run.Events("turn.completed").Select(e => (string)e["turn"]["outcome"]).ToArray();
                string[] Replies(TalkRun run) => run.Events("agent.transcript").Where(e => (bool)e["is_final"]).Select(e => (string)e["text"]).ToArray();
                Assert.That(Outcomes(recorded), Has.Length.EqualTo(3).And.Member("completed"));
                Assert.That(Outcomes(replayed), Is.EqualTo(Outcomes(recorded)));
                Assert.That(Replies(replayed), Is.EqualTo(Replies(recorded)));
                Assert.That(replayed.Events("tool.call").Single()["tool_name"].ToString(), Is.EqualTo("open_shop"));
            }
        }

        [Test]
        public void An_unreachable_server_ends_the_run_with_exit_5_in_one_line()
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();   // nothing listens there now: the connection is refused
            using (var run = new TalkRun())
            {
                var env = new System.Collections.Generic.Dictionary<string, string> { ["PARLEY_SCENE_TEST_KEY"] = "test-" + Guid.NewGuid().ToString("N") };
                var r = run.Scene(new[] { "--provider", "openai", "--url", "ws://127.0.0.1:" + port, "--api-key-env", "PARLEY_SCENE_TEST_KEY", "--quiet" }, env);
                Assert.That(r.ExitCode, Is.EqualTo(5), r.ToString());
                Assert.That(r.Stderr.Trim().Split('\n'), Has.Length.EqualTo(1), r.Stderr);
                Assert.That(r.Stderr, Does.StartWith("parley scene: the session ended (ConnectFailed)").And.Contain("127.0.0.1:" + port).And.Contain("Check --url"));
                var closed = run.Events("closed").Single();
                Assert.That((string)closed["error_kind"], Is.EqualTo("transport"));
            }
        }

        [TestCase(new[] { "--replug-at", "5000" }, "--replug-at 5000 needs --unplug-at")]
        [TestCase(new[] { "--unplug-at", "5000", "--replug-at", "4000" }, "--replug-at 4000 must come after --unplug-at 5000")]
        [TestCase(new[] { "--fps", "0" }, "Option --fps must be a number from 1 to 1000")]
        [TestCase(new[] { "--mic-rate", "4000" }, "Option --mic-rate must be a whole number from 8000 to 192000")]
        [TestCase(new[] { "--dsp-buffer", "10" }, "Option --dsp-buffer must be a whole number from 64 to 8192")]
        [TestCase(new[] { "--unplug-at", "-5" }, "Option --unplug-at must be a whole number from 0")]
        [TestCase(new[] { "--engine-rate", "44100", "--output-rate", "16000" }, "give one")]
        [TestCase(new[] { "--mic-rat", "16000" }, "Unknown option --mic-rat for 'scene'; did you mean --mic-rate?")]
        [TestCase(new[] { "--fps", "fast" }, "--fps")]
        public void A_bad_option_is_a_usage_error_in_one_line_and_nothing_runs(string[] args, string message)
        {
            var dir = Path.Combine(Path.GetTempPath(), "parley-scene-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                var r = CliProcess.Run(new[] { "scene", "--events", Path.Combine(dir, "e.jsonl") }.Concat(args), 60000);
                Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
                Assert.That(r.Stderr.Trim().Split('\n'), Has.Length.EqualTo(1), r.Stderr);
                Assert.That(r.Stderr, Does.StartWith("parley scene: ").And.Contain(message));
                Assert.That(Directory.GetFiles(dir), Is.Empty, "nothing ran");
            }
            finally { Directory.Delete(dir, true); }
        }
    }
}
