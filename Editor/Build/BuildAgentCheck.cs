using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using Parley.Editor.Validation;

namespace Parley.Editor.Build
{
    /// <summary>
    /// "No token source for this build" for every VoiceAgent a build includes, read from text-serialized scenes and
    /// prefabs (engine-free): an agent whose token source URL is empty and whose profile needs a credential cannot
    /// start in a player unless code sets TokenSource.Callback. A warning, not a failure: code may set the callback.
    /// Prefab instances whose URL is set only as an override in the scene are not followed (the prefab itself is checked).
    /// </summary>
    public static class BuildAgentCheck
    {
        /// <summary>GUID of Runtime/Unity/Agent/VoiceAgent.cs.meta (a test holds it to the file).</summary>
        public const string VoiceAgentScriptGuid = "9466c85f52a995a38bc8f5c5a0607bc1";
        /// <summary>GUIDs of the profile scripts whose servers need a credential (OpenAI Realtime, Gemini Live).</summary>
        public static readonly string[] CredentialProfileScriptGuids = { "4678613d3e597e964f937c5159fb07cd", "0310b0aa015a77cda0d1e89439bea206" };
        /// <summary>GUID of the Riva cascade profile script: it needs a credential only when an endpoint is NVIDIA-hosted.</summary>
        public const string RivaProfileScriptGuid = "b0bac554eafc7a9bdc6c89c9bf061b5c";
        /// <summary>GUIDs of profile scripts whose servers need none (MiniCPM-o).</summary>
        public static readonly string[] KeylessProfileScriptGuids = { "756ce5ffde056908b6cfd213dff53266" };

        static readonly Regex s_Document = new Regex(@"^--- !u!(\d+) &(-?\d+)", RegexOptions.Multiline | RegexOptions.CultureInvariant);
        static readonly Regex s_Script = new Regex(@"^\s*m_Script: \{fileID: -?\d+, guid: ([0-9a-f]{32})", RegexOptions.Multiline | RegexOptions.CultureInvariant);
        static readonly Regex s_Profile = new Regex(@"^  profile: \{fileID: (-?\d+)(?:, guid: ([0-9a-f]{32}))?", RegexOptions.Multiline | RegexOptions.CultureInvariant);
        static readonly Regex s_TokenUrl = new Regex(@"^  tokenSource:\s*\r?\n    url:[ \t]*([^\r\n]*)", RegexOptions.Multiline | RegexOptions.CultureInvariant);
        static readonly Regex s_GameObject = new Regex(@"^  m_GameObject: \{fileID: (-?\d+)\}", RegexOptions.Multiline | RegexOptions.CultureInvariant);
        static readonly Regex s_RivaUrl = new Regex(@"^  (?:asrUrl|ttsUrl|llmUrl):[ \t]*([^\r\n]*)", RegexOptions.Multiline | RegexOptions.CultureInvariant);
        static readonly Regex s_Name = new Regex(@"^  m_Name: ([^\r\n]*)", RegexOptions.Multiline | RegexOptions.CultureInvariant);

        /// <param name="files">Project-relative files the build includes (<see cref="BuildContents.Select"/>).</param>
        /// <param name="pathOfGuid">Asset GUID → project-relative path, or null/empty when unknown (AssetDatabase.GUIDToAssetPath).</param>
        public static List<ValidationIssue> Check(string projectRoot, IEnumerable<string> files, Func<string, string> pathOfGuid)
        {
            var issues = new List<ValidationIssue>();
            foreach (var file in files)
            {
                if (!file.EndsWith(".unity", StringComparison.OrdinalIgnoreCase) && !file.EndsWith(".prefab", StringComparison.OrdinalIgnoreCase)) continue;
                string text;
                try { text = File.ReadAllText(Path.Combine(projectRoot, file)); }
                catch (IOException) { continue; }
                if (!text.StartsWith("%YAML", StringComparison.Ordinal)) continue;
                var docs = Documents(text);
                foreach (var doc in docs.Values)
                {
                    var script = s_Script.Match(doc.Body);
                    if (!script.Success || script.Groups[1].Value != VoiceAgentScriptGuid) continue;
                    var url = s_TokenUrl.Match(doc.Body);
                    if (url.Success && url.Groups[1].Value.Trim().Trim('\'', '"').Length > 0) continue;
                    var profile = s_Profile.Match(doc.Body);
                    var need = NeedsCredential(projectRoot, profile, pathOfGuid, out var what);
                    if (!need) continue;
                    // The token source's url line (the field to fill in), else the component's document.
                    var line = 1 + Count(text, '\n', doc.Start + (url.Success ? url.Groups[1].Index : 0));
                    issues.Add(new ValidationIssue(IssueSeverity.Warning, "no_token_source",
                        file + ":" + line + ": agent '" + AgentName(docs, doc.Body) + "' has no token source and " + what +
                        ": in this build it refuses to start unless code sets TokenSource.Callback."));
                }
            }
            return issues;
        }

        static bool NeedsCredential(string root, Match profile, Func<string, string> pathOfGuid, out string what)
        {
            if (!profile.Success || profile.Groups[1].Value == "0" || !profile.Groups[2].Success) { what = "no profile"; return false; }
            var path = pathOfGuid(profile.Groups[2].Value);
            string text = null;
            if (!string.IsNullOrEmpty(path))
                try { text = File.ReadAllText(Path.Combine(root, path)); }
                catch (IOException) { }
            var script = text != null ? s_Script.Match(text) : Match.Empty;
            if (script.Success && Array.IndexOf(KeylessProfileScriptGuids, script.Groups[1].Value) >= 0) { what = "a self-hosted profile"; return false; }
            if (script.Success && script.Groups[1].Value == RivaProfileScriptGuid)
            {
                var urls = new List<string>();
                foreach (Match m in s_RivaUrl.Matches(text)) urls.Add(m.Groups[1].Value.Trim().Trim('\'', '"'));
                if (!Parley.Providers.Riva.RivaEndpoints.AnyNvidiaHosted(urls.ToArray())) { what = "a self-hosted Riva profile"; return false; }
                what = "its Riva profile " + path + " uses NVIDIA-hosted endpoints (NVCF), which need a credential";
                return true;
            }
            // An unreadable or unknown profile counts as needing a credential: a false warning beats a player that cannot talk.
            what = script.Success && Array.IndexOf(CredentialProfileScriptGuids, script.Groups[1].Value) >= 0
                ? "its profile " + path + " needs a credential"
                : "its profile " + (string.IsNullOrEmpty(path) ? profile.Groups[2].Value : path) + " may need a credential";
            return true;
        }

        sealed class Doc { public int Start; public string ClassId; public string Body; }

        static Dictionary<string, Doc> Documents(string text)
        {
            var docs = new Dictionary<string, Doc>(StringComparer.Ordinal);
            var heads = s_Document.Matches(text);
            for (var i = 0; i < heads.Count; i++)
            {
                var start = heads[i].Index;
                var end = i + 1 < heads.Count ? heads[i + 1].Index : text.Length;
                docs[heads[i].Groups[2].Value] = new Doc { Start = start, ClassId = heads[i].Groups[1].Value, Body = text.Substring(start, end - start) };
            }
            return docs;
        }

        static string AgentName(Dictionary<string, Doc> docs, string body)
        {
            var go = s_GameObject.Match(body);
            if (go.Success && docs.TryGetValue(go.Groups[1].Value, out var d) && d.ClassId == "1")
            {
                var n = s_Name.Match(d.Body);
                if (n.Success) return n.Groups[1].Value.Trim();
            }
            return "?";
        }

        static int Count(string s, char c, int end)
        {
            var n = 0;
            for (var i = 0; i < end; i++) if (s[i] == c) n++;
            return n;
        }
    }
}
