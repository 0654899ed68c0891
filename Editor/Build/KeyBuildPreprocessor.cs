using System.IO;
using Parley.Editor.Inspectors;
using Parley.Editor.Validation;
using UnityEditor;
using UnityEditor.Build;
using UnityEditor.Build.Reporting;
using UnityEngine;

namespace Parley.Editor.Build
{
    /// <summary>
    /// Before every player build: scans what the build includes for key material and fails the build
    /// (BuildFailedException) naming asset, field and line with the key masked; lists what it could not read; logs the
    /// target's microphone and WebGL settings problems. The selection and verdict are <see cref="BuildContents"/> and
    /// <see cref="BuildKeyCheck"/>. Scenes come from Build Settings (a build script passing its own list is not seen).
    /// </summary>
    sealed class KeyBuildPreprocessor : IPreprocessBuildWithReport
    {
        public int callbackOrder => 0;

        public void OnPreprocessBuild(BuildReport report)
        {
            // Unity's working directory is the project folder.
            var root = Directory.GetCurrentDirectory();
            var scenes = EditorBuildSettingsScene.GetActiveSceneList(EditorBuildSettings.scenes);
            var files = BuildContents.Select(root, scenes, paths => AssetDatabase.GetDependencies(paths, true));
            // Unity's manual (Accessing package assets, "Resolving absolute paths",
            // https://docs.unity3d.com/2021.3/Documentation/Manual/upm-assets.html): Path.GetFullPath("Packages/<name>/...")
            // gives a package file's absolute path, wherever the package lives (Library/PackageCache for registry and
            // git packages; FileUtil.GetPhysicalPath documents that mapping). Assets/ paths resolve against the project folder.
            var scan = BuildContents.Scan(root, files, Path.GetFullPath);

            foreach (var issue in AgentChecks.CheckProject(ProjectFactsReader.Read(report.summary.platform)))
                if (issue.Severity != IssueSeverity.Info) Debug.LogWarning("Parley: " + issue.Message);
            foreach (var issue in BuildAgentCheck.Check(root, files, AssetDatabase.GUIDToAssetPath))
                Debug.LogWarning("Parley: " + issue.Message);
            var unscanned = BuildKeyCheck.NotScannedMessage(scan);
            if (unscanned != null) Debug.LogWarning(unscanned);
            var failure = BuildKeyCheck.FailureMessage(scan);
            if (failure != null) throw new BuildFailedException(failure);
            Debug.Log(BuildKeyCheck.CleanSummary(scan, files.Count));
        }
    }
}
