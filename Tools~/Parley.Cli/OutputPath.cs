using System;
using System.IO;

namespace Parley.Cli
{
    /// <summary>
    /// Where a command may write a file. Inside a Unity package (such as this repository's root) Unity imports every
    /// file outside `~` and hidden folders and wants a .meta for it, so an output there is refused before anything
    /// runs, with the way out (out~/, which .gitignore lists). Missing parent folders are created.
    /// </summary>
    public static class OutputPath
    {
        public const string Folder = "out~";

        /// <summary>Checks <paramref name="path"/> (given to <paramref name="option"/>) and creates its folder; null stays null.</summary>
        public static string Prepare(string option, string path)
        {
            if (path == null) return null;
            string full;
            try { full = Path.GetFullPath(path); }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
            {
                throw new CliError("Option " + option + " is not a usable path ('" + path + "'): " + e.Message);
            }
            var package = ImportingPackage(full);
            if (package != null)
                throw new CliError("Option " + option + " " + path + " would land inside the Unity package at " + package + ", where Unity imports every file (and wants a .meta);"
                                   + " write it under " + Folder + "/ (ignored by Unity and git), e.g. " + option + " " + Folder + "/" + Path.GetFileName(full) + ", or outside the package.");
            var dir = Path.GetDirectoryName(full);
            try { if (dir != null) Directory.CreateDirectory(dir); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new CliError("Cannot create the folder for " + option + " '" + path + "': " + e.Message, ExitCodes.BadInput);
            }
            return path;
        }

        /// <summary>The package root whose import would pick up <paramref name="file"/>, or null (outside any package, or hidden from Unity).</summary>
        public static string ImportingPackage(string file)
        {
            if (HiddenFromUnity(Path.GetFileName(file))) return null;
            for (var dir = new DirectoryInfo(Path.GetDirectoryName(file)); dir != null; dir = dir.Parent)
            {
                if (IsUnityPackage(dir.FullName)) return dir.FullName;
                if (HiddenFromUnity(dir.Name)) return null;
            }
            return null;
        }

        /// <summary>A UPM package root: package.json with a .meta beside it or a "unity" field (a Node project's package.json is neither).</summary>
        static bool IsUnityPackage(string dir)
        {
            var manifest = Path.Combine(dir, "package.json");
            if (!File.Exists(manifest)) return false;
            if (File.Exists(manifest + ".meta")) return true;
            try { return Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(manifest))["unity"] != null; }
            catch (Exception e) when (e is Newtonsoft.Json.JsonException || e is IOException || e is UnauthorizedAccessException) { return false; }
        }

        /// <summary>Unity skips names ending in `~` or starting with `.` (and everything below such a folder).</summary>
        static bool HiddenFromUnity(string name) => name.EndsWith("~", StringComparison.Ordinal) || name.StartsWith(".", StringComparison.Ordinal);
    }
}
