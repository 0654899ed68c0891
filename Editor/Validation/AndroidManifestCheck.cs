using System;
using System.IO;
using System.Xml;

namespace Parley.Editor.Validation
{
    /// <summary>
    /// Unity adds android.permission.RECORD_AUDIO to the merged manifest when scripts use the Microphone class; a custom
    /// main manifest can still take it out with tools:node="remove" (or removeAll), and then capture fails on device.
    /// </summary>
    public static class AndroidManifestCheck
    {
        const string AndroidNs = "http://schemas.android.com/apk/res/android";
        const string ToolsNs = "http://schemas.android.com/tools";
        public const string RecordAudio = "android.permission.RECORD_AUDIO";

        /// <summary>True when the manifest removes RECORD_AUDIO from the merge.</summary>
        /// <exception cref="InvalidDataException">The text is not XML.</exception>
        public static bool RemovesMicrophone(string manifestXml)
        {
            var doc = new XmlDocument { XmlResolver = null };
            try { doc.LoadXml(manifestXml); }
            catch (XmlException e) { throw new InvalidDataException("AndroidManifest.xml is not valid XML: " + e.Message, e); }
            foreach (XmlElement e in doc.GetElementsByTagName("uses-permission"))
            {
                if (e.GetAttribute("name", AndroidNs) != RecordAudio) continue;
                var node = e.GetAttribute("node", ToolsNs);
                if (string.Equals(node, "remove", StringComparison.Ordinal) || string.Equals(node, "removeAll", StringComparison.Ordinal)) return true;
            }
            return false;
        }
    }
}
