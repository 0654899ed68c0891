using System.IO;
using Parley.Editor.Validation;
using UnityEditor;

namespace Parley.Editor.Inspectors
{
    /// <summary>Reads the player settings the checks need for a build target (the editor side of <see cref="ProjectFacts"/>).</summary>
    static class ProjectFactsReader
    {
        public const string AndroidManifestPath = "Assets/Plugins/Android/AndroidManifest.xml";

        public static PlayerTarget Map(BuildTarget target)
        {
            switch (target)
            {
                case BuildTarget.iOS: return PlayerTarget.iOS;
                case BuildTarget.Android: return PlayerTarget.Android;
                case BuildTarget.WebGL: return PlayerTarget.WebGL;
                case BuildTarget.StandaloneWindows:
                case BuildTarget.StandaloneWindows64:
                case BuildTarget.StandaloneOSX:
                case BuildTarget.StandaloneLinux64:
                    return PlayerTarget.Standalone;
                default: return PlayerTarget.Other;
            }
        }

        public static ProjectFacts Read(BuildTarget target)
        {
            var facts = new ProjectFacts
            {
                Target = Map(target),
                IosMicrophoneUsageDescription = PlayerSettings.iOS.microphoneUsageDescription,
                AndroidForceInternetPermission = PlayerSettings.Android.forceInternetPermission,
            };
            facts.AndroidCustomManifest = facts.Target == PlayerTarget.Android ? CustomManifest() : null;
            return facts;
        }

        static string s_Manifest;
        static System.DateTime s_ManifestStamp;

        /// <summary>The custom main manifest's text, re-read only when the file changes (inspectors ask on every repaint).</summary>
        static string CustomManifest()
        {
            // Unity's working directory is the project folder.
            if (!File.Exists(AndroidManifestPath)) return s_Manifest = null;
            var stamp = File.GetLastWriteTimeUtc(AndroidManifestPath);
            if (s_Manifest == null || stamp != s_ManifestStamp)
            {
                s_Manifest = File.ReadAllText(AndroidManifestPath);
                s_ManifestStamp = stamp;
            }
            return s_Manifest;
        }
    }
}
