using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Parley.Providers;
using Parley.Providers.Llm;
using Parley.Providers.Riva;
using Parley.Servers.Llm;
using Parley.Servers.Riva;

namespace Parley.Tests.HostOnly.SelfHosted
{
    /// <summary>A Riva cascade wired to a loopback NIM realtime server and a loopback chat-completions server.</summary>
    public sealed class CascadeHarness : IDisposable
    {
        public const int TtsRate = 22050;
        public NimRealtimeServer Nim;
        public ChatCompletionsServer Llm;
        public RivaCascadeProvider Provider;
        public readonly RecordingListener Listener = new RecordingListener();
        public readonly Queue<ChatReply> Replies = new Queue<ChatReply>();
        public readonly Dictionary<string, short[]> Voices = new Dictionary<string, short[]>();
        public NimRealtimeOptions NimOptions;
        public ChatCompletionsOptions LlmOptions;

        public static CascadeHarness Start(Action<NimRealtimeScript> script = null, Action<CascadeHarness> configure = null)
        {
            var h = new CascadeHarness();
            var nimScript = new NimRealtimeScript { TtsRate = TtsRate };
            nimScript.Voice = text => h.Voices.TryGetValue(text, out var pcm) ? pcm : null;
            script?.Invoke(nimScript);
            h.Nim = Run(NimRealtimeServer.StartAsync(nimScript));
            h.Llm = Run(ChatCompletionsServer.StartAsync(req =>
            {
                lock (h.Replies) return h.Replies.Count > 0 ? h.Replies.Dequeue() : new ChatReply { Text = "I have nothing more to say." };
            }));
            h.NimOptions = new NimRealtimeOptions { BaseUri = h.Nim.BaseUri, OutputSampleRate = TtsRate, ResultTimeout = TimeSpan.FromSeconds(10), HandshakeTimeout = TimeSpan.FromSeconds(10) };
            h.LlmOptions = new ChatCompletionsOptions { BaseUri = h.Llm.BaseUri, Model = "meta/llama-3.1-8b-instruct", IdleTimeout = TimeSpan.FromSeconds(10) };
            configure?.Invoke(h);
            h.Provider = new RivaCascadeProvider(new RivaCascadeOptions
            {
                Asr = new NimRealtimeAsr(h.NimOptions),
                Tts = new NimRealtimeTts(h.NimOptions),
                Llm = new ChatCompletionsClient(h.LlmOptions),
            });
            return h;
        }

        public static T Run<T>(Task<T> task, int timeoutMs = 20000)
        {
            if (!task.Wait(timeoutMs)) throw new TimeoutException("operation timed out");
            return task.Result;
        }

        public static void Run(Task task, int timeoutMs = 20000)
        {
            if (!task.Wait(timeoutMs)) throw new TimeoutException("operation timed out");
        }

        public void Connect(SessionConfig config = null)
        {
            config = config ?? new SessionConfig { Instructions = "You are a blacksmith in a fantasy village." };
            Run(Provider.ConnectAsync(config, Listener, CancellationToken.None));
        }

        public void Voice(string fixtureId)
        {
            Voices[Pcm.Text(fixtureId)] = Pcm.Speech(fixtureId, TtsRate);
        }

        /// <summary>Sends 16 kHz PCM in 20 ms pieces, as a capture loop would (faster than real time).</summary>
        public void Say(short[] pcm16k)
        {
            for (var i = 0; i < pcm16k.Length; i += 320)
            {
                var n = Math.Min(320, pcm16k.Length - i);
                var t = Provider.SendAudioAsync(new ReadOnlyMemory<short>(pcm16k, i, n), CancellationToken.None);
                if (!t.IsCompleted) Run(t.AsTask());
            }
        }

        public List<JObject> Requests => new List<JObject>(Llm.Requests);

        public void Dispose()
        {
            try { Provider?.Dispose(); } catch (Exception) { }
            Run(Llm.DisposeAsync().AsTask());
            Run(Nim.DisposeAsync().AsTask());
        }
    }
}
