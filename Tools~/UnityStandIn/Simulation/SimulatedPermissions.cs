// The microphone permission of the simulated device: Android's RECORD_AUDIO (UnityEngine.Android.Permission) and
// iOS's microphone authorization (Application.RequestUserAuthorization). Asking shows a system dialog for
// DialogSeconds; on Android and iOS the app is suspended meanwhile ("while the system dialog shows, the app is
// suspended", audio-behaviour.md §1): focus is lost and the player pauses, then the answer arrives on the main
// thread. Asking again after "don't ask again", or when already granted, answers at once without a dialog.
// Desktop platforms need no permission (granted from the start).
using System;
using UnityEngine;

namespace Parley.Simulation
{
    public enum PermissionAnswer { Granted, Denied, DeniedAndDontAskAgain }

    public sealed class SimulatedPermissions
    {
        bool _dontAskAgain;
        bool _dialogOpen;

        /// <summary>Whether the microphone may be used now. Starts true except on Android and iOS.</summary>
        public bool MicrophoneGranted { get; set; } = true;

        /// <summary>What the user answers the next dialog.</summary>
        public PermissionAnswer Answer { get; set; } = PermissionAnswer.Granted;

        /// <summary>How long the dialog shows (virtual seconds).</summary>
        public double DialogSeconds { get; set; } = 2.0;

        /// <summary>Dialogs shown so far.</summary>
        public int DialogsShown { get; private set; }

        internal void Reset(RuntimePlatform platform)
        {
            MicrophoneGranted = !(platform == RuntimePlatform.Android || platform == RuntimePlatform.IPhonePlayer);
            Answer = PermissionAnswer.Granted;
            DialogSeconds = 2.0;
            DialogsShown = 0;
            _dontAskAgain = false;
            _dialogOpen = false;
        }

        /// <summary>A request; <paramref name="answered"/> runs on the main thread with the outcome.</summary>
        internal void Request(bool microphone, Action<PermissionAnswer> answered)
        {
            var player = Engine.Player;
            if (!microphone || player == null)
            {
                // Not modelled (other permissions), or edit mode: denied / granted at once, as the editor's stubs do.
                answered(player == null ? PermissionAnswer.Granted : PermissionAnswer.Denied);
                return;
            }
            if (MicrophoneGranted) { player.At(player.Now, () => answered(PermissionAnswer.Granted)); return; }
            if (_dontAskAgain) { player.At(player.Now, () => answered(PermissionAnswer.DeniedAndDontAskAgain)); return; }
            if (_dialogOpen) return;   // one system dialog at a time; a second request while it shows is dropped
            _dialogOpen = true;
            DialogsShown++;
            player.SetFocus(false);
            player.SetPaused(true);
            player.At(player.Now + DialogSeconds, () =>
            {
                _dialogOpen = false;
                var answer = Answer;
                if (answer == PermissionAnswer.Granted) MicrophoneGranted = true;
                if (answer == PermissionAnswer.DeniedAndDontAskAgain) _dontAskAgain = true;
                player.SetPaused(false);
                player.SetFocus(true);
                answered(answer);
            });
        }
    }
}
