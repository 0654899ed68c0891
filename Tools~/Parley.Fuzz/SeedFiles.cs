using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Newtonsoft.Json.Linq;

namespace Parley.Fuzz
{
    /// <summary>The recorded frames in the package's Tests/Fixtures~/protocols, as fuzzing seeds.</summary>
    public sealed class SeedFiles
    {
        /// <summary>Frames larger than this are left out: mutating 100 KB audio frames a million times costs time and finds nothing a small one does not.</summary>
        public const int MaxSeedBytes = 8 * 1024;

        public readonly string ProtocolsDirectory;

        public SeedFiles(string protocolsDirectory)
        {
            ProtocolsDirectory = protocolsDirectory;
        }

        /// <summary>Finds Tests/Fixtures~/protocols above <paramref name="start"/> (the build output sits under the package).</summary>
        public static SeedFiles Locate(string start = null)
        {
            for (var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "Tests", "Fixtures~", "protocols");
                if (File.Exists(Path.Combine(dir.FullName, "package.json")) && Directory.Exists(candidate)) return new SeedFiles(candidate);
            }
            throw new DirectoryNotFoundException("Tests/Fixtures~/protocols not found above " + (start ?? AppContext.BaseDirectory) + ".");
        }

        /// <summary>Server frames of the recorded Gemini Live sessions ("&lt;N json" entries) and the SDK wire capture.</summary>
        public IEnumerable<byte[]> GeminiServerFrames()
        {
            foreach (var file in Directory.GetFiles(Path.Combine(ProtocolsDirectory, "gemini-live", "recordings"), "*.websocket.log"))
            {
                var bytes = File.ReadAllBytes(file);
                var i = 0;
                while (i < bytes.Length)
                {
                    var lineStart = i;
                    var space = Array.IndexOf(bytes, (byte)' ', i);
                    if (space < 0) break;
                    var server = bytes[lineStart] == (byte)'<';
                    if ((server || bytes[lineStart] == (byte)'>') && int.TryParse(Encoding.ASCII.GetString(bytes, lineStart + 1, space - lineStart - 1), out var n)
                        && n >= 0 && space + 1 + n <= bytes.Length)
                    {
                        if (server && n <= MaxSeedBytes)
                        {
                            var frame = new byte[n];
                            Buffer.BlockCopy(bytes, space + 1, frame, 0, n);
                            yield return frame;
                        }
                        i = space + 1 + n;
                        while (i < bytes.Length && (bytes[i] == (byte)'\n' || bytes[i] == (byte)'\r')) i++;
                    }
                    else
                    {
                        var nl = Array.IndexOf(bytes, (byte)'\n', i);
                        if (nl < 0) break;
                        i = nl + 1;
                    }
                }
            }
            var capture = JArray.Parse(File.ReadAllText(Path.Combine(ProtocolsDirectory, "gemini-live", "sdk-wire-capture.json")));
            foreach (var entry in capture)
                if ((string)entry["dir"] == "server" && entry["msg"] is JObject msg)
                {
                    var frame = Encoding.UTF8.GetBytes(msg.ToString(Newtonsoft.Json.Formatting.None));
                    if (frame.Length <= MaxSeedBytes) yield return frame;
                }
        }

        /// <summary>The GA examples of OpenAI Realtime server events.</summary>
        public IEnumerable<byte[]> OpenAIServerEvents()
        {
            var examples = JObject.Parse(File.ReadAllText(Path.Combine(ProtocolsDirectory, "openai-realtime", "ga-examples.json")));
            foreach (var group in new[] { "valid" })
                if (examples[group] is JObject o)
                    foreach (var p in o.Properties())
                    {
                        if (!p.Name.StartsWith("RealtimeServerEvent", StringComparison.Ordinal)) continue;
                        var text = p.Value.Type == JTokenType.String ? (string)p.Value : p.Value.ToString(Newtonsoft.Json.Formatting.None);
                        yield return Encoding.UTF8.GetBytes(text);
                    }
        }
    }
}
