using System.Collections.Generic;

namespace Parley.Editor.Validation
{
    /// <summary>What the checks need to know about one agent and the project, read by the editor shells (engine-free input).</summary>
    public sealed class AgentFacts
    {
        public bool HasAudioSource = true;
        public bool HasProfile = true;
        /// <summary>The profile's provider ("openai", "gemini", "minicpmo").</summary>
        public string Provider;
        public bool RequiresCredential = true;
        /// <summary>The agent's token source URL as serialized (empty when none).</summary>
        public string TokenUrl;
        /// <summary>A capture source component is assigned or present (else the agent adds Unity's microphone).</summary>
        public bool HasCaptureSource;
        public bool UseNativeWebSocket;
        /// <summary>com.endel.nativewebsocket is installed (PARLEY_NATIVEWEBSOCKET is defined).</summary>
        public bool NativeWebSocketInstalled;
        /// <summary>Every serialized string of the agent and its profile: property path → value.</summary>
        public readonly List<KeyValuePair<string, string>> SerializedStrings = new List<KeyValuePair<string, string>>();
    }

    /// <summary>What the checks need to know about the project's player settings for the active target.</summary>
    public sealed class ProjectFacts
    {
        public PlayerTarget Target = PlayerTarget.Standalone;
        /// <summary>PlayerSettings.iOS.microphoneUsageDescription.</summary>
        public string IosMicrophoneUsageDescription;
        /// <summary>Text of Assets/Plugins/Android/AndroidManifest.xml, or null when the project has no custom main manifest.</summary>
        public string AndroidCustomManifest;
        /// <summary>PlayerSettings.Android.forceInternetPermission (Internet Access: Require).</summary>
        public bool AndroidForceInternetPermission;
    }
}
