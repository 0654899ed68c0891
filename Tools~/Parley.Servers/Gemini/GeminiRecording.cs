using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Parley.Servers.Gemini;

/// <summary>One frame of a recorded session: who sent it and its JSON text.</summary>
public sealed record RecordedFrame(bool FromClient, string Json);

/// <summary>
/// A js-genai system-test recording (<c>test/system/recordings/live_*.websocket.log</c>). Format: each frame is
/// <c>&gt;LEN JSON</c> (client → server) or <c>&lt;LEN JSON</c> (server → client), where LEN is the JSON's length in
/// UTF-8 bytes and the JSON may span lines (server frames are pretty-printed); frames are separated by newlines.
/// A file may hold several connections: each client <c>setup</c> starts a new one.
/// </summary>
public sealed class GeminiRecording
{
    public string Name { get; }
    public IReadOnlyList<IReadOnlyList<RecordedFrame>> Sessions { get; }

    GeminiRecording(string name, List<IReadOnlyList<RecordedFrame>> sessions)
    {
        Name = name;
        Sessions = sessions;
    }

    public static GeminiRecording Load(string path) =>
        Parse(Path.GetFileName(path).Replace(".websocket.log", ""), File.ReadAllBytes(path));

    public static GeminiRecording Parse(string name, byte[] bytes)
    {
        var frames = new List<RecordedFrame>();
        var i = 0;
        while (i < bytes.Length)
        {
            var c = bytes[i];
            if (c == (byte)'\n' || c == (byte)'\r' || c == (byte)' ') { i++; continue; }
            if (c != (byte)'>' && c != (byte)'<') throw new FormatException($"{name}: expected '>' or '<' at byte {i}, found '{(char)c}'.");
            var fromClient = c == (byte)'>';
            i++;
            var len = 0;
            var digits = 0;
            while (i < bytes.Length && bytes[i] >= (byte)'0' && bytes[i] <= (byte)'9') { len = checked(len * 10 + bytes[i] - '0'); i++; digits++; }
            if (digits == 0 || i >= bytes.Length || bytes[i] != (byte)' ') throw new FormatException($"{name}: bad frame length at byte {i}.");
            i++;
            if (i + len > bytes.Length) throw new FormatException($"{name}: frame of {len} bytes runs past the end of the file.");
            frames.Add(new RecordedFrame(fromClient, Encoding.UTF8.GetString(bytes, i, len)));
            i += len;
        }

        var sessions = new List<IReadOnlyList<RecordedFrame>>();
        List<RecordedFrame> current = null;
        foreach (var f in frames)
        {
            if (f.FromClient && f.Json.StartsWith("{\"setup\"", StringComparison.Ordinal) || current == null)
            {
                current = new List<RecordedFrame>();
                sessions.Add(current);
            }
            current.Add(f);
        }
        return new GeminiRecording(name, sessions);
    }
}
