using System;
using System.Diagnostics;
using System.IO;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Parley.Audio;
using Parley.Providers;

namespace Parley.Session.Recording
{
    /// <summary>
    /// Writes one provider connection to a JSON-lines recording: a header with the provider's capabilities,
    /// then every provider event and audio chunk, and every client operation, each with its time in ms since
    /// the connection opened, and every server message with "in": how much player audio had been sent by then
    /// (the replay waits for the same amount, which makes it deterministic). <see cref="ReplayProvider"/> plays it back. Thread-safe (receive, send and main
    /// thread all write). Never records credentials: providers do not pass them through this interface.
    /// </summary>
    public sealed class SessionRecorder : IDisposable
    {
        public const int FormatVersion = 1;
        readonly TextWriter _writer;
        readonly object _gate = new object();
        readonly Stopwatch _clock = Stopwatch.StartNew();
        readonly bool _ownsWriter;
        byte[] _b64 = new byte[0];
        long _inputSamples;

        /// <summary>Also record the player's audio (bigger files; lets a replay re-drive a local pipeline).</summary>
        public bool RecordInputAudio = true;

        public SessionRecorder(TextWriter writer, bool ownsWriter = false)
        {
            _writer = writer ?? throw new ArgumentNullException(nameof(writer));
            _ownsWriter = ownsWriter;
        }

        public static SessionRecorder ToFile(string path) => new SessionRecorder(new StreamWriter(path, false, new System.Text.UTF8Encoding(false)), true);

        double Now => _clock.Elapsed.TotalMilliseconds;

        internal void Header(string provider, ProviderCapabilities caps)
        {
            Write(new JObject
            {
                ["type"] = "header", ["version"] = FormatVersion, ["provider"] = provider,
                ["capabilities"] = JObject.FromObject(caps),
            }, stamp: false);
        }

        internal void Op(string op, JObject data = null)
        {
            var o = new JObject { ["type"] = "op", ["op"] = op };
            if (data != null) o["data"] = data;
            Write(o);
        }

        internal void Event(ProviderEvent e)
        {
            var data = JObject.FromObject(e);
            if (e is ToolCallsCancelled c) data["CallIds"] = new JArray(c.CallIds.ToArray());
            Write(new JObject { ["type"] = "event", ["kind"] = e.Kind.ToString(), ["data"] = data });
        }

        internal void Input(ReadOnlySpan<short> pcm)
        {
            lock (_gate)
            {
                _inputSamples += pcm.Length;
                if (RecordInputAudio) Audio("input", null, pcm);
            }
        }

        internal void Audio(string type, string itemId, ReadOnlySpan<short> pcm)
        {
            lock (_gate)
            {
                var n = Pcm16Base64.EncodedLength(pcm.Length);
                if (_b64.Length < n) _b64 = new byte[n];
                var written = Pcm16Base64.Encode(pcm, _b64);
                var o = new JObject { ["type"] = type, ["pcm"] = System.Text.Encoding.ASCII.GetString(_b64, 0, written) };
                if (itemId != null) o["item"] = itemId;
                Write(o);
            }
        }

        void Write(JObject o, bool stamp = true)
        {
            lock (_gate)
            {
                if (stamp)
                {
                    if ((string)o["type"] != "input" && (string)o["type"] != "op") o.AddFirst(new JProperty("in", _inputSamples));
                    o.AddFirst(new JProperty("t", Math.Round(Now, 3)));
                }
                _writer.WriteLine(o.ToString(Formatting.None));
            }
        }

        public void Flush() { lock (_gate) _writer.Flush(); }

        public void Dispose()
        {
            lock (_gate)
            {
                _writer.Flush();
                if (_ownsWriter) _writer.Dispose();
            }
        }
    }
}
