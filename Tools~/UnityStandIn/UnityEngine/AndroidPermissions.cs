// Stand-ins for UnityEngine.Android.Permission and PermissionCallbacks (api-signatures.md §12; UnityCsReference
// Modules/AndroidJNI/AndroidPermissions.cs, 2021.3 surface: no ShouldShowRequestPermissionRationale, no
// PermissionRequestDismissed) and the AndroidJavaProxy base (Modules/AndroidJNI/AndroidJava.cs; only the string
// constructor). The answers come from the simulated device (Parley.Simulation.SimulatedPermissions); only the
// microphone permission is modelled, any other reads as not granted.
using System;
using Parley.Simulation;

namespace UnityEngine
{
    public class AndroidJavaProxy
    {
        public AndroidJavaProxy(string javaInterface) { }
    }
}

namespace UnityEngine.Android
{
    public class PermissionCallbacks : AndroidJavaProxy
    {
        public event Action<string> PermissionGranted;
        public event Action<string> PermissionDenied;
        public event Action<string> PermissionDeniedAndDontAskAgain;

        public PermissionCallbacks() : base("com.unity3d.player.IPermissionRequestCallbacks") { }

        internal void OnPermissionGranted(string permissionName) => PermissionGranted?.Invoke(permissionName);

        internal void OnPermissionDenied(string permissionName) => PermissionDenied?.Invoke(permissionName);

        // As Unity's: without a handler for "don't ask again", the plain denial is raised.
        internal void OnPermissionDeniedAndDontAskAgain(string permissionName)
        {
            if (PermissionDeniedAndDontAskAgain != null) PermissionDeniedAndDontAskAgain(permissionName);
            else PermissionDenied?.Invoke(permissionName);
        }
    }

    public struct Permission
    {
        public const string Camera = "android.permission.CAMERA";
        public const string Microphone = "android.permission.RECORD_AUDIO";
        public const string FineLocation = "android.permission.ACCESS_FINE_LOCATION";
        public const string CoarseLocation = "android.permission.ACCESS_COARSE_LOCATION";
        public const string ExternalStorageRead = "android.permission.READ_EXTERNAL_STORAGE";
        public const string ExternalStorageWrite = "android.permission.WRITE_EXTERNAL_STORAGE";

        public static bool HasUserAuthorizedPermission(string permission)
        {
            if (permission == null) return false;
            return permission == Microphone && Engine.Permissions.MicrophoneGranted;
        }

        public static void RequestUserPermission(string permission)
        {
            if (permission == null) return;
            RequestUserPermissions(new[] { permission }, null);
        }

        public static void RequestUserPermissions(string[] permissions)
        {
            if (permissions == null || permissions.Length == 0) return;
            RequestUserPermissions(permissions, null);
        }

        public static void RequestUserPermission(string permission, PermissionCallbacks callbacks)
        {
            if (permission == null) return;
            RequestUserPermissions(new[] { permission }, callbacks);
        }

        public static void RequestUserPermissions(string[] permissions, PermissionCallbacks callbacks)
        {
            if (permissions == null || permissions.Length == 0) return;
            foreach (var p in permissions)
            {
                var name = p;
                Engine.Permissions.Request(name == Microphone, outcome =>
                {
                    if (callbacks == null) return;
                    if (outcome == PermissionAnswer.Granted) callbacks.OnPermissionGranted(name);
                    else if (outcome == PermissionAnswer.DeniedAndDontAskAgain) callbacks.OnPermissionDeniedAndDontAskAgain(name);
                    else callbacks.OnPermissionDenied(name);
                });
            }
        }
    }
}
