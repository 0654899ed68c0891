using System.Collections.Generic;
using System.IO;

namespace Parley.Editor.Validation
{
    /// <summary>
    /// Everything the VoiceAgent inspector and the console warn about, decided from plain facts (engine-free, tested
    /// without the editor): missing AudioSource or profile, key material in a serialized field, no token source for a
    /// build, the target's microphone permission settings, WebGL limits.
    /// </summary>
    public static class AgentChecks
    {
        public static List<ValidationIssue> Check(AgentFacts agent, ProjectFacts project)
        {
            var issues = new List<ValidationIssue>();
            if (!agent.HasAudioSource)
                issues.Add(new ValidationIssue(IssueSeverity.Error, "missing_audio_source", "No AudioSource on this GameObject: the agent has nothing to speak through. Add one."));
            if (!agent.HasProfile)
                issues.Add(new ValidationIssue(IssueSeverity.Warning, "no_profile", "No profile: choose one (Assets → Create → Parley) or the agent cannot connect."));
            issues.AddRange(SerializedKeyCheck.Check(agent.SerializedStrings));
            if (agent.HasProfile && agent.RequiresCredential && string.IsNullOrWhiteSpace(agent.TokenUrl))
                issues.Add(new ValidationIssue(IssueSeverity.Warning, "no_token_source",
                    "No token source for " + project.Target + " builds: in a player the agent refuses to start unless your code sets TokenSource.Callback. " +
                    "Development keys work in the editor only."));
            issues.AddRange(CheckProject(project, agent));
            return issues;
        }

        /// <summary>Target-wide checks (also run by the build check, without an agent: pass null).</summary>
        public static List<ValidationIssue> CheckProject(ProjectFacts project, AgentFacts agent = null)
        {
            var issues = new List<ValidationIssue>();
            switch (project.Target)
            {
                case PlayerTarget.iOS:
                    if (string.IsNullOrWhiteSpace(project.IosMicrophoneUsageDescription))
                        issues.Add(new ValidationIssue(IssueSeverity.Error, "ios_microphone_usage",
                            "Player Settings → iOS → Microphone Usage Description is empty: iOS ends an app that opens the microphone without it. Say why the game listens."));
                    break;
                case PlayerTarget.Android:
                    if (project.AndroidCustomManifest != null)
                    {
                        bool removes;
                        try { removes = AndroidManifestCheck.RemovesMicrophone(project.AndroidCustomManifest); }
                        catch (InvalidDataException e)
                        {
                            issues.Add(new ValidationIssue(IssueSeverity.Warning, "android_manifest_unreadable", e.Message));
                            break;
                        }
                        if (removes)
                            issues.Add(new ValidationIssue(IssueSeverity.Error, "android_microphone_permission",
                                "Assets/Plugins/Android/AndroidManifest.xml removes " + AndroidManifestCheck.RecordAudio + " (tools:node=\"remove\"): the microphone cannot be opened. Remove that element."));
                    }
                    if (!project.AndroidForceInternetPermission)
                        issues.Add(new ValidationIssue(IssueSeverity.Warning, "android_internet_permission",
                            "Player Settings → Android → Internet Access is Auto: Unity then adds INTERNET only when it detects a networking API in the scripts. Set it to Require so the agent's socket can always connect."));
                    break;
                case PlayerTarget.WebGL:
                    if (agent == null) break;
                    if (!agent.NativeWebSocketInstalled)
                        issues.Add(new ValidationIssue(IssueSeverity.Error, "webgl_websocket",
                            "WebGL needs the browser's WebSocket: install com.endel.nativewebsocket (the agent uses it on WebGL whatever Use Native Web Socket says)."));
                    if (!agent.HasCaptureSource)
                        issues.Add(new ValidationIssue(IssueSeverity.Error, "webgl_capture",
                            "WebGL has no Unity microphone capture here: assign a capture source that reads the browser's microphone, or the agent cannot start."));
                    if (agent.Provider == "minicpmo")
                        issues.Add(new ValidationIssue(IssueSeverity.Error, "webgl_provider",
                            "The MiniCPM-o provider streams over HTTP requests a WebGL player cannot make: use a WebSocket provider on WebGL."));
                    issues.Add(new ValidationIssue(IssueSeverity.Info, "webgl_threads",
                        "WebGL has no threads: the session runs on the player loop, so long frames delay audio. The token endpoint must allow the game's origin (CORS)."));
                    break;
            }
            return issues;
        }
    }
}
