namespace Parley.Unity.Capture
{
    /// <summary>Where the player's answer about the microphone stands.</summary>
    public enum MicrophonePermissionState
    {
        /// <summary>Not granted and not asked yet (or asked before and the answer may change: ask again).</summary>
        NotAsked,
        /// <summary>The system dialog is up; the answer has not arrived.</summary>
        Asking,
        Granted,
        Denied,
        /// <summary>Denied for good (Android "don't ask again"): only the system settings can grant it now.</summary>
        DeniedAndDontAskAgain,
    }

    /// <summary>
    /// The platform's microphone permission, polled: <see cref="MicrophoneCapture"/> asks once and reads
    /// <see cref="State"/> every frame until the answer is in. Polled rather than called back because Unity's
    /// answers may arrive on another thread (an <c>AndroidJavaProxy</c> is called from Java), and the capture acts
    /// on them on the main thread. Android (<c>#if UNITY_ANDROID</c>) and iOS (<c>#if UNITY_IOS</c>) have their own;
    /// every other platform needs none.
    /// </summary>
    public interface IMicrophonePermission
    {
        MicrophonePermissionState State { get; }

        /// <summary>Shows the system dialog (main thread); does nothing while one is up.</summary>
        void Request();
    }

    /// <summary>Desktop, consoles, the editor: the microphone needs no permission.</summary>
    public sealed class NoMicrophonePermissionNeeded : IMicrophonePermission
    {
        public MicrophonePermissionState State => MicrophonePermissionState.Granted;
        public void Request() { }
    }

    public static class MicrophonePermissions
    {
        /// <summary>The permission of the platform the player was built for.</summary>
        public static IMicrophonePermission ForPlatform()
        {
#if UNITY_ANDROID
            return new AndroidMicrophonePermission();
#elif UNITY_IOS
            return new IosMicrophonePermission();
#else
            return new NoMicrophonePermissionNeeded();
#endif
        }
    }
}
