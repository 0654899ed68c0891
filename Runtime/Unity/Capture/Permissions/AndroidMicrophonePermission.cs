#if UNITY_ANDROID
using System.Threading;
using UnityEngine.Android;

namespace Parley.Unity.Capture
{
    /// <summary>
    /// Android's RECORD_AUDIO through <c>UnityEngine.Android.Permission</c> (UnityCsReference
    /// Modules/AndroidJNI/AndroidPermissions.cs): <c>HasUserAuthorizedPermission(Permission.Microphone)</c>, and
    /// <c>RequestUserPermission(Permission.Microphone, PermissionCallbacks)</c> whose answer is kept for the capture
    /// to read (the callbacks may run on the Java thread). Without a handler for "don't ask again" Unity would
    /// report a plain denial; this one handles it so the game can send the player to the settings.
    /// </summary>
    public sealed class AndroidMicrophonePermission : IMicrophonePermission
    {
        int _answer = (int)MicrophonePermissionState.NotAsked;

        public MicrophonePermissionState State =>
            Permission.HasUserAuthorizedPermission(Permission.Microphone) ? MicrophonePermissionState.Granted : (MicrophonePermissionState)Volatile.Read(ref _answer);

        public void Request()
        {
            if (State == MicrophonePermissionState.Asking) return;
            Volatile.Write(ref _answer, (int)MicrophonePermissionState.Asking);
            var callbacks = new PermissionCallbacks();
            callbacks.PermissionGranted += _ => Volatile.Write(ref _answer, (int)MicrophonePermissionState.Granted);
            callbacks.PermissionDenied += _ => Volatile.Write(ref _answer, (int)MicrophonePermissionState.Denied);
            callbacks.PermissionDeniedAndDontAskAgain += _ => Volatile.Write(ref _answer, (int)MicrophonePermissionState.DeniedAndDontAskAgain);
            Permission.RequestUserPermission(Permission.Microphone, callbacks);
        }
    }
}
#endif
