// Stand-ins for the build pipeline types Parley's build check uses, each as UnityCsReference (2021.3) declares it:
// IOrderedCallback, IPreprocessBuildWithReport (Editor/Mono/BuildPipeline/BuildPipelineInterfaces.cs),
// BuildFailedException (Editor/Mono/BuildPipeline/BuildFailedException.cs), BuildReport
// (Modules/BuildReportingEditor/Managed/BuildReport.bindings.cs), BuildSummary (Modules/BuildReportingEditor/Managed/BuildSummary.cs),
// BuildTarget (Editor/Mono/BuildTarget.cs; the values Parley names), EditorUserBuildSettings
// (Editor/Mono/EditorUserBuildSettings.bindings.cs), EditorBuildSettings and EditorBuildSettingsScene
// (Editor/Mono/EditorBuildSettings.bindings.cs), AssetDatabase.GetDependencies and GUIDToAssetPath(string) (Modules/AssetDatabase/Editor/ScriptBindings/AssetDatabase.bindings.cs).
// No build runs here: these hold what a test puts in them.
using System;
using System.Linq;
using UnityEditor.Build.Reporting;

namespace UnityEditor
{
    public enum BuildTarget
    {
        StandaloneOSX = 2,
        StandaloneWindows = 5,
        iOS = 9,
        Android = 13,
        StandaloneWindows64 = 19,
        WebGL = 20,
        WSAPlayer = 21,
        StandaloneLinux64 = 24,
        tvOS = 37,
        NoTarget = -2,
    }

    public partial class EditorUserBuildSettings : UnityEngine.Object
    {
        static BuildTarget s_Active = BuildTarget.StandaloneWindows64;
        private EditorUserBuildSettings() { }
        public static BuildTarget activeBuildTarget => s_Active;
    }

    public class EditorBuildSettingsScene : IComparable
    {
        bool m_enabled;
        string m_path;
        public EditorBuildSettingsScene() { }
        public EditorBuildSettingsScene(string path, bool enabled) { m_path = path.Replace("\\", "/"); m_enabled = enabled; }
        public bool enabled { get { return m_enabled; } set { m_enabled = value; } }
        public string path { get { return m_path; } set { m_path = value.Replace("\\", "/"); } }
        public static string[] GetActiveSceneList(EditorBuildSettingsScene[] scenes) =>
            scenes.Where(scene => scene.enabled && !string.IsNullOrEmpty(scene.path)).Select(scene => scene.path).ToArray();
        public int CompareTo(object obj)
        {
            if (obj is EditorBuildSettingsScene temp) return temp.path.CompareTo(path);
            throw new ArgumentException("object is not a EditorBuildSettingsScene");
        }
    }

    public partial class EditorBuildSettings : UnityEngine.Object
    {
        static EditorBuildSettingsScene[] s_Scenes = new EditorBuildSettingsScene[0];
        private EditorBuildSettings() { }
        public static EditorBuildSettingsScene[] scenes { get => s_Scenes; set => s_Scenes = value ?? new EditorBuildSettingsScene[0]; }
    }

    public sealed partial class AssetDatabase
    {
        /// <summary>
        /// Unity lists the given paths and everything they reference; no asset database here knows more than the paths,
        /// and what a test adds to <see cref="Parley.StandIn.EditorBuildSimulation.References"/>.
        /// </summary>
        public static string[] GetDependencies(string[] pathNames, bool recursive) =>
            Parley.StandIn.EditorBuildSimulation.Dependencies(pathNames, recursive);

        /// <summary>No asset database here: every GUID is unknown ("" as Unity answers for one).</summary>
        public static string GUIDToAssetPath(string guid) => string.Empty;
    }
}

namespace UnityEditor.Build
{
    public interface IOrderedCallback
    {
        int callbackOrder { get; }
    }

    public interface IPreprocessBuildWithReport : IOrderedCallback
    {
        void OnPreprocessBuild(BuildReport report);
    }

    public class BuildFailedException : Exception
    {
        public BuildFailedException(string message) : base(message) { }
        public BuildFailedException(Exception innerException) : base(null, innerException) { }
    }
}

namespace UnityEditor.Build.Reporting
{
    public struct BuildSummary
    {
        internal BuildSummary(BuildTarget platform, string outputPath) { this.platform = platform; this.outputPath = outputPath; }
        public BuildTarget platform { get; }
        public string outputPath { get; }
    }

    public sealed class BuildReport : UnityEngine.Object
    {
        internal BuildReport(BuildSummary summary) { this.summary = summary; }
        public BuildSummary summary { get; }
    }
}

namespace Parley.StandIn
{
    using System.Collections.Generic;
    using UnityEditor;
    using UnityEditor.Build.Reporting;

    /// <summary>
    /// What a test sets up for the build stand-ins (not a Unity type, so outside Unity's namespaces): the report a build
    /// hands its preprocessors, and which assets reference which (the asset database's dependency graph).
    /// </summary>
    public static class EditorBuildSimulation
    {
        /// <summary>Project-relative asset path → the paths it references directly (GetDependencies follows them).</summary>
        public static readonly Dictionary<string, string[]> References = new Dictionary<string, string[]>();

        /// <summary>The report Unity passes to IPreprocessBuildWithReport.OnPreprocessBuild for a build of <paramref name="target"/>.</summary>
        public static BuildReport Report(BuildTarget target, string outputPath) => new BuildReport(new BuildSummary(target, outputPath));

        internal static string[] Dependencies(string[] pathNames, bool recursive)
        {
            var seen = new List<string>();
            var pending = new Stack<string>(pathNames.Reverse());
            while (pending.Count > 0)
            {
                var path = pending.Pop();
                if (seen.Contains(path)) continue;
                seen.Add(path);
                if (!References.TryGetValue(path, out var refs)) continue;
                if (recursive) foreach (var r in refs.Reverse()) pending.Push(r);
                else foreach (var r in refs) if (!seen.Contains(r)) seen.Add(r);
            }
            return seen.ToArray();
        }
    }
}
