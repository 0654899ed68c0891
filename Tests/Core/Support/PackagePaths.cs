using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Parley.Tests.Support
{
    /// <summary>
    /// Finds the package root, and so its test fixtures (<c>Tests/Fixtures~</c>, which Unity does not import), however
    /// the package is installed: in Unity through the Package Manager's own answer for this assembly, else from the
    /// Unity project's layout (embedded in <c>Packages/</c>, a <c>file:</c> folder in <c>Packages/manifest.json</c>, or
    /// git/registry/tarball copies in <c>Library/PackageCache/com.parley.voice@…</c>); under <c>dotnet test</c> and
    /// Mono by walking up from the test assembly.
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
            var root = FindRoot(UnityResolvedPath(typeof(PackagePaths).Assembly), Environment.CurrentDirectory, AppContext.BaseDirectory);
            if (root != null) return root;
            throw new DirectoryNotFoundException("Could not find the " + PackageName + " package: not from Unity's Package Manager, " +
                "not in the Unity project at " + Environment.CurrentDirectory + " (Packages/, Packages/manifest.json, Library/PackageCache/), " +
                "not above " + AppContext.BaseDirectory);
        }

        /// <summary>
        /// The package root from, in order: Unity's resolved path for this package, a Unity project at
        /// <paramref name="projectDir"/>, or a folder above <paramref name="projectDir"/> or <paramref name="baseDir"/>.
        /// Null if none holds the package.
        /// </summary>
        public static string FindRoot(string unityResolvedPath, string projectDir, string baseDir)
        {
            if (unityResolvedPath != null && IsPackageRoot(unityResolvedPath)) return Path.GetFullPath(unityResolvedPath);
            var inProject = projectDir == null ? null : FindInUnityProject(projectDir);
            if (inProject != null) return inProject;
            foreach (var start in new[] { baseDir, projectDir })
            {
                if (start == null) continue;
                for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                    if (IsPackageRoot(dir.FullName)) return dir.FullName;
            }
            return null;
        }

        /// <summary>Where the Package Manager puts this package inside the Unity project at <paramref name="project"/>.</summary>
        public static string FindInUnityProject(string project)
        {
            var packages = Path.Combine(project, "Packages");
            var embedded = Path.Combine(packages, PackageName);
            if (IsPackageRoot(embedded)) return Path.GetFullPath(embedded);
            // A local folder dependency ("file:../parley" or an absolute path) is used where it is, relative to Packages/.
            var manifest = Path.Combine(packages, "manifest.json");
            if (File.Exists(manifest))
            {
                var m = Regex.Match(File.ReadAllText(manifest), "\"" + Regex.Escape(PackageName) + "\"\\s*:\\s*\"file:([^\"]+)\"");
                if (m.Success)
                {
                    var local = Path.GetFullPath(Path.Combine(packages, m.Groups[1].Value.Replace('/', Path.DirectorySeparatorChar)));
                    if (IsPackageRoot(local)) return local;
                }
            }
            // Git URLs, registries and tarballs ("file:….tgz") are unpacked into the package cache as name@version-or-hash.
            var cache = Path.Combine(project, "Library", "PackageCache");
            if (!Directory.Exists(cache)) return null;
            return Directory.GetDirectories(cache, PackageName + "@*").Where(IsPackageRoot)
                .OrderByDescending(Directory.GetLastWriteTimeUtc).Select(Path.GetFullPath).FirstOrDefault();
        }

        /// <summary>
        /// UnityEditor.PackageManager.PackageInfo.FindForAssembly(assembly).resolvedPath when the editor is loaded
        /// (UnityCsReference Modules/PackageManager/Editor/Managed/PackageInfo.cs), by reflection so that these tests
        /// stay engine-free. Null anywhere else.
        /// </summary>
        static string UnityResolvedPath(Assembly assembly)
        {
            try
            {
                var type = AppDomain.CurrentDomain.GetAssemblies()
                    .Select(a => a.GetType("UnityEditor.PackageManager.PackageInfo", false)).FirstOrDefault(t => t != null);
                var find = type?.GetMethod("FindForAssembly", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(Assembly) }, null);
                var info = find?.Invoke(null, new object[] { assembly });
                if (info == null) return null;
                var property = type.GetProperty("resolvedPath");
                return (property != null ? property.GetValue(info) : type.GetField("resolvedPath")?.GetValue(info)) as string;
            }
            catch (Exception e) when (e is TargetInvocationException || e is ArgumentException || e is InvalidOperationException)
            {
                return null;   // not a package assembly (e.g. loaded from elsewhere): the project layout answers
            }
        }

        static readonly Regex NameField = new Regex("\"name\"\\s*:\\s*\"" + Regex.Escape(PackageName) + "\"");

        /// <summary>A folder whose package.json is this package's own (not one that merely depends on it).</summary>
        static bool IsPackageRoot(string dir)
        {
            var manifest = Path.Combine(dir, "package.json");
            return File.Exists(manifest) && NameField.IsMatch(File.ReadAllText(manifest));
        }
    }
}
