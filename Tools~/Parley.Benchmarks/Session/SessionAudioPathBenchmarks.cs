using System;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Parley.Providers;
using Parley.Session;
using Parley.Session.Audio;

namespace Parley.Benchmarks.Session
{
    /// <summary>
    /// What the session adds per 20 ms audio chunk (480 samples at 24 kHz) on its two audio lanes, against a
    /// plain copy of the same chunk: provider audio → playout (receive task) and player audio → input backlog →
    /// send chunk. Target: 0 bytes allocated per chunk.
    /// </summary>
    [MemoryDiagnoser]
    public class SessionAudioPathBenchmarks
    {
        const int Chunk = 480;
        readonly short[] _pcm = new short[Chunk];
        readonly short[] _copy = new short[Chunk];
        readonly short[] _send = new short[Chunk];
        VoiceSession _session;
        CountingPlayout _playout;
        BenchProvider _provider;
        InputBacklog _backlog;

        [GlobalSetup]
        public void Setup()
        {
            var r = new Random(1);
            for (var i = 0; i < Chunk; i++) _pcm[i] = (short)r.Next(-8000, 8000);
            _playout = new CountingPlayout();
            _provider = new BenchProvider();
            _session = new VoiceSession(() => _provider, new VoiceSessionOptions(), new InlineDispatcher(), _playout);
            _session.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
            // One reply in flight, so every chunk takes the steady-state path.
            _provider.Listener.OnEvent(new ResponseStarted { ResponseId = "r" });
            _provider.Listener.OnAudio("item", _pcm);
            _backlog = new InputBacklog(24000 * 10);
        }

        [GlobalCleanup]
        public void Cleanup() => _session.Dispose();

        [Benchmark(Baseline = true, Description = "copy 480 samples (baseline)")]
        public short CopyChunk()
        {
            _pcm.AsSpan().CopyTo(_copy);
            return _copy[Chunk - 1];
        }

        [Benchmark(Description = "provider audio → playout (session OnAudio)")]
        public long ProviderAudioToPlayout()
        {
            _provider.Listener.OnAudio("item", _pcm);
            return _playout.Samples;
        }

        [Benchmark(Description = "player audio → backlog → send chunk")]
        public int PlayerAudioThroughBacklog()
        {
            _backlog.Write(_pcm);
            var n = _backlog.Peek(_send);
            _backlog.Consume(n);
            return n;
        }

        sealed class CountingPlayout : IAgentPlayout
        {
            public long Samples;
            public int SampleRate => 24000;
            public bool Write(string itemId, ReadOnlySpan<short> pcm) { Samples += pcm.Length; return true; }
            public void Flush() { }
            public void EndItem(string itemId) { }
            public int FlushFadeMs => 0;
            public int PlayedMs(string itemId) => 0;
            public string CurrentItemId => "item";
            public bool IsPlaying => true;
            public int QueuedSamples => 0;
            public long Underruns => 0;
        }

        sealed class BenchProvider : IVoiceProvider
        {
            public IProviderListener Listener;
            public string Name => "bench";
            public ProviderCapabilities Capabilities { get; } = new ProviderCapabilities { ServerTurnDetection = true, FullDuplex = true };
            public bool IsConnected => true;
            public Task ConnectAsync(SessionConfig config, IProviderListener listener, CancellationToken ct) { Listener = listener; return Task.CompletedTask; }
            public ValueTask SendAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken ct) => default;
            public Task StartUserTurnAsync(CancellationToken ct) => Task.CompletedTask;
            public Task EndUserTurnAsync(CancellationToken ct) => Task.CompletedTask;
            public Task SendTextAsync(string text, CancellationToken ct) => Task.CompletedTask;
            public Task InterruptAsync(InterruptRequest request, CancellationToken ct) => Task.CompletedTask;
            public Task SendToolResultAsync(string callId, string name, string resultJson, CancellationToken ct) => Task.CompletedTask;
            public Task DisconnectAsync(CancellationToken ct) => Task.CompletedTask;
            public void Dispose() { }
        }
    }
}
