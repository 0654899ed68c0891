using System;
using System.Collections.Generic;
using Stopwatch = System.Diagnostics.Stopwatch;
using System.Linq;
using System.Threading.Tasks;
using NUnit.Framework;
using Parley.Simulation;
using UnityEngine;

namespace Parley.Tests.Simulation
{
    /// <summary>The player loop: lifecycle order, Time, jitter and hitches, determinism, application events (audio-behaviour.md §6).</summary>
    public class PlayerLoopTests : SimulationFixture
    {
        public static readonly List<string> Log = new List<string>();

        public class Traced : MonoBehaviour
        {
            void Awake() => Log.Add(name + ".Awake");
            void OnEnable() => Log.Add(name + ".OnEnable");
            void Start() => Log.Add(name + ".Start");
            void Update() => Log.Add(name + ".Update");
            void LateUpdate() => Log.Add(name + ".LateUpdate");
            void OnDisable() => Log.Add(name + ".OnDisable");
            void OnDestroy() => Log.Add(name + ".OnDestroy");
            void OnApplicationQuit() => Log.Add(name + ".OnApplicationQuit");
            void OnApplicationFocus(bool focus) => Log.Add(name + ".OnApplicationFocus(" + focus + ")");
            void OnApplicationPause(bool pause) => Log.Add(name + ".OnApplicationPause(" + pause + ")");
        }

        [RequireComponent(typeof(AudioSource))]
        [DisallowMultipleComponent]
        public class NeedsSource : MonoBehaviour { }

        public class Thrower : MonoBehaviour
        {
            void Update() => throw new InvalidOperationException("boom");
        }

        [SetUp]
        public void ClearLog() => Log.Clear();

        [Test]
        public void Awake_and_OnEnable_at_AddComponent_Start_before_the_first_Update_then_Update_and_LateUpdate()
        {
            StartPlayer();
            var a = new GameObject("A").AddComponent<Traced>();
            Assert.That(Log, Is.EqualTo(new[] { "A.Awake", "A.OnEnable" }));
            Player.RunFrames(2);
            Assert.That(Log.Skip(2), Is.EqualTo(new[] { "A.Start", "A.Update", "A.LateUpdate", "A.Update", "A.LateUpdate" }));
            Assert.That(a.isActiveAndEnabled, Is.True);
        }

        [Test]
        public void Disable_enable_deactivate_and_a_deferred_Destroy_send_their_messages()
        {
            StartPlayer();
            var a = new GameObject("A").AddComponent<Traced>();
            Player.RunFrames(1);
            Log.Clear();
            a.enabled = false;
            a.enabled = true;
            a.gameObject.SetActive(false);
            a.gameObject.SetActive(true);
            Assert.That(Log, Is.EqualTo(new[] { "A.OnDisable", "A.OnEnable", "A.OnDisable", "A.OnEnable" }));
            Log.Clear();
            UnityEngine.Object.Destroy(a.gameObject);
            Assert.That(Log, Is.Empty, "Destroy is carried out at the end of the frame");
            Assert.That(a == null, Is.False);
            Player.RunFrames(1);
            Assert.That(Log, Is.EqualTo(new[] { "A.Update", "A.LateUpdate", "A.OnDisable", "A.OnDestroy" }));
            Assert.That(a == null, Is.True, "a destroyed object compares equal to null");
            Assert.That((bool)a, Is.False);
            Assert.That(ReferenceEquals(a, null), Is.False);
        }

        [Test]
        public void An_inactive_object_gets_no_Awake_until_it_is_activated()
        {
            StartPlayer();
            var go = new GameObject("A");
            go.SetActive(false);
            go.AddComponent<Traced>();
            Player.RunFrames(2);
            Assert.That(Log, Is.Empty);
            go.SetActive(true);
            Player.RunFrames(1);
            Assert.That(Log, Is.EqualTo(new[] { "A.Awake", "A.OnEnable", "A.Start", "A.Update", "A.LateUpdate" }));
        }

        [Test]
        public void RequireComponent_adds_the_required_component_and_DisallowMultipleComponent_refuses_a_second()
        {
            StartPlayer();
            var go = new GameObject("Agent");
            var first = go.AddComponent<NeedsSource>();
            Assert.That(go.GetComponent<AudioSource>(), Is.Not.Null);
            Assert.That(go.AddComponent<NeedsSource>(), Is.Null);
            Assert.That(go.GetComponents<NeedsSource>(), Is.EqualTo(new[] { first }));
            Assert.That(go.GetComponent<Transform>(), Is.SameAs(go.transform));
        }

        [Test]
        public void Quitting_sends_OnApplicationQuit_then_quitting_then_OnDisable_and_OnDestroy()
        {
            StartPlayer();
            new GameObject("A").AddComponent<Traced>();
            Action onQuit = () => Log.Add("Application.quitting");
            Application.quitting += onQuit;
            try
            {
                Player.RunFrames(1);
                Assert.That(Application.isPlaying, Is.True);
                Log.Clear();
                Application.Quit();
                Player.RunFor(1);
                Assert.That(Log, Is.EqualTo(new[] { "A.Update", "A.LateUpdate", "A.OnApplicationQuit", "Application.quitting", "A.OnDisable", "A.OnDestroy" }),
                    "Quit takes effect at the end of the frame");
                Assert.That(Application.isPlaying, Is.False);
                Assert.That(Player.IsRunning, Is.False);
            }
            finally { Application.quitting -= onQuit; }
        }

        [Test]
        public void Focus_and_pause_reach_every_script_and_focusChanged()
        {
            StartPlayer();
            new GameObject("A").AddComponent<Traced>();
            var focus = new List<bool>();
            Action<bool> onFocus = f => focus.Add(f);
            Application.focusChanged += onFocus;
            try
            {
                Player.RunFrames(1);
                Log.Clear();
                Player.SetFocus(false);
                Assert.That(Application.isFocused, Is.False);
                Player.SetPaused(true);
                var frames = Time.frameCount;
                var dsp = AudioSettings.dspTime;
                Player.RunFor(2);
                Assert.That(Time.frameCount, Is.EqualTo(frames), "no frame runs while paused");
                Assert.That(AudioSettings.dspTime, Is.EqualTo(dsp), "dspTime holds while paused");
                Player.SetPaused(false);
                Player.SetFocus(true);
                Assert.That(Log, Is.EqualTo(new[] { "A.OnApplicationFocus(False)", "A.OnApplicationPause(True)", "A.OnApplicationPause(False)", "A.OnApplicationFocus(True)" }));
                Assert.That(focus, Is.EqualTo(new[] { false, true }));
                Player.RunFor(0.1);
                Assert.That(Time.frameCount, Is.GreaterThan(frames));
            }
            finally { Application.focusChanged -= onFocus; }
        }

        [Test]
        public void Frames_are_jittered_around_the_nominal_rate()
        {
            StartPlayer(new SimulatedPlayerOptions { FramesPerSecond = 60, FrameJitter = 0.1, Seed = 7 });
            var deltas = new List<float>();
            new GameObject("Probe").AddComponent<FrameProbe>().OnUpdate = () => deltas.Add(Time.deltaTime);
            Player.RunFor(20);
            var d = deltas.Skip(1).Select(x => (double)x).ToList();
            Assert.That(d.Min(), Is.GreaterThanOrEqualTo(0.9 / 60 - 1e-6));
            Assert.That(d.Max(), Is.LessThanOrEqualTo(1.1 / 60 + 1e-6));
            Assert.That(d.Max() - d.Min(), Is.GreaterThan(0.15 / 60), "the jitter spans most of ±10 %");
            Assert.That(d.Average(), Is.EqualTo(1.0 / 60).Within(0.01 / 60));
            Assert.That(Time.time, Is.EqualTo(Player.Now).Within(0.02), "game time follows the virtual clock");
        }

        [Test]
        public void A_hitch_is_one_long_frame_whose_deltaTime_is_capped()
        {
            var options = new SimulatedPlayerOptions { FrameJitter = 0 };
            options.Hitches.Add(new PlayerHitch(2.0, 0.5));
            StartPlayer(options);
            var frames = new List<(double realtime, float delta, float unscaled)>();
            new GameObject("Probe").AddComponent<FrameProbe>().OnUpdate = () =>
                frames.Add((Time.realtimeSinceStartupAsDouble, Time.deltaTime, Time.unscaledDeltaTime));
            Player.RunFor(4);
            var gaps = frames.Zip(frames.Skip(1), (a, b) => (gap: b.realtime - a.realtime, b.delta)).ToList();
            var hitch = gaps.Single(g => g.gap > 0.1);
            Assert.That(hitch.gap, Is.EqualTo(0.5 + 1.0 / 60).Within(1e-9));
            Assert.That(hitch.delta, Is.EqualTo(1f / 3f).Within(1e-6), "deltaTime is capped at maximumDeltaTime");
            Assert.That(gaps.Count(g => Math.Abs(g.gap - 1.0 / 60) > 1e-9), Is.EqualTo(1));
        }

        [Test]
        public void The_same_seed_gives_the_same_run_and_another_seed_another()
        {
            List<float> Run(ulong seed)
            {
                var options = new SimulatedPlayerOptions { Seed = seed, RandomHitchProbability = 0.01 };
                using (var p = new SimulatedPlayer(options))
                {
                    var deltas = new List<float>();
                    new GameObject("Probe").AddComponent<FrameProbe>().OnUpdate = () => deltas.Add(Time.unscaledDeltaTime);
                    p.RunFor(10);
                    return deltas;
                }
            }
            var a = Run(42);
            var b = Run(42);
            var c = Run(43);
            Assert.That(b, Is.EqualTo(a));
            Assert.That(c, Is.Not.EqualTo(a));
            Assert.That(a.Count(x => x > 0.2f), Is.GreaterThan(0), "random hitches happened");
        }

        [Test]
        public void A_whole_scene_with_microphone_audio_thread_and_hitches_replays_identically()
        {
            (float[] heard, float[] captured, int frames) Run()
            {
                var options = new SimulatedPlayerOptions { Seed = 5, RandomHitchProbability = 0.02, FrameJitter = 0.2 };
                using (var p = new SimulatedPlayer(options))
                using (var heard = new HeardRecorder(p))
                {
                    var speech = Speech48k();
                    p.AddMicrophone(new SimulatedMicrophone("Mic", speech, 48000) { ClockDrift = 0.003, PacketMilliseconds = 20 });
                    ObjectWithListener();
                    var reader = new GameObject("Capture").AddComponent<MicrophoneReader>();
                    reader.Device = "Mic";
                    reader.Clip = Microphone.Start("Mic", true, 1, 48000);
                    // What the microphone heard, played back 1 s later through a streamed clip (read on the audio thread).
                    var played = -48000;
                    var go = new GameObject("Echo");
                    var source = go.AddComponent<AudioSource>();
                    source.clip = AudioClip.Create("echo", 48000 * 10, 1, 48000, true, data =>
                    {
                        for (var i = 0; i < data.Length; i++, played++) data[i] = played >= 0 && played < reader.Captured.Count ? reader.Captured[played] : 0f;
                    });
                    source.Play();
                    p.RunFor(8);
                    return (heard.ToArray(), reader.Captured.ToArray(), p.FrameCount);
                }
            }
            var a = Run();
            var b = Run();
            Assert.That(a.heard.Length, Is.GreaterThan(48000 * 2 * 7));
            Assert.That(a.heard.Any(v => v != 0f), Is.True);
            Assert.That(b.frames, Is.EqualTo(a.frames));
            Assert.That(b.captured, Is.EqualTo(a.captured));
            Assert.That(b.heard, Is.EqualTo(a.heard), "bit-identical output: the threads run in lock-step");
        }

        [Test]
        public void A_minute_of_play_takes_far_less_than_a_minute()
        {
            // Not a performance target: the simulated player must not pace itself against the wall clock.
            StartPlayer();
            ObjectWithListener();
            var go = new GameObject("Speaker");
            go.AddComponent<AudioSource>().Play();
            go.AddComponent<AudioOutputTests.FilterProbe>();
            var watch = Stopwatch.StartNew();
            Player.RunFor(60);
            watch.Stop();
            Assert.That(Player.AudioBlocks, Is.EqualTo(2813), "ceil(60 x 48000 / 1024) blocks rendered");
            Assert.That(watch.Elapsed.TotalSeconds, Is.LessThan(30), "virtual time runs faster than real time");
        }

        [Test]
        public void Main_thread_only_members_throw_on_another_thread()
        {
            StartPlayer();
            Player.AddMicrophone(new SimulatedMicrophone("Mic", new float[4800], 48000));
            var go = new GameObject("A");
            var clip = AudioClip.Create("c", 100, 1, 48000, false);
            var outcomes = Task.Run(() => new[]
            {
                Outcome(() => { var _ = Time.time; }),
                Outcome(() => Microphone.Start("Mic", true, 1, 48000)),
                Outcome(() => clip.GetData(new float[10], 0)),
                Outcome(() => go.AddComponent<Traced>()),
                Outcome(() => { var _ = new GameObject("B"); }),
                Outcome(() => { var _ = Application.isPlaying; }),
                Outcome(() => Microphone.GetPosition("Mic")),
                Outcome(() => { var _ = AudioSettings.dspTime; }),
                Outcome(() => Debug.Log("from a worker")),
            }).Result;
            Assert.That(outcomes.Take(6), Is.All.StartsWith("UnityException"));
            Assert.That(outcomes[0], Does.Contain("get_time can only be called from the main thread."));
            Assert.That(outcomes.Skip(6), Is.All.EqualTo("ok"), "GetPosition, dspTime and Debug.Log are thread-safe");
        }

        [Test]
        public void The_loop_cannot_be_run_from_inside_itself()
        {
            StartPlayer();
            Player.At(0.5, () => Player.RunFor(1));
            Player.RunFor(1);
            Assert.That(Player.Exceptions.Single(), Is.TypeOf<InvalidOperationException>());
            Assert.That(Player.Now, Is.EqualTo(1.0), "the outer run went on to its end");
        }

        [Test]
        public void An_exception_in_a_script_is_logged_and_the_loop_goes_on()
        {
            StartPlayer();
            new GameObject("Bad").AddComponent<Thrower>();
            var good = new GameObject("Good").AddComponent<Traced>();
            Player.RunFrames(3);
            Assert.That(Player.Exceptions.Count, Is.EqualTo(3));
            Assert.That(Player.Exceptions.All(e => e.Message == "boom"), Is.True);
            Assert.That(Log.Count(l => l == "Good.Update"), Is.EqualTo(3));
            Assert.That(good, Is.Not.Null);
        }

        static string Outcome(Action action)
        {
            try { action(); return "ok"; }
            catch (Exception e) { return e.GetType().Name + ": " + e.Message; }
        }
    }
}
