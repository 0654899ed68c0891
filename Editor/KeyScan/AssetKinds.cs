using System;
using System.Collections.Generic;
using System.IO;

namespace Parley.Editor.KeyScan
{
    /// <summary>Which files the scanner reads as text, which it reports as unreadable, and which it passes over.</summary>
    public static class AssetKinds
    {
        /// <summary>Extensions of assets Unity serializes itself: text (starting "%YAML") or binary, per Asset Serialization Mode.</summary>
        static readonly HashSet<string> s_Serialized = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            ".unity", ".prefab", ".asset", ".mat", ".controller", ".overrideController", ".anim", ".mask", ".physicMaterial",
            ".physicsMaterial2D", ".playable", ".mixer", ".lighting", ".preset", ".spriteatlas", ".terrainlayer", ".guiskin",
            ".fontsettings", ".cubemap", ".flare", ".renderTexture", ".signal", ".brush", ".shadervariants", ".giparams",
        };

        /// <summary>Media formats that hold samples, pixels or meshes, not text a key could be pasted into.</summary>
        static readonly HashSet<string> s_Media = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            ".png", ".jpg", ".jpeg", ".tga", ".tif", ".tiff", ".psd", ".exr", ".hdr", ".bmp", ".gif", ".wav", ".mp3", ".ogg",
            ".aif", ".aiff", ".flac", ".fbx", ".obj", ".blend", ".dae", ".3ds", ".ttf", ".otf", ".mp4", ".mov", ".webm",
        };

        /// <summary>Library, Temp and obj at the top of a Unity project, .git anywhere: generated or not part of a build.</summary>
        public static bool IsGeneratedFolder(string name, bool top) =>
            name == ".git" || top && (name == "Library" || name == "Temp" || name == "obj");

        public static bool IsMedia(string path) => s_Media.Contains(Path.GetExtension(path));

        public static bool IsUnitySerialized(string path) => s_Serialized.Contains(Path.GetExtension(path));

        /// <summary>Null for a text file; otherwise why it cannot be scanned.</summary>
        public static string WhyNotText(string path, byte[] bytes)
        {
            if (IsUnitySerialized(path) && bytes.Length > 0 && !StartsWithYaml(bytes))
                return "binary-serialized Unity asset; set Asset Serialization to Force Text to scan it";
            // Text has no NUL bytes (UTF-16 text is recognised by its BOM); binary content almost always does early on.
            var utf16 = bytes.Length >= 2 && (bytes[0] == 0xFF && bytes[1] == 0xFE || bytes[0] == 0xFE && bytes[1] == 0xFF);
            if (!utf16 && Array.IndexOf(bytes, (byte)0, 0, Math.Min(bytes.Length, 8192)) >= 0) return "binary content";
            return null;
        }

        static bool StartsWithYaml(byte[] b)
        {
            var o = b.Length >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0;
            return b.Length >= o + 5 && b[o] == '%' && b[o + 1] == 'Y' && b[o + 2] == 'A' && b[o + 3] == 'M' && b[o + 4] == 'L';
        }
    }
}
