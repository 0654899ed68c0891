using System;
using System.IO;

namespace Parley.Tests.Support
{
    /// <summary>
    /// Finds the package root and its test fixtures both under `dotnet test` (walking up from the test
    /// assembly) and inside Unity (the project's Packages/com.parley.voice folder).
    /// </summary>
    public static class PackagePaths
    {
        public const string PackageName = "com.parley.voice";
        static string s_Root;

        public static string Root => s_Root ?? (s_Root = FindRoot());

        /// <summary>Tests/Fixtures~: copies of the shared speech, schemas and recordings (Unity does not import it).</summary>
        public static string Fixtures => Path.Combine(Root, "Tests", "Fixtures~");

        public static string Fixture(params string[] parts) => Path.Combine(Fixtures, Path.Combine(parts));

        static string FindRoot()
        {
            foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            {
                var unityPath = Path.Combine(start, "Packages", PackageName);
                if (IsPackageRoot(unityPath)) return Path.GetFullPath(unityPath);
                for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                    if (IsPackageRoot(dir.FullName)) return dir.FullName;
            }
            throw new DirectoryNotFoundException("Could not find the " + PackageName + " package root above " + AppContext.BaseDirectory);
        }

        static bool IsPackageRoot(string dir)
        {
            var manifest = Path.Combine(dir, "package.json");
            return File.Exists(manifest) && File.ReadAllText(manifest).Contains("\"" + PackageName + "\"");
        }
    }
}
