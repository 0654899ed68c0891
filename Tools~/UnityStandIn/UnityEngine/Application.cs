// Stand-in for UnityEngine.Application (api-signatures.md §11; UnityCsReference Runtime/Export/Application/
// Application.bindings.cs, Application.cs). isPlaying is true while a simulated player runs; quitting and
// focusChanged are raised by it (Parley.Simulation.SimulatedPlayer.Quit / SetFocus). Members of 2022.2+
// (exitCancellationToken) are left out: the stand-in is the 2021.3 surface.
using System;
using Parley.Simulation;

namespace UnityEngine
{
    public partial class Application
    {
        public static bool isPlaying { get { Engine.MainThreadOnly("get_isPlaying"); return Engine.Player != null && Engine.Player.IsRunning; } }

        public static bool isFocused { get { Engine.MainThreadOnly("get_isFocused"); return Engine.Player == null || Engine.Player.IsFocused; } }

        public static bool isEditor { get { Engine.MainThreadOnly("get_isEditor"); return false; } }

        public static RuntimePlatform platform
        {
            get { Engine.MainThreadOnly("get_platform"); return Engine.Player?.Options.Platform ?? RuntimePlatform.LinuxPlayer; }
        }

        /// <summary>The player's <see cref="SimulatedPlayerOptions.PersistentDataPath"/> (made if missing, as Unity does). Main thread only, as in Unity.</summary>
        public static string persistentDataPath
        {
            get
            {
                Engine.MainThreadOnly("get_persistentDataPath");
                var options = Engine.Player?.Options;
                if (options == null) return string.Empty;
                if (options.PersistentDataPath == null)
                    options.PersistentDataPath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "parley-player-" + Guid.NewGuid().ToString("N"));
                // Unity makes the directory at start-up and never throws here: a path it cannot make is still returned.
                try { System.IO.Directory.CreateDirectory(options.PersistentDataPath); }
                catch (System.IO.IOException) { }
                catch (UnauthorizedAccessException) { }
                return options.PersistentDataPath;
            }
        }

        /// <summary>iOS/Android: asks the simulated device (a dialog while it shows); elsewhere completes at once.</summary>
        public static AsyncOperation RequestUserAuthorization(UserAuthorization mode)
        {
            Engine.MainThreadOnly("RequestUserAuthorization");
            var operation = new AsyncOperation();
            Engine.Permissions.Request(mode == UserAuthorization.Microphone, answer => operation.Complete());
            return operation;
        }

        public static bool HasUserAuthorization(UserAuthorization mode)
        {
            Engine.MainThreadOnly("HasUserAuthorization");
            return mode == UserAuthorization.Microphone && Engine.Permissions.MicrophoneGranted;
        }

        public static event Action<bool> focusChanged;
        public static event Func<bool> wantsToQuit;
        public static event Action quitting;

        public static void Quit() => Quit(0);

        public static void Quit(int exitCode)
        {
            Engine.MainThreadOnly("Quit");
            Engine.Player?.RequestQuit();
        }

        internal static void RaiseFocusChanged(bool focus) => focusChanged?.Invoke(focus);

        internal static bool RaiseWantsToQuit()
        {
            var handlers = wantsToQuit;
            if (handlers == null) return true;
            foreach (Func<bool> h in handlers.GetInvocationList())
                if (!h()) return false;
            return true;
        }

        internal static void RaiseQuitting() => quitting?.Invoke();
    }

    public enum UserAuthorization { WebCam = 1, Microphone = 2 }

    public enum RuntimePlatform
    {
        OSXEditor = 0, OSXPlayer = 1, WindowsPlayer = 2, WindowsEditor = 7, IPhonePlayer = 8,
        Android = 11, LinuxPlayer = 13, LinuxEditor = 16, WebGLPlayer = 17,
        WSAPlayerX86 = 18, WSAPlayerX64 = 19, WSAPlayerARM = 20, PS4 = 25, XboxOne = 27,
        tvOS = 31, Switch = 32, GameCoreXboxSeries = 36, GameCoreXboxOne = 37, PS5 = 38,
        EmbeddedLinuxArm64 = 39, EmbeddedLinuxX64 = 41, LinuxServer = 43, WindowsServer = 44, OSXServer = 45,
    }
}
