using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;
using Parley.Simulation;
using UnityEngine;
using UnityEngine.Android;

namespace Parley.Tests.Simulation
{
    /// <summary>The microphone permission on Android and iOS (audio-behaviour.md §1; AndroidPermissions.cs).</summary>
    public class PermissionTests : SimulationFixture
    {
        public sealed class AppEvents : MonoBehaviour
        {
            public readonly List<string> Log = new List<string>();
            void OnApplicationPause(bool pause) => Log.Add("pause " + pause);
            void OnApplicationFocus(bool focus) => Log.Add("focus " + focus);
        }

        [Test]
        public void Android_asks_with_a_dialog_that_suspends_the_app_and_then_the_microphone_starts()
        {
            StartPlayer(new SimulatedPlayerOptions { Platform = RuntimePlatform.Android });
            Player.AddMicrophone(new SimulatedMicrophone("Android audio input", new float[48000], 48000));
            var app = new GameObject("App").AddComponent<AppEvents>();
            Assert.That(Permission.HasUserAuthorizedPermission(Permission.Microphone), Is.False);
            SimulatedConsole.Clear();
            Assert.That(Microphone.Start(null, true, 1, 48000), Is.Null, "no permission: the recording fails to start");
            Assert.That(SimulatedConsole.Snapshot(), Does.Contain("Error: Starting Microphone failed. result=33"));

            var granted = new List<string>();
            var callbacks = new PermissionCallbacks();
            callbacks.PermissionGranted += granted.Add;
            Player.Permissions.DialogSeconds = 2.0;
            Permission.RequestUserPermission(Permission.Microphone, callbacks);
            var frames = Time.frameCount;
            Player.RunFor(1.9);
            Assert.That(Time.frameCount, Is.EqualTo(frames), "the app is suspended while the dialog shows");
            Assert.That(granted, Is.Empty);
            Player.RunFor(0.2);
            Assert.That(granted, Is.EqualTo(new[] { Permission.Microphone }));
            Assert.That(app.Log, Is.EqualTo(new[] { "focus False", "pause True", "pause False", "focus True" }));
            Assert.That(Permission.HasUserAuthorizedPermission(Permission.Microphone), Is.True);
            Assert.That(Microphone.Start(null, true, 1, 48000), Is.Not.Null);
            Assert.That(Player.Permissions.DialogsShown, Is.EqualTo(1));
        }

        [Test]
        public void Android_denial_and_dont_ask_again_reach_the_callbacks()
        {
            StartPlayer(new SimulatedPlayerOptions { Platform = RuntimePlatform.Android });
            var denied = new List<string>();
            var never = new List<string>();
            var callbacks = new PermissionCallbacks();
            callbacks.PermissionDenied += denied.Add;
            callbacks.PermissionDeniedAndDontAskAgain += never.Add;

            Player.Permissions.Answer = PermissionAnswer.Denied;
            Permission.RequestUserPermission(Permission.Microphone, callbacks);
            Player.RunFor(3);
            Player.Permissions.Answer = PermissionAnswer.DeniedAndDontAskAgain;
            Permission.RequestUserPermission(Permission.Microphone, callbacks);
            Player.RunFor(3);
            Assert.That((denied.Count, never.Count, Player.Permissions.DialogsShown), Is.EqualTo((1, 1, 2)));

            // After "don't ask again" no dialog shows; without that handler Unity raises the plain denial.
            var fallback = new PermissionCallbacks();
            var plain = new List<string>();
            fallback.PermissionDenied += plain.Add;
            Permission.RequestUserPermission(Permission.Microphone, fallback);
            Player.RunFrames(1);
            Assert.That(plain, Is.EqualTo(new[] { Permission.Microphone }));
            Assert.That(Player.Permissions.DialogsShown, Is.EqualTo(2));
            Assert.That(Permission.HasUserAuthorizedPermission(Permission.Microphone), Is.False);
        }

        [Test]
        public void iOS_authorization_is_an_AsyncOperation_that_completes_after_the_dialog()
        {
            StartPlayer(new SimulatedPlayerOptions { Platform = RuntimePlatform.IPhonePlayer });
            Assert.That(Application.HasUserAuthorization(UserAuthorization.Microphone), Is.False);
            Player.Permissions.Answer = PermissionAnswer.Granted;
            var operation = Application.RequestUserAuthorization(UserAuthorization.Microphone);
            var completions = 0;
            operation.completed += op => completions++;
            Assert.That(operation.isDone, Is.False);
            Player.RunFor(2.5);
            Assert.That(operation.isDone, Is.True);
            Assert.That(completions, Is.EqualTo(1));
            operation.completed += op => completions++;
            Assert.That(completions, Is.EqualTo(2), "a handler added after completion runs at once");
            Assert.That(Application.HasUserAuthorization(UserAuthorization.Microphone), Is.True);
        }

        [Test]
        public void Desktop_players_need_no_permission()
        {
            StartPlayer(new SimulatedPlayerOptions { Platform = RuntimePlatform.WindowsPlayer });
            Assert.That(Application.HasUserAuthorization(UserAuthorization.Microphone), Is.True);
            var operation = Application.RequestUserAuthorization(UserAuthorization.Microphone);
            Player.RunFrames(1);
            Assert.That(operation.isDone, Is.True);
            Assert.That(Player.Permissions.DialogsShown, Is.EqualTo(0));
        }
    }
}
