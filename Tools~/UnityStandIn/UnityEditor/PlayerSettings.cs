// Stand-in for UnityEditor.PlayerSettings (UnityCsReference Editor/Mono/PlayerSettings.bindings.cs:
// `public sealed partial class PlayerSettings : UnityEngine.Object` with a private constructor) and the members of its
// nested classes Parley reads: PlayerSettings.iOS.microphoneUsageDescription (Editor/Mono/PlayerSettingsIOS.bindings.cs,
// `public partial class iOS`) and PlayerSettings.Android.forceInternetPermission (Editor/Mono/PlayerSettingsAndroid.bindings.cs,
// `public partial class Android`). Values start as a new project's (empty description, Internet Access "Auto").
namespace UnityEditor
{
    public sealed partial class PlayerSettings : UnityEngine.Object
    {
        private PlayerSettings() { }

        public partial class iOS
        {
            public static string microphoneUsageDescription { get; set; } = string.Empty;
        }

        public partial class Android
        {
            public static bool forceInternetPermission { get; set; }
        }
    }
}
