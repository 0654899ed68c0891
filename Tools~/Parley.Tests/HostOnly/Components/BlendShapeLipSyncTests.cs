using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using NUnit.Framework;
using Parley.Lipsync;
using Parley.Simulation;
using Parley.Tests.Simulation;
using Parley.Tests.Support;
using Parley.Unity.Lipsync;
using Parley.Unity.Voice;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>
    /// BlendShapeLipSync in the simulated player: the agent's voice plays the conversation fixture (three utterances
    /// separated by 1.5 s pauses, segments from its own CSV), the player records every SetBlendShapeWeight, and the
    /// played signal comes back through the voice's echo reference with its dspTime.
    /// </summary>
    public class BlendShapeLipSyncTests : SimulationFixture
    {
        static readonly string[] OculusShapes = { "blink_L", "ou", "oh", "ih", "E", "aa", "RR", "nn", "SS", "CH", "kk", "DD", "TH", "FF", "PP", "sil" };

        /// <summary>Logs each frame's dspTime and the component's viseme weights, after the component's LateUpdate.</summary>
        sealed class FrameLog : MonoBehaviour
        {
            public BlendShapeLipSync Lips;
            public readonly List<int> Frames = new List<int>();
            public readonly List<double> Dsp = new List<double>();
            public readonly List<float[]> Visemes = new List<float[]>();

            void LateUpdate()
            {
                Frames.Add(Time.frameCount);
                Dsp.Add(AudioSettings.dspTime);
                Visemes.Add(Lips.VisemeWeights.ToArray());
            }
        }

        sealed class Npc
        {
            public AgentVoice Voice;
            public SkinnedMeshRenderer Face;
            public BlendShapeLipSync Lips;
            public FrameLog Log;
        }

        Npc Scene(string[] shapes, Action<BlendShapeLipSync> configure = null, bool log = true, int providerRate = 48000)
        {
            ObjectWithListener();
            var go = new GameObject("NPC");
            var npc = new Npc { Voice = go.AddComponent<AgentVoice>() };
            var mesh = new Mesh { name = "Face" };
            foreach (var s in shapes) mesh.AddBlendShapeFrame(s, 100f, null, null, null);
            npc.Face = go.AddComponent<SkinnedMeshRenderer>();
            npc.Face.sharedMesh = mesh;
            npc.Lips = go.AddComponent<BlendShapeLipSync>();
            npc.Lips.SkinnedMesh = npc.Face;
            configure?.Invoke(npc.Lips);
            if (log)
            {
                npc.Log = go.AddComponent<FrameLog>();
                npc.Log.Lips = npc.Lips;
            }
            npc.Voice.Attach(providerRate);
            return npc;
        }

        /// <summary>What the AudioListener outputs (mono), from the dspTime its first block was rendered at; heard one output latency later.</summary>
        sealed class HeardLog
        {
            public readonly float[] Mono = new float[48000 * 16];
            public int Count;
            public double FirstDsp = -1;
        }

        HeardLog RecordHeard()
        {
            var log = new HeardLog();
            Player.Heard += (block, channels, rate) =>
            {
                if (log.FirstDsp < 0) log.FirstDsp = AudioSettings.dspTime;
                for (var f = 0; f < block.Length / channels && log.Count < log.Mono.Length; f++)
                {
                    var sum = 0f;
                    for (var c = 0; c < channels; c++) sum += block[f * channels + c];
                    log.Mono[log.Count++] = sum / channels;
                }
            };
            return log;
        }

        // 48 kHz to 24 kHz by averaging pairs (speech below 3.8 kHz is what the analyser looks at).
        static float[] Halve(float[] x)
        {
            var y = new float[x.Length / 2];
            for (var i = 0; i < y.Length; i++) y[i] = 0.5f * (x[2 * i] + x[2 * i + 1]);
            return y;
        }

        static short[] Pcm16(float[] x) => x.Select(v => (short)Math.Round(Math.Max(-1f, Math.Min(1f, v)) * 32767)).ToArray();

        static List<(int StartMs, int EndMs)> Segments()
        {
            var lines = File.ReadAllLines(PackagePaths.Fixture("audio", "conversation", "user-turns.segments.csv")).Skip(1);
            return lines.Select(l => l.Split(',')).Select(c => (int.Parse(c[0], CultureInfo.InvariantCulture), int.Parse(c[1], CultureInfo.InvariantCulture))).ToList();
        }

        /// <summary>The weights the player recorded, per frame number, as the shape weights after that frame (0 before any set).</summary>
        Dictionary<int, float[]> WeightsByFrame(SkinnedMeshRenderer face, int shapes)
        {
            var byFrame = new Dictionary<int, float[]>();
            var current = new float[shapes];
            foreach (var r in Player.BlendShapes.Where(r => r.Renderer == face))
            {
                current[r.Index] = r.Weight;
                byFrame[r.Frame] = (float[])current.Clone();
            }
            return byFrame;
        }

        /// <summary>Mouth opening per logged frame (dspTime, everything but sil, PP and blink_L as set on the mesh).</summary>
        List<(double Dsp, float Open)> OpenByFrame(Npc npc)
        {
            var weights = WeightsByFrame(npc.Face, OculusShapes.Length);
            var sil = Array.IndexOf(OculusShapes, "sil");
            var pp = Array.IndexOf(OculusShapes, "PP");
            var blink = Array.IndexOf(OculusShapes, "blink_L");
            var frames = new List<(double Dsp, float Open)>();
            for (var i = 0; i < npc.Log.Frames.Count; i++)
            {
                if (!weights.TryGetValue(npc.Log.Frames[i], out var w)) continue;
                var open = 0f;
                for (var s = 0; s < w.Length; s++) if (s != sil && s != pp && s != blink) open += w[s] / 100f;
                frames.Add((npc.Log.Dsp[i], open));
            }
            return frames;
        }

        /// <summary>
        /// How long after the played signal was rendered the mouth shows it: the lag (seconds, among
        /// <paramref name="lags"/>) that best correlates (Pearson r over the frames) the mouth opening with the offline
        /// analysis of that signal (frame times from its first sample) and with its level (10 ms RMS, 0..1 over
        /// -60..-20 dBFS: an analyser-free reference).
        /// </summary>
        static (double Offline, double OfflineR, double Level, double LevelR) Lags(List<(double Dsp, float Open)> frames, float[] echo, int n, double echoDsp, IEnumerable<double> lags)
        {
            var track = VisemeTrack.Analyse(new ReadOnlySpan<float>(echo, 0, n), 48000);
            double Offline(double dsp)
            {
                var k = (int)Math.Floor(((dsp - echoDsp) * 1000 - track.TimesMs[0]) / LipsyncAnalyser.HopMs);
                if (k < 0 || k >= track.Frames) return 0;
                return 1 - track.Weight(k, (int)Viseme.Sil) - track.Weight(k, (int)Viseme.PP);
            }
            double Level(double dsp)
            {
                var c = (int)Math.Round((dsp - echoDsp) * 48000);
                if (c - 240 < 0 || c + 240 > n) return 0;
                double e = 0;
                for (var k = c - 240; k < c + 240; k++) e += echo[k] * echo[k];
                var db = 10 * Math.Log10(e / 480 + 1e-12);
                return Math.Max(0, Math.Min(1, (db + 60) / 40));
            }
            var a = frames.Select(f => (double)f.Open).ToArray();
            double Correlation(Func<double, double> reference, double lag)
            {
                var b = frames.Select(f => reference(f.Dsp - lag)).ToArray();
                double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
                for (var i = 0; i < a.Length; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb); }
                return sab / Math.Sqrt(saa * sbb);
            }
            var all = lags.ToArray();
            var offline = all.OrderByDescending(l => Correlation(Offline, l)).First();
            var level = all.OrderByDescending(l => Correlation(Level, l)).First();
            return (offline, Correlation(Offline, offline), level, Correlation(Level, level));
        }

        [Test]
        public void The_mouth_opens_in_speech_closes_in_pauses_and_meets_the_audio_one_output_latency_after_it_was_rendered()
        {
            StartPlayer(new SimulatedPlayerOptions { Seed = 14 });
            var npc = Scene(OculusShapes);
            ((IEchoReference)npc.Voice).OpenEchoReference(16);
            Player.RunFor(0.3);
            var speech = Speech48k();
            Assert.That(npc.Voice.Write("reply", Pcm16(speech)), Is.True);
            npc.Voice.EndItem("reply");
            Player.RunFor(speech.Length / 48000.0 + 0.7);

            // The played signal and the dspTime of its first sample: the reply starts at its first non-zero sample.
            var echo = new float[48000 * 16];
            var n = ((IEchoReference)npc.Voice).ReadEchoReference(echo, out var echoDsp);
            var first = Array.FindIndex(echo, 0, n, v => v != 0f);
            Assert.That(first, Is.GreaterThan(0));
            var replyDsp = echoDsp + first / 48000.0;
            var latency = npc.Voice.OutputLatencyMs / 1000.0;
            Assert.That(latency, Is.EqualTo(1024 * 4 / 48000.0).Within(0.001), "DSP buffer x buffers");

            var frames = OpenByFrame(npc);
            var blink = Array.IndexOf(OculusShapes, "blink_L");
            Assert.That(frames.Count, Is.GreaterThan(600), "a weight set every frame");
            Assert.That(Player.BlendShapes.Any(r => r.Index == blink), Is.False, "a shape outside the mapping is never touched");

            var lag = Lags(frames, echo, n, echoDsp, Enumerable.Range(0, 61).Select(k => k * 0.005));
            TestContext.WriteLine($"output latency {latency * 1000:F1} ms; lag behind the rendered audio: {lag.Offline * 1000:F0} ms against the offline analysis " +
                                  $"(r = {lag.OfflineR:F3}), {lag.Level * 1000:F0} ms against the level (r = {lag.LevelR:F3})");
            Assert.That(lag.OfflineR, Is.GreaterThan(0.9), "the mouth is the analysis of the played signal");
            Assert.That(lag.Offline - latency, Is.InRange(-0.010, 0.010),
                "the mouth shows the audio rendered one output latency earlier: what the listener outputs now");
            Assert.That(lag.LevelR, Is.GreaterThan(0.6), "the mouth follows the loudness");
            Assert.That(lag.Level - latency, Is.InRange(-0.020, 0.060),
                "against the level the mouth lags by the smoothing and the consonant onsets that are heard before the lips open");

            // Speech and pauses from the fixture's own segments, shifted to when they are heard.
            var segments = Segments();
            float OpenFraction(double from, double to) =>
                (float)frames.Where(f => f.Dsp >= from && f.Dsp < to).Average(f => f.Open > 0.2f ? 1.0 : 0.0);
            float MaxOpen(double from, double to) => frames.Where(f => f.Dsp >= from && f.Dsp < to).Max(f => f.Open);
            foreach (var (startMs, endMs) in segments)
            {
                var open = OpenFraction(replyDsp + latency + startMs / 1000.0 + 0.1, replyDsp + latency + endMs / 1000.0 - 0.1);
                TestContext.WriteLine($"speech {startMs}-{endMs} ms: open in {open:P0} of the frames");
                Assert.That(open, Is.GreaterThan(0.6), "the mouth moves open through speech");
            }
            for (var i = 0; i + 1 < segments.Count; i++)
            {
                var from = replyDsp + latency + segments[i].EndMs / 1000.0 + 0.25;
                var to = replyDsp + latency + segments[i + 1].StartMs / 1000.0 - 0.05;
                TestContext.WriteLine($"pause {segments[i].EndMs}-{segments[i + 1].StartMs} ms: max opening {MaxOpen(from, to):F3}");
                Assert.That(MaxOpen(from, to), Is.LessThan(0.05), "closed in the pause");
            }
            Assert.That(MaxOpen(replyDsp + latency + speech.Length / 48000.0 + 0.25, double.MaxValue), Is.LessThan(0.05), "closed after the reply");
        }

        /// <summary>
        /// Issue 14: lip–audio offset within ±20 ms at every DSP buffer size, the smallest included. The analyser reads the
        /// voice queued ahead of the played cursor (stamped with when it will be heard), so a hop's weights are ready when
        /// its audio is heard. Measured against what the AudioListener outputs, on its output clock (rendered at dspTime,
        /// heard one output latency later): the lag of the mouth opening that best correlates with the offline analysis of
        /// that output (1 ms steps), and with its 10 ms RMS level (analyser-free; it leads the mouth by the smoothing and by
        /// consonants heard before the lips open). Reading only at the played cursor, 256-frame buffers put the lips 27 ms late.
        /// </summary>
        [TestCase(256, 48000)]
        [TestCase(512, 48000)]
        [TestCase(1024, 48000)]
        [TestCase(256, 24000)]
        public void At_every_DSP_buffer_the_lips_meet_what_the_listener_outputs(int dspBuffer, int providerRate)
        {
            StartPlayer(new SimulatedPlayerOptions { Seed = 15, DspBufferSize = dspBuffer, NumBuffers = 4 });
            var npc = Scene(OculusShapes, providerRate: providerRate);
            var heard = RecordHeard();
            Player.RunFor(0.3);
            var speech = Speech48k();
            npc.Voice.Write("reply", Pcm16(providerRate == 48000 ? speech : Halve(speech)));
            npc.Voice.EndItem("reply");
            Player.RunFor(speech.Length / 48000.0 + 0.7);
            Assert.That(heard.FirstDsp + heard.Count / 48000.0, Is.EqualTo(AudioSettings.dspTime).Within(1e-9), "every block the listener output");
            var latency = npc.Voice.OutputLatencyMs / 1000.0;
            Assert.That(latency, Is.EqualTo(dspBuffer * 4 / 48000.0).Within(0.001), "DSP buffer x buffers");

            var lag = Lags(OpenByFrame(npc), heard.Mono, heard.Count, heard.FirstDsp, Enumerable.Range(-50, 201).Select(k => k * 0.001));
            var offset = lag.Offline - latency;
            var offsetLevel = lag.Level - latency;
            TestContext.WriteLine($"DSP buffer {dspBuffer} x 4, provider {providerRate} Hz: output latency {latency * 1000:F1} ms; lips {offset * 1000:+0;-0;0} ms " +
                                  $"against the offline analysis of what the listener outputs (r = {lag.OfflineR:F3}), {offsetLevel * 1000:+0;-0;0} ms against its level (r = {lag.LevelR:F3})");
            Assert.That(lag.OfflineR, Is.GreaterThan(0.9), "the mouth is the analysis of what is heard");
            Assert.That(offset, Is.InRange(-0.020, 0.020), "lip–audio offset within ±20 ms");
            Assert.That(lag.LevelR, Is.GreaterThan(0.6), "the mouth follows the loudness");
        }

        [Test]
        public void Weights_follow_the_mapping_asset_by_name_with_index_overrides_and_gain()
        {
            const string csv =
                "# a rig's own mapping: three shapes\n" +
                "target,aa,E,oh,ou,PP\n" +
                "Wide,1,0.5,,,\n" +
                "Round,,,0.6,1,\n" +
                "Press,,,,,0.8\n" +
                "Missing,1,1,1,1,1\n";
            StartPlayer(new SimulatedPlayerOptions { Seed = 3 });
            var asset = ScriptableObject.CreateInstance<VisemeMappingAsset>();
            asset.Csv = csv;
            // Names in another order; "Round" exists under an unrelated name and is bound by index; "Missing" is absent.
            var shapes = new[] { "Head.press", "lipsRound_custom", "WIDE", "blink" };
            var npc = Scene(shapes, lips =>
            {
                lips.MappingAsset = asset;
                lips.OverrideIndex("Round", 1);
                lips.Gain = 1.5f;
            });
            var applied = new List<float[]>();
            npc.Lips.WeightsApplied += (mapping, targets, jaw) => applied.Add(targets.ToArray());
            Player.RunFor(0.2);
            var speech = Speech48k();
            npc.Voice.Write("reply", Pcm16(speech.Take(48000 * 3).ToArray()));
            npc.Voice.EndItem("reply");
            Player.RunFor(3.5);

            Assert.That(npc.Lips.TargetBlendShapes.ToArray(), Is.EqualTo(new[] { 2, 1, 0, -1 }), "Wide by name (case), Round by index, Press after a prefix, Missing unbound");
            var weights = WeightsByFrame(npc.Face, shapes.Length);
            int aa = Visemes.IndexOf("aa"), e = Visemes.IndexOf("E"), oh = Visemes.IndexOf("oh"), ou = Visemes.IndexOf("ou"), p = Visemes.IndexOf("PP");
            float Clamp(double v) => (float)Math.Max(0, Math.Min(1, v));
            var checkedFrames = 0;
            var moving = 0;
            for (var i = 0; i < npc.Log.Frames.Count; i++)
            {
                if (!weights.TryGetValue(npc.Log.Frames[i], out var w)) continue;
                var v = npc.Log.Visemes[i];
                var wide = Clamp(1.5 * (v[aa] + 0.5 * v[e])) * 100;
                var round = Clamp(1.5 * (0.6 * v[oh] + v[ou])) * 100;
                var press = Clamp(1.5 * 0.8 * v[p]) * 100;
                Assert.That(w[2], Is.EqualTo(wide).Within(1e-3), "Wide");
                Assert.That(w[1], Is.EqualTo(round).Within(1e-3), "Round");
                Assert.That(w[0], Is.EqualTo(press).Within(1e-3), "Press");
                checkedFrames++;
                if (wide > 10 || round > 10) moving++;
            }
            Assert.That(checkedFrames, Is.GreaterThan(150));
            Assert.That(moving, Is.GreaterThan(30), "the mapped shapes moved with the speech");
            Assert.That(Player.BlendShapes.Any(r => r.Index == 3), Is.False, "blink untouched");
            Assert.That(applied.Count, Is.EqualTo(checkedFrames), "the callback ran every frame");
            Assert.That(applied.All(t => t.Length == 4 && t.All(x => x >= 0 && x <= 1)), "the callback gets the clamped targets");
        }

        /// <summary>
        /// An interruption cuts a reply the analyser has read ahead of: the mouth shows the reply until the cut is heard
        /// (the listener's output falls silent, one output latency after the flush and its fade-out) and rests within one
        /// hop of it; the cut reply's read-ahead (speech queued past the cut, already analysed) never moves it.
        /// </summary>
        [TestCase(256)]
        [TestCase(1024)]
        public void An_interruption_rests_the_mouth_when_the_cut_is_heard_and_the_read_ahead_never_moves_it(int dspBuffer)
        {
            StartPlayer(new SimulatedPlayerOptions { Seed = 5, DspBufferSize = dspBuffer, NumBuffers = 4 });
            var npc = Scene(OculusShapes);
            var heard = RecordHeard();
            Player.RunFor(0.2);
            npc.Voice.Write("reply", Pcm16(Speech48k()));
            var flushAt = 0.2 + 1.6;   // inside the first utterance (0.8-2.9 s), 0.8 s in
            var flushDsp = -1.0;
            Player.At(flushAt, () => { npc.Voice.Flush(); flushDsp = AudioSettings.dspTime; });
            Player.RunFor(2.5);

            var latency = npc.Voice.OutputLatencyMs / 1000.0;
            var last = Array.FindLastIndex(heard.Mono, heard.Count - 1, heard.Count, v => Math.Abs(v) > 1e-3f);
            var cutHeard = heard.FirstDsp + (last + 1) / 48000.0 + latency;
            TestContext.WriteLine($"DSP buffer {dspBuffer}: flush at dspTime {flushDsp:F4}, cut heard at {cutHeard:F4} (+{(cutHeard - flushDsp) * 1000:F1} ms)");
            Assert.That(cutHeard - flushDsp, Is.InRange(latency, latency + dspBuffer / 48000.0 + 0.010), "heard one output latency after the flush, after its fade-out");

            var weights = WeightsByFrame(npc.Face, OculusShapes.Length);
            var sil = Array.IndexOf(OculusShapes, "sil");
            var pp = Array.IndexOf(OculusShapes, "PP");
            float Open(float[] w) => w.Where((x, s) => s != sil && s != pp && OculusShapes[s] != "blink_L").Sum() / 100f;
            var frames = npc.Log.Frames.Select((f, i) => (Dsp: npc.Log.Dsp[i], Frame: f)).Where(f => weights.ContainsKey(f.Frame)).Select(f => (f.Dsp, W: weights[f.Frame])).ToList();
            Assert.That(frames.Where(f => f.Dsp > flushDsp - 0.5 && f.Dsp < cutHeard).Max(f => Open(f.W)), Is.GreaterThan(0.3f), "talking until the cut");
            if (latency > 0.05)
                Assert.That(frames.Where(f => f.Dsp >= flushDsp && f.Dsp < cutHeard - LipsyncAnalyser.HopMs / 1000).Max(f => Open(f.W)), Is.GreaterThan(0.1f),
                    "still talking after the flush while the rendered reply is being heard");
            var after = frames.Where(f => f.Dsp >= cutHeard + LipsyncAnalyser.HopMs / 1000).ToList();
            Assert.That(after.Count, Is.GreaterThan(30));
            foreach (var f in after)
            {
                // Rest until the silence after the cut is analysed afresh: the classifier then leaves ~1 % on the other
                // visemes (measured 0.013; the pause gate has no speech level yet after a reset).
                Assert.That(Open(f.W), Is.LessThan(0.02f), "dspTime " + f.Dsp + ", the cut heard at " + cutHeard);
                Assert.That(f.W[sil] + f.W[pp], Is.GreaterThan(98f), "closed: sil and PP");
            }
        }

        [Test]
        public void Arkit_preset_finds_prefixed_shapes_and_moves_the_jaw_with_speech()
        {
            StartPlayer(new SimulatedPlayerOptions { Seed = 8 });
            var arkit = VisemeMapping.Preset("arkit");
            var shapes = arkit.Targets.Select(t => "Face." + t).Concat(new[] { "eyeBlinkLeft" }).ToArray();
            var npc = Scene(shapes, lips => lips.MappingPreset = BlendShapeLipSync.Preset.Arkit);
            Player.RunFor(0.2);
            npc.Voice.Write("reply", Pcm16(Speech48k().Take(48000 * 3).ToArray()));
            npc.Voice.EndItem("reply");
            Player.RunFor(3.5);
            Assert.That(npc.Lips.TargetBlendShapes.ToArray(), Is.EqualTo(Enumerable.Range(0, arkit.Targets.Count).ToArray()));
            var jaw = Player.BlendShapes.Where(r => r.Index == 0).Select(r => r.Weight).ToList();
            Assert.That(jaw.Max(), Is.GreaterThan(30f), "jawOpen opens in speech");
            Assert.That(jaw.Last(), Is.LessThan(1f), "and closes after it");

            // The table `parley scene --blendshapes` writes: ms, then a column per shape, a row per frame.
            var text = new StringWriter();
            var rows = BlendShapeCsv.Write(text, Player.BlendShapes, npc.Face);
            var lines = text.ToString().TrimEnd('\n').Split('\n');
            Assert.That(lines[0], Is.EqualTo("ms," + string.Join(",", shapes)));
            var frames = Player.BlendShapes.Select(r => r.Frame).Distinct().ToList();
            Assert.That(rows, Is.EqualTo(frames.Count));
            Assert.That(lines.Length, Is.EqualTo(rows + 1));
            var loudest = Player.BlendShapes.Where(r => r.Index == 0).OrderByDescending(r => r.Weight).First();
            var row = lines[1 + frames.IndexOf(loudest.Frame)].Split(',');
            Assert.That(double.Parse(row[0], CultureInfo.InvariantCulture), Is.EqualTo(loudest.Time * 1000).Within(0.001));
            Assert.That(float.Parse(row[1], CultureInfo.InvariantCulture), Is.EqualTo(loudest.Weight).Within(0.001f));
            Assert.That(row.Last(), Is.EqualTo("0"), "eyeBlinkLeft never set");
        }

        [Test]
        public void Rhubarb_preset_drives_mouth_shapes_A_to_H_and_rests_on_X()
        {
            StartPlayer(new SimulatedPlayerOptions { Seed = 11 });
            // Rhubarb's mouth shapes as a rig might name them, in another order, plus a shape outside the set.
            var shapes = new[] { "Mouth_X", "Mouth_A", "Mouth_B", "Mouth_C", "Mouth_D", "Mouth_E", "Mouth_F", "Mouth_G", "Mouth_H", "browUp" };
            var npc = Scene(shapes, lips => lips.MappingPreset = BlendShapeLipSync.Preset.Rhubarb);
            Player.RunFor(0.2);
            npc.Voice.Write("reply", Pcm16(Speech48k().Take(48000 * 3).ToArray()));
            npc.Voice.EndItem("reply");
            Player.RunFor(3.5);

            // Targets in the preset's order A..H, X; each bound to its Mouth_ shape after the prefix.
            Assert.That(npc.Lips.Mapping.Targets, Is.EqualTo(new[] { "A", "B", "C", "D", "E", "F", "G", "H", "X" }));
            Assert.That(npc.Lips.TargetBlendShapes.ToArray(), Is.EqualTo(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 0 }));
            // Rhubarb's guide, independently of the mapping code: A closed lips (PP), D wide open (aa), G F/V (FF),
            // X rest (sil); F puckered (ou, some RR).
            var weights = WeightsByFrame(npc.Face, shapes.Length);
            int sil = Visemes.IndexOf("sil"), pp = Visemes.IndexOf("PP"), aa = Visemes.IndexOf("aa"), ff = Visemes.IndexOf("FF"),
                ou = Visemes.IndexOf("ou"), rr = Visemes.IndexOf("RR");
            var checkedFrames = 0;
            for (var i = 0; i < npc.Log.Frames.Count; i++)
            {
                if (!weights.TryGetValue(npc.Log.Frames[i], out var w)) continue;
                var v = npc.Log.Visemes[i];
                Assert.That(w[1], Is.EqualTo(100 * v[pp]).Within(1e-3), "A");
                Assert.That(w[4], Is.EqualTo(100 * v[aa]).Within(1e-3), "D");
                Assert.That(w[6], Is.EqualTo(100 * Math.Min(1, 0.3 * v[rr] + v[ou])).Within(1e-3), "F");
                Assert.That(w[7], Is.EqualTo(100 * v[ff]).Within(1e-3), "G");
                Assert.That(w[0], Is.EqualTo(100 * v[sil]).Within(1e-3), "X");
                checkedFrames++;
            }
            Assert.That(checkedFrames, Is.GreaterThan(150));
            float Max(int shape) => Player.BlendShapes.Where(r => r.Index == shape).Max(r => r.Weight);
            Assert.That(Max(4), Is.GreaterThan(30f), "D (wide open) in speech");
            Assert.That(Max(0), Is.GreaterThan(95f), "X (rest) before the speech");
            var last = weights[weights.Keys.Max()];
            Assert.That(last[0], Is.GreaterThan(95f), "X (rest) after it");
            Assert.That(last.Where((x, k) => k >= 1 && k <= 8).Max(), Is.LessThan(5f), "A-H at rest after it");
            Assert.That(Player.BlendShapes.Any(r => r.Index == 9), Is.False, "browUp untouched");
        }

        [Test]
        public void Smoothing_edited_in_the_inspector_while_playing_rebuilds_the_analyser()
        {
            StartPlayer(new SimulatedPlayerOptions { Seed = 12 });
            var npc = Scene(OculusShapes);
            Player.RunFor(0.2);
            var before = npc.Lips.Analyser;
            Assert.That(before, Is.Not.Null);
            Assert.That(before.AttackMs, Is.EqualTo(10.0));
            Assert.That(before.ReleaseMs, Is.EqualTo(20.0));

            // What the Inspector does with a dragged slider: write through a SerializedObject and apply.
            var so = new UnityEditor.SerializedObject(npc.Lips);
            so.FindProperty("attackMs").floatValue = 35f;
            so.FindProperty("releaseMs").floatValue = 120f;
            Assert.That(so.ApplyModifiedProperties(), Is.True);
            Player.RunFor(0.1);

            var after = npc.Lips.Analyser;
            Assert.That(after, Is.Not.SameAs(before), "a new analyser");
            Assert.That(after.AttackMs, Is.EqualTo(35.0), "with the new attack");
            Assert.That(after.ReleaseMs, Is.EqualTo(120.0), "and the new release");
            Assert.That(npc.Lips.AttackMs, Is.EqualTo(35f));

            // It is the one the voice feeds: the speech that follows moves the mouth.
            npc.Voice.Write("reply", Pcm16(Speech48k().Take(48000 * 2).ToArray()));
            npc.Voice.EndItem("reply");
            Player.RunFor(2.2);
            Assert.That(npc.Lips.Analyser, Is.SameAs(after));
            Assert.That(npc.Log.Visemes.Max(v => 1 - v[Visemes.IndexOf("sil")] - v[Visemes.IndexOf("PP")]), Is.GreaterThan(0.3f), "the mouth moved");
        }

        [Test]
        public void Lip_sync_allocates_nothing_per_frame_or_block_in_steady_state()
        {
            StartPlayer(new SimulatedPlayerOptions { Seed = 9, BlendShapeRecordCapacity = 16 * 60 * 16 });
            var npc = Scene(OculusShapes, log: false);
            var probe = npc.Lips.gameObject.AddComponent<SimulatorAllocationTests.AllocationProbe>();
            var speech = Pcm16(Speech48k());
            npc.Voice.Write("a", speech);   // ~23 s queued: talking and pausing through the window
            npc.Voice.Write("a", speech);
            Player.RunFor(2);   // warm-up

            var main0 = probe.MainThreadBytes;
            var audio0 = probe.AudioThreadBytes;
            var sets = Player.BlendShapes.Count;
            Player.RunFor(10);
            Assert.That(Player.BlendShapes.Count - sets, Is.GreaterThan(15 * 550), "weights set every frame");
            Assert.That(Player.BlendShapes.Skip(sets).Max(r => r.Weight), Is.GreaterThan(30f), "the mouth moved");
            Assert.That(probe.MainThreadBytes - main0, Is.EqualTo(0), "main thread: reading the analyser, mapping, SetBlendShapeWeight");
            Assert.That(probe.AudioThreadBytes - audio0, Is.EqualTo(0), "audio thread: the played block through the analyser");
        }
    }
}
