using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Audio;
using Parley.Servers.OpenAI;
using Parley.Session;
using Parley.Simulation;
using Parley.Tests.Simulation;
using Parley.Unity.Agent;
using Parley.Unity.Capture;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>
    /// The Android and iOS microphone permissions, as those players compile them (Parley.PlatformPermissions: the
    /// files behind #if UNITY_ANDROID / UNITY_IOS), on the simulated device: the system dialog suspends the app, the
    /// answer arrives, capture starts or the denial is reported.
    /// </summary>
    public class MicrophonePermissionTests : SimulationFixture
    {
        sealed class Sink : ICaptureSink
        {
            public readonly List<float> Samples = new List<float>();
            public void OnCaptured(ReadOnlySpan<float> interleaved, AudioFormat format) { foreach (var v in interleaved) Samples.Add(v); }
        }

        static IMicrophonePermission For(RuntimePlatform platform) =>
            platform == RuntimePlatform.Android ? new AndroidMicrophonePermission() : (IMicrophonePermission)new IosMicrophonePermission();

        MicrophoneCapture Capture(RuntimePlatform platform, PermissionAnswer answer, float[] input, out Sink sink, out List<(double at, CaptureStatus status)> statuses, out List<MicrophonePermissionState> denials, IMicrophonePermission permission = null)
        {
            StartPlayer(new SimulatedPlayerOptions { Platform = platform, Seed = 2 });
            SimulatedConsole.Clear();
            Player.Permissions.Answer = answer;
            Player.AddMicrophone(new SimulatedMicrophone("Mic", input, 48000));
            var go = new GameObject("Mic");
            go.SetActive(false);
            var capture = go.AddComponent<MicrophoneCapture>();
            capture.DeviceName = "Mic";
            capture.Permission = permission ?? For(platform);
            var s = new Sink();
            capture.AddSink(s);
            var st = new List<(double, CaptureStatus)>();
            capture.StatusChanged += (status, _) => st.Add((Player.Now, status));
            var d = new List<MicrophonePermissionState>();
            capture.PermissionDenied += d.Add;
            sink = s; statuses = st; denials = d;
            go.SetActive(true);
            return capture;
        }

        static float[] Ramp(int n) => MicrophoneCaptureTests.Ramp(n);

        [TestCase(RuntimePlatform.Android)]
        [TestCase(RuntimePlatform.IPhonePlayer)]
        public void Granted_after_the_dialog_the_microphone_captures_from_the_answer_on(RuntimePlatform platform)
        {
            var source = Ramp(48000 * 8);
            var capture = Capture(platform, PermissionAnswer.Granted, source, out var sink, out var statuses, out var denials);
            Assert.That(capture.Status, Is.EqualTo(CaptureStatus.AwaitingPermission));
            Assert.That(capture.Permission.State, Is.EqualTo(MicrophonePermissionState.Asking));
            Assert.That(Player.Permissions.DialogsShown, Is.EqualTo(1));
            var frames0 = Player.FrameCount;
            Player.RunFor(1.9);
            Assert.That(Player.FrameCount, Is.EqualTo(frames0), "the app is suspended while the dialog shows");
            Player.RunFor(3.1);

            Assert.That(statuses.Select(s => s.status), Is.EqualTo(new[] { CaptureStatus.AwaitingPermission, CaptureStatus.Starting, CaptureStatus.Capturing }));
            Assert.That(statuses[1].at, Is.InRange(2.0, 2.05), "Microphone.Start in the first frame after the 2 s dialog");
            Assert.That(denials, Is.Empty);
            Assert.That(SimulatedConsole.Snapshot().Where(l => l.Contains("Starting Microphone failed")), Is.Empty, "never started without permission");
            var n = sink.Samples.Count;
            Assert.That(n / 48000.0, Is.InRange(2.9, 3.0), "3 s of capture after the answer");
            Assert.That(sink.Samples, Is.EqualTo(source.Take(n)), "from the device's first sample, none lost");
            Assert.That(Player.Exceptions, Is.Empty);
        }

        [TestCase(RuntimePlatform.Android)]
        [TestCase(RuntimePlatform.IPhonePlayer)]
        public void Denied_the_capture_is_unavailable_raises_the_denial_once_and_asks_again_only_when_started_again(RuntimePlatform platform)
        {
            var capture = Capture(platform, PermissionAnswer.Denied, Ramp(48000 * 8), out var sink, out var statuses, out var denials);
            Player.RunFor(10);
            Assert.That(capture.Status, Is.EqualTo(CaptureStatus.Unavailable));
            Assert.That(denials, Is.EqualTo(new[] { MicrophonePermissionState.Denied }));
            Assert.That(statuses.Select(s => s.status), Is.EqualTo(new[] { CaptureStatus.AwaitingPermission, CaptureStatus.Unavailable }), "no retry loop");
            Assert.That(statuses[1].at, Is.InRange(2.0, 2.05));
            Assert.That(Player.Permissions.DialogsShown, Is.EqualTo(1));
            Assert.That(sink.Samples, Is.Empty);
            Assert.That(SimulatedConsole.Snapshot().Where(l => l.Contains("Starting Microphone failed")), Is.Empty);

            Player.Permissions.Answer = PermissionAnswer.Granted;   // the game explains, the player changes their mind
            capture.StartCapture();
            Player.RunFor(3);
            Assert.That(Player.Permissions.DialogsShown, Is.EqualTo(2));
            Assert.That(capture.Status, Is.EqualTo(CaptureStatus.Capturing));
            Assert.That(sink.Samples.Count / 48000.0, Is.InRange(0.9, 1.0));
        }

        [Test]
        public void Android_dont_ask_again_is_reported_as_such_and_shows_no_second_dialog()
        {
            var capture = Capture(RuntimePlatform.Android, PermissionAnswer.DeniedAndDontAskAgain, Ramp(48000 * 4), out _, out _, out var denials);
            Player.RunFor(3);
            capture.StartCapture();
            Player.RunFor(1);
            Assert.That(denials, Is.EqualTo(new[] { MicrophonePermissionState.DeniedAndDontAskAgain, MicrophonePermissionState.DeniedAndDontAskAgain }));
            Assert.That(Player.Permissions.DialogsShown, Is.EqualTo(1), "Android shows no dialog after \"don't ask again\"");
            Assert.That(capture.PermissionDenials, Is.EqualTo(2));
            Assert.That(capture.Status, Is.EqualTo(CaptureStatus.Unavailable));
        }

        [Test]
        public void Desktop_players_need_no_permission()
        {
            // Parley.dll is built here as a desktop player: the platform's permission is the one that never asks.
            var capture = Capture(RuntimePlatform.WindowsPlayer, PermissionAnswer.Denied, Ramp(48000 * 4), out var sink, out var statuses, out _, MicrophonePermissions.ForPlatform());
            Player.RunFor(1);
            Assert.That(capture.Permission, Is.TypeOf<NoMicrophonePermissionNeeded>());
            Assert.That(statuses.Select(s => s.status), Is.EqualTo(new[] { CaptureStatus.Starting, CaptureStatus.Capturing }));
            Assert.That(Player.Permissions.DialogsShown, Is.Zero);
            Assert.That(sink.Samples.Count / 48000.0, Is.InRange(0.9, 1.0));
        }

        [TestCase(PermissionAnswer.Granted)]
        [TestCase(PermissionAnswer.Denied)]
        public void An_agent_on_Android_connects_only_after_the_player_allowed_the_microphone(PermissionAnswer answer)
        {
            using (var scene = new AgentScene(AgentScene.FirstQuestion(), new OpenAIRealtimeEmulatorOptions { UserTranscripts = new[] { "Can you sharpen my sword before sunset?" } },
                       new SimulatedPlayerOptions { Platform = RuntimePlatform.Android, Seed = 5 }))
            {
                scene.Player.Permissions.Answer = answer;
                scene.Capture.Permission = new AndroidMicrophonePermission();
                scene.Agent.WhenBackgrounded = BackgroundPolicy.Close;   // the dialog's focus loss must not count as leaving
                string error = null;
                scene.Agent.Error += e => error = e.Code;
                scene.Agent.StartOnEnable = true;
                scene.Npc.SetActive(true);
                Assert.That(scene.Capture.Status, Is.EqualTo(CaptureStatus.AwaitingPermission));
                Assert.That(scene.Agent.IsConversing, Is.True);
                // Virtual time while the dialog shows (it answers after 2 s). Not RunUntil: the dialog pauses the app, so no
                // frame runs, and one frame's wait ran on to the answer, after which the check raced the socket's handshake.
                scene.Player.RunFor(1.5);
                Assert.That(scene.Capture.Status, Is.EqualTo(CaptureStatus.AwaitingPermission), "the dialog still shows");
                Assert.That(scene.Emulator.Connections, Is.Zero, "no socket while the player is asked");

                if (answer == PermissionAnswer.Granted)
                {
                    Assert.That(scene.RunUntil(() => scene.Of<TurnCompleted>().Count >= 1, 30), Is.True, string.Join(" ", scene.Events.Select(e => e.Name)));
                    Assert.That(scene.Emulator.Connections, Is.EqualTo(1));
                    Assert.That(error, Is.Null);
                    Assert.That(scene.Of<UserTranscriptEvent>().First(u => u.IsFinal).Text, Is.EqualTo("Can you sharpen my sword before sunset?"));
                }
                else
                {
                    Assert.That(scene.RunUntil(() => !scene.Agent.IsConversing, 3), Is.True);
                    Assert.That(error, Is.EqualTo("microphone_permission_denied"));
                    Assert.That(scene.Agent.LastStopReason, Is.EqualTo(AgentStopReason.MicrophoneDenied));
                    Assert.That(scene.Emulator.Connections, Is.Zero);
                    Assert.That(scene.Agent.FramesSubmitted, Is.Zero);
                }
                Assert.That(scene.Player.Exceptions, Is.Empty);
            }
        }
    }
}
