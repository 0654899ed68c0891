using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Parley.Servers.OpenAI;
using Parley.Session;
using Parley.Simulation;
using Parley.Unity.Agent;
using Parley.Unity.Capture;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>
    /// The agent through the player's lifecycle mid-reply: application pause (close or keep), scene unload, and two
    /// play sessions in one process, which is the editor with domain reload off (statics survive).
    /// </summary>
    public class VoiceAgentLifecycleTests
    {
        static OpenAIRealtimeEmulatorOptions Sharpen() => new OpenAIRealtimeEmulatorOptions { UserTranscripts = new[] { "Can you sharpen my sword before sunset?" } };

        [Test]
        public void Pausing_mid_reply_with_close_releases_the_socket_before_the_app_is_suspended()
        {
            using (var scene = VoiceAgentTests.SpeakingScene())
            using (var heard = new HeardRecorder(scene.Player))
            {
                scene.Agent.WhenBackgrounded = BackgroundPolicy.Close;
                scene.Player.SetPaused(true);
                // No frame runs while paused: what is released must be released inside OnApplicationPause.
                VoiceAgentTests.AssertReleased(scene);
                Assert.That(scene.Agent.LastStopReason, Is.EqualTo(AgentStopReason.Backgrounded));
                scene.Player.At(scene.Player.Now + 5, () => scene.Player.SetPaused(false));
                scene.Player.RunFor(5.5);
                Assert.That(scene.Agent.IsConversing, Is.False);
                var after = heard.ToArray();
                Assert.That(after.Length, Is.GreaterThan(0));
                Assert.That(after.All(v => v == 0f), Is.True, "silent after the resume");
                Assert.That(scene.Player.Exceptions, Is.Empty);
            }
        }

        [Test]
        public void Pausing_mid_reply_with_keep_resumes_the_reply_where_it_stopped_and_counts_the_capture_gap_as_an_overrun()
        {
            using (var scene = VoiceAgentTests.SpeakingScene())
            using (var heard = new HeardRecorder(scene.Player))
            {
                scene.Agent.WhenBackgrounded = BackgroundPolicy.Keep;
                var overruns = scene.Capture.Overruns;
                scene.Player.SetPaused(true);
                scene.Player.At(scene.Player.Now + 3, () => scene.Player.SetPaused(false));
                scene.Player.RunFor(3);
                Assert.That(scene.Agent.Session, Is.Not.Null, "kept");
                Assert.That(scene.RunUntil(() => scene.Of<TurnCompleted>().Count >= 1, 30), Is.True, string.Join(" ", scene.Events.Select(e => e.Name)));
                scene.RunUntil(() => false, 0.3);

                // The mixer stopped with the app: the rest of the reply is heard after the resume, none of it lost.
                var output = heard.ToArray();
                var (first, last) = VoiceAgentTests.Audible(output, heard.Channels);
                var restMs = (last - first + 1) * 1000.0 / heard.SampleRate;
                var clipMs = scene.Emulator.Clips["npc-greeting"].Length / 24.0;
                var played = scene.Of<TurnCompleted>().Single();
                TestContext.WriteLine($"after the pause: {restMs:0.0} ms of the {clipMs:0.0} ms reply; capture overruns {scene.Capture.Overruns - overruns}, {scene.Capture.OverrunFrames / 48.0:0} ms");
                Assert.That(restMs, Is.InRange(clipMs - 1000, clipMs - 400), "the rest after ~0.5 s played before the pause");
                // The microphone clip (1 s) was lapped while the app slept: counted, never read as audio.
                Assert.That(scene.Capture.Overruns - overruns, Is.EqualTo(1));
                Assert.That(scene.Capture.OverrunFrames / 48000.0, Is.InRange(2.95, 3.1), "the 3 s pause, within a frame");
                Assert.That(scene.Agent.LastStopReason, Is.EqualTo(AgentStopReason.None));
                Assert.That(scene.Player.Exceptions, Is.Empty);
            }
        }

        [Test]
        public void Unloading_the_scene_mid_reply_releases_the_agent_and_a_DontDestroyOnLoad_hub_serves_the_next_scene()
        {
            using (var scene = new AgentScene(AgentScene.FirstQuestion(), Sharpen(), sharedMicrophone: true))
            using (var heard = new HeardRecorder(scene.Player))
            {
                UnityEngine.Object.DontDestroyOnLoad(scene.Hub);
                UnityEngine.Object.DontDestroyOnLoad(scene.Listener);
                scene.Agent.StartOnEnable = true;
                scene.Npc.SetActive(true);
                Assert.That(scene.RunUntil(() => scene.Agent.State == SessionState.AgentSpeaking, 30), Is.True);
                scene.RunUntil(() => false, 0.5);
                Assert.That(scene.Hub.Listeners.Count, Is.EqualTo(1));

                scene.Player.UnloadScene();
                Assert.That(scene.Npc == null, Is.True, "the NPC went with its scene");
                VoiceAgentTests.AssertReleased(scene);
                Assert.That(scene.Hub != null, Is.True, "the hub survived");
                Assert.That(scene.Hub.Listeners, Is.Empty, "the agent left the hub");
                var silentFrom = heard.ToArray().Length;
                scene.RunUntil(() => false, 0.5);
                Assert.That(heard.ToArray().Skip(silentFrom).All(v => v == 0f), Is.True, "the reply stopped with the scene");
                Assert.That(scene.Capture.Status, Is.EqualTo(CaptureStatus.Capturing), "the microphone kept recording");

                var events = new List<SessionEvent>();
                var next = scene.AddAgent("Innkeeper", new Vector3(2, 0, 0), events);   // the next scene's NPC
                next.StartOnEnable = true;
                next.gameObject.SetActive(true);
                Assert.That(scene.RunUntilConnected(() => next.State == SessionState.Listening), Is.True);
                var frames = next.FramesSubmitted;
                scene.RunUntil(() => false, 1);
                Assert.That(next.Capture, Is.SameAs(scene.Hub));
                Assert.That((next.FramesSubmitted - frames) / 48000.0, Is.InRange(0.9, 1.1), "the surviving hub feeds the new agent");
                Assert.That(scene.Emulator.Connections, Is.EqualTo(2));
                Assert.That(scene.Player.Exceptions, Is.Empty);
            }
        }

        // ───────────── domain reload off: a second play in the same domain ─────────────

        static readonly Assembly[] Package = { typeof(VoiceAgent).Assembly, typeof(VoiceSession).Assembly };

        static bool IsPackage(object o) => o != null && Package.Contains(o.GetType().Assembly);

        /// <summary>What would survive into the next play and must not: a live object, thread, socket, task or buffer.</summary>
        static bool Holds(object value, out string what)
        {
            what = null;
            switch (value)
            {
                case null: return false;
                case UnityEngine.Object o: what = "Unity object " + o.GetType().Name; return true;
                case Thread t: what = "thread " + t.Name; return t.IsAlive;
                case System.Net.Sockets.Socket _: what = "socket"; return true;
                case System.Net.WebSockets.WebSocket ws: what = "websocket " + ws.State; return true;
                case Task task: what = "task " + task.Status; return !task.IsCompleted;
                case CancellationTokenSource _: what = "CancellationTokenSource"; return true;
                case System.IO.Stream _: what = "stream"; return true;
                case Delegate d:
                    foreach (var h in d.GetInvocationList())
                        if (h.Target != null && !h.Target.GetType().IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false) || Holds(h.Target, out _))
                        { what = "delegate bound to " + h.Target.GetType().Name; return true; }
                    return false;
                case string _: return false;
                case IEnumerable items:
                    foreach (var item in items)
                        if (Holds(item, out what)) return true;
                    return false;
            }
            if (IsPackage(value) && value is IDisposable) { what = "disposable " + value.GetType().Name; return true; }
            return false;
        }

        /// <summary>Every static field of the package's assemblies, and the handlers of Unity's static events, that holds something.</summary>
        static List<string> StaticHoldings()
        {
            var found = new List<string>();
            foreach (var type in Package.SelectMany(a => a.GetTypes()).Where(t => !t.ContainsGenericParameters))
                foreach (var f in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (f.IsLiteral) continue;
                    object value;
                    try { value = f.GetValue(null); }
                    catch (TargetInvocationException) { continue; }
                    if (Holds(value, out var what)) found.Add(type.FullName + "." + f.Name + ": " + what);
                }
            // Unity's static events outlive a play with domain reload off: a handler left there keeps its component.
            foreach (var (type, name) in new[] { (typeof(AudioSettings), "OnAudioConfigurationChanged"), (typeof(Application), "focusChanged"), (typeof(Application), "quitting"), (typeof(Application), "wantsToQuit") })
            {
                var field = type.GetField(name, BindingFlags.Static | BindingFlags.NonPublic);
                Assert.That(field, Is.Not.Null, type.Name + "." + name + " backing field");
                if (field.GetValue(null) is Delegate d)
                    foreach (var h in d.GetInvocationList())
                        if (IsPackage(h.Target)) found.Add(type.Name + "." + name + ": handler on " + h.Target.GetType().Name);
            }
            return found;
        }

        /// <summary>One play: an agent (its session on its own task) mid-reply when play mode ends; true if the reply was reached.</summary>
        static List<TrackedProvider> Play(out bool conversed)
        {
            List<TrackedProvider> providers;
            using (var scene = new AgentScene(AgentScene.FirstQuestion(), Sharpen()))
            {
                scene.Agent.Loop = SessionLoop.Background;   // the player's default: the session runs on its own task
                scene.Agent.StartOnEnable = true;
                scene.Npc.SetActive(true);
                // The session's own thread takes the server's events in wall time: a virtual bound alone ran out before it did.
                conversed = scene.RunUntilInWallTime(() => scene.Agent.State == SessionState.AgentSpeaking);
                providers = scene.Providers;
            }   // leaving play: every object gets OnDisable/OnDestroy, the player stops, the emulator closes
            return providers;
        }

        sealed class KeyStore { public string Lookup(string name) => null; }

        [Test]
        public void The_static_scan_sees_a_handler_left_on_a_Unity_event_and_a_static_delegate_bound_to_an_object()
        {
            // The scan must be able to fail: plant both kinds of leak and see them reported.
            var before = StaticHoldings();
            using (var player = new SimulatedPlayer())
            {
                new GameObject("NPC").AddComponent<Parley.Unity.Voice.AgentVoice>();   // subscribes in OnEnable
                Assert.That(StaticHoldings().Except(before), Has.Some.Contains("AudioSettings.OnAudioConfigurationChanged: handler on AgentVoice"));
            }
            Assert.That(StaticHoldings().Except(before), Is.Empty, "OnDisable at the end of play unsubscribed it");
            var saved = Parley.Unity.Keys.AgentCredentials.EditorKeyLookup;
            try
            {
                Parley.Unity.Keys.AgentCredentials.EditorKeyLookup = new KeyStore().Lookup;
                Assert.That(StaticHoldings().Except(before), Has.Some.Contains("EditorKeyLookup: delegate bound to KeyStore"));
            }
            finally { Parley.Unity.Keys.AgentCredentials.EditorKeyLookup = saved; }
        }

        [Test]
        public void With_domain_reload_off_a_second_play_starts_clean_and_nothing_static_keeps_a_thread_socket_or_buffer()
        {
            var before = StaticHoldings();
            for (var play = 1; play <= 2; play++)
            {
                var providers = Play(out var conversed);
                Assert.That(conversed, Is.True, "play " + play + " reached the reply (statics left by the previous play did not get in the way)");
                var live = providers.Skip(1).ToList();
                Assert.That(live.All(p => p.Disposed >= 1 && !p.IsConnected), Is.True, "play " + play + ": every provider disposed, no socket open");
                var leaked = StaticHoldings().Except(before).ToList();
                TestContext.WriteLine($"play {play}: {leaked.Count} new static holdings; before: {string.Join("; ", before)}");
                Assert.That(leaked, Is.Empty, "play " + play + ": what a static keeps into the next play");
            }
        }
    }
}
