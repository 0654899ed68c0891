using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Json.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Parley.Servers.OpenAI
{
    /// <summary>
    /// A loopback server that speaks the OpenAI Realtime GA WebSocket protocol: session handshake, server VAD
    /// (energy with hangover) on the audio it receives (PCM16 24 kHz or G.711 8 kHz, decoded first), streamed
    /// replies of bundled speech in the negotiated format with transcripts,
    /// tool calls by a scripted rule, barge-in and truncation, manual turns, error events, and scripted faults.
    /// Every frame it sends can be checked against server-events.schema.json; client frames against
    /// client-events.schema.json. Not a model: it answers with recorded speech.
    /// </summary>
    public sealed class OpenAIRealtimeEmulator : IAsyncDisposable
    {
        readonly WebApplication _app;
        internal readonly OpenAIRealtimeEmulatorOptions Options;
        internal readonly JsonSchema ClientSchema;
        internal readonly JsonSchema ServerSchema;
        /// <summary>The bundled replies as 24 kHz PCM16, by id.</summary>
        public readonly Dictionary<string, short[]> Clips = new Dictionary<string, short[]>();
        // Replies encoded per wire format, built on first use.
        readonly ConcurrentDictionary<(string, string), byte[]> _payloads = new ConcurrentDictionary<(string, string), byte[]>();
        readonly ConcurrentQueue<string> _violations = new ConcurrentQueue<string>();
        readonly ConcurrentQueue<string> _clientEvents = new ConcurrentQueue<string>();
        readonly ConcurrentQueue<string> _serverEvents = new ConcurrentQueue<string>();
        int _connections;
        int _unauthorized;

        /// <summary>ws://127.0.0.1:port/v1/realtime (add ?model=…).</summary>
        public Uri Uri { get; private set; }
        /// <summary>Schema violations: "server: …" for frames the emulator sent, "client: …" for frames it received.</summary>
        public IReadOnlyCollection<string> Violations => _violations.ToArray();
        /// <summary>Raw client frames received (audio appends abbreviated), in order.</summary>
        public IReadOnlyCollection<string> ClientEvents => _clientEvents.ToArray();
        /// <summary>Types of the server events sent, in order.</summary>
        public IReadOnlyCollection<string> ServerEventTypes => _serverEvents.ToArray();
        public int Connections => _connections;
        /// <summary>Upgrades refused with HTTP 401 (no key, a wrong one, or one <c>AcceptKey</c> refused).</summary>
        public int Unauthorized => Volatile.Read(ref _unauthorized);

        readonly ConcurrentQueue<string> _ends = new ConcurrentQueue<string>();
        readonly SemaphoreSlim _ended = new SemaphoreSlim(0);

        /// <summary>How each connection ended as the server saw it, in order: "close &lt;status&gt;" or "dropped" (no close frame).</summary>
        public IReadOnlyCollection<string> ConnectionEnds => _ends.ToArray();

        /// <summary>Waits until <paramref name="count"/> connections have ended server-side (false after <paramref name="bound"/>).</summary>
        public bool WaitConnectionEnds(int count, TimeSpan bound)
        {
            var deadline = DateTime.UtcNow + bound;
            while (_ends.Count < count)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !_ended.Wait(left)) return _ends.Count >= count;
            }
            return true;
        }
        /// <summary>
        /// Input audio every session has run through its VAD so far, in ms: a client running faster than real
        /// time (`parley talk --fast`) waits for it so that the server's turn events land where they would live.
        /// </summary>
        public double HeardMs => Interlocked.Read(ref _heardTicks) * 1000.0 / 24000;
        long _heardTicks;
        internal void Heard(long ticks) => Interlocked.Add(ref _heardTicks, ticks);
        /// <summary>Headers of the last upgrade request (names only for Authorization).</summary>
        public string LastSubProtocols { get; internal set; }

        /// <summary>Texts of the bundled clips (Tests/Fixtures~/audio/texts.csv).</summary>
        public static readonly Dictionary<string, string> DefaultReplyTexts = new Dictionary<string, string>
        {
            ["npc-greeting"] = "Hello traveller, what brings you to my forge?",
            ["npc-price"] = "A fine blade like this costs forty gold pieces.",
            ["npc-quest"] = "The bridge to the north washed away in the storm last night.",
            ["trainer-answer"] = "The airway is clear and the patient is breathing normally.",
        };

        OpenAIRealtimeEmulator(WebApplication app, OpenAIRealtimeEmulatorOptions options, JsonSchema client, JsonSchema server)
        {
            _app = app;
            Options = options;
            ClientSchema = client;
            ServerSchema = server;
        }

        public static async Task<OpenAIRealtimeEmulator> StartAsync(OpenAIRealtimeEmulatorOptions options = null, int port = 0, IPAddress host = null)
        {
            options ??= new OpenAIRealtimeEmulatorOptions();
            options.ReplyTexts ??= DefaultReplyTexts;
            var schemaDir = options.SchemaDirectory ?? Locate("Schemas");
            var client = LoadSchema(Path.Combine(schemaDir, "client-events.schema.json"));
            var server = LoadSchema(Path.Combine(schemaDir, "server-events.schema.json"));

            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            host ??= IPAddress.Loopback;
            if (!IPAddress.IsLoopback(host)) throw new ArgumentException("The emulator listens on loopback addresses only.", nameof(host));
            builder.WebHost.UseKestrel(k => k.Listen(host, port));
            var app = builder.Build();
            var emulator = new OpenAIRealtimeEmulator(app, options, client, server);
            emulator.LoadClips(options.SpeechDirectory ?? Locate("Speech"));
            app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
            app.Run(emulator.Accept);
            await app.StartAsync().ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>().Addresses.First();
            var bound = new Uri(address);
            var hostText = host.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + host + "]" : host.ToString();
            emulator.Uri = new Uri("ws://" + hostText + ":" + bound.Port + "/v1/realtime");
            return emulator;
        }

        public void Deconstruct(out Uri uri, out IAsyncDisposable server)
        {
            uri = Uri;
            server = this;
        }

        public async ValueTask DisposeAsync()
        {
            using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
            {
                try { await _app.StopAsync(stop.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { }
            }
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        /// <summary>
        /// The generated schemas carry JSDoc text in a few `deprecated` keywords (draft 2019+ wants a boolean);
        /// they are annotations only, so they are dropped before compiling. Nothing that validates is changed.
        /// </summary>
        static JsonSchema LoadSchema(string path)
        {
            var node = JsonNode.Parse(File.ReadAllText(path));
            void Clean(JsonNode n)
            {
                if (n is JsonObject o)
                {
                    if (o["deprecated"] is JsonValue v && v.GetValueKind() != System.Text.Json.JsonValueKind.True && v.GetValueKind() != System.Text.Json.JsonValueKind.False)
                        o.Remove("deprecated");
                    foreach (var kv in o.ToList()) Clean(kv.Value);
                }
                else if (n is JsonArray a)
                    foreach (var x in a) Clean(x);
            }
            Clean(node);
            return JsonSchema.FromText(node.ToJsonString());
        }

        static string Locate(string folder)
        {
            var beside = Path.Combine(AppContext.BaseDirectory, "OpenAI", folder);
            if (Directory.Exists(beside)) return beside;
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "Tools~", "Parley.Servers", "OpenAI", folder);
                if (Directory.Exists(candidate)) return candidate;
            }
            throw new DirectoryNotFoundException("OpenAI emulator: could not find its " + folder + " folder.");
        }

        void LoadClips(string dir)
        {
            foreach (var id in Options.Replies)
            {
                var path = Path.Combine(dir, id + "-24k.wav");
                if (!File.Exists(path)) path = Path.Combine(dir, id + ".wav");
                Clips[id] = ReadPcm16Mono24k(path);
            }
        }

        /// <summary>Reads a PCM16 mono 24 kHz WAV.</summary>
        static short[] ReadPcm16Mono24k(string path)
        {
            using var r = new BinaryReader(File.OpenRead(path));
            r.ReadBytes(12);
            while (r.BaseStream.Position < r.BaseStream.Length)
            {
                var id = new string(r.ReadChars(4));
                var size = r.ReadInt32();
                if (id == "fmt ")
                {
                    var fmt = r.ReadInt16(); var ch = r.ReadInt16(); var rate = r.ReadInt32();
                    r.ReadBytes(6); var bits = r.ReadInt16(); r.ReadBytes(size - 16);
                    if (fmt != 1 || ch != 1 || rate != 24000 || bits != 16) throw new InvalidDataException(path + " must be PCM16 mono 24 kHz.");
                }
                else if (id == "data")
                {
                    var samples = new short[size / 2];
                    for (var i = 0; i < samples.Length; i++) samples[i] = r.ReadInt16();
                    return samples;
                }
                else r.ReadBytes(size + (size & 1));
            }
            throw new InvalidDataException(path + " has no data chunk.");
        }

        /// <summary>
        /// A bundled reply as sent in <paramref name="format"/> (`audio/pcm`: 24 kHz PCM16 bytes; `audio/pcmu` /
        /// `audio/pcma`: resampled to 8 kHz with the core resampler, then G.711-encoded).
        /// </summary>
        public byte[] Payload(string clipId, string format) => _payloads.GetOrAdd((clipId, format), k => WireAudio.FromPcm24k(k.Item2, Clips[k.Item1]));

        /// <summary>A bundled reply at 8 kHz before G.711 coding: the reference a G.711 client's audio is measured against.</summary>
        public short[] Clip8k(string clipId) => WireAudio.Resample(Clips[clipId], 24000, 8000);

        internal void RecordViolation(string v) => _violations.Enqueue(v);
        internal void RecordClient(string frame) => _clientEvents.Enqueue(frame);

        readonly ConcurrentQueue<string[]> _responseContexts = new ConcurrentQueue<string[]>();
        /// <summary>For every response started (any connection), the conversation's text messages at that moment ("role: text").</summary>
        public IReadOnlyCollection<string[]> ResponseContexts => _responseContexts.ToArray();
        internal void RecordResponseContext(string[] conversation) => _responseContexts.Enqueue(conversation);
        internal void RecordServer(string type) => _serverEvents.Enqueue(type);

        static readonly EvaluationOptions FlagOnly = new EvaluationOptions { OutputFormat = OutputFormat.Flag };

        internal static bool Validate(JsonSchema schema, string json, out string problem)
        {
            JsonNode node;
            try { node = JsonNode.Parse(json); }
            catch (System.Text.Json.JsonException e) { problem = "not JSON: " + e.Message; return false; }
            // The yes/no answer first (it stops at the first failure); the detailed list only to explain a failure.
            // List output on every audio append made the emulator fall seconds behind a --fast client.
            if (schema.Evaluate(node, FlagOnly).IsValid) { problem = null; return true; }
            var result = schema.Evaluate(node, new EvaluationOptions { OutputFormat = OutputFormat.List });
            var first = result.Details?.Where(d => d.HasErrors).Select(d => d.InstanceLocation + ": " + string.Join("; ", d.Errors.Values)).Take(3);
            problem = first == null ? "invalid" : string.Join(" | ", first);
            return false;
        }

        async Task Accept(HttpContext ctx)
        {
            if (!ctx.WebSockets.IsWebSocketRequest)
            {
                ctx.Response.StatusCode = 400;
                return;
            }
            if (Options.RejectUpgradeStatus != 0)
            {
                ctx.Response.StatusCode = Options.RejectUpgradeStatus;
                await ctx.Response.WriteAsync("{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"scripted rejection\"}}").ConfigureAwait(false);
                return;
            }
            var protocols = ctx.WebSockets.WebSocketRequestedProtocols;
            LastSubProtocols = string.Join(",", protocols.Select(p => p.StartsWith("openai-insecure-api-key.", StringComparison.Ordinal) ? "openai-insecure-api-key.(hidden)" : p));
            string key = null;
            var auth = ctx.Request.Headers.Authorization.ToString();
            if (auth.StartsWith("Bearer ", StringComparison.Ordinal)) key = auth.Substring(7);
            foreach (var p in protocols)
                if (p.StartsWith("openai-insecure-api-key.", StringComparison.Ordinal)) key = p.Substring("openai-insecure-api-key.".Length);
            var accepted = Options.AcceptKey != null ? Options.AcceptKey(key ?? "") : Options.ExpectedKey == null || key == Options.ExpectedKey;
            if (string.IsNullOrEmpty(key) || !accepted)
            {
                Interlocked.Increment(ref _unauthorized);
                ctx.Response.StatusCode = 401;
                await ctx.Response.WriteAsync("{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\",\"message\":\"Incorrect API key provided.\"}}").ConfigureAwait(false);
                return;
            }
            var beta = ctx.Request.Headers["OpenAI-Beta"].Count > 0 || protocols.Any(p => p.StartsWith("openai-beta", StringComparison.Ordinal));
            var socket = protocols.Contains("realtime")
                ? await ctx.WebSockets.AcceptWebSocketAsync("realtime").ConfigureAwait(false)
                : await ctx.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            Interlocked.Increment(ref _connections);
            var model = ctx.Request.Query["model"].ToString();
            var session = new EmulatorSession(this, socket, ctx, string.IsNullOrEmpty(model) ? "gpt-realtime" : model);
            try { await session.RunAsync(beta).ConfigureAwait(false); }
            finally
            {
                // As the server saw it: the client's close frame (and its status), or the socket ending without one.
                _ends.Enqueue(socket.CloseStatus.HasValue ? "close " + (int)socket.CloseStatus.Value : "dropped");
                _ended.Release();
            }
        }
    }
}
