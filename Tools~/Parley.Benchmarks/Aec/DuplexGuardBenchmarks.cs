using System;
using BenchmarkDotNet.Attributes;
using Parley.Audio;
using Parley.Audio.Vad;
using Parley.Session.Audio;
using Parley.Tests.Support;

namespace Parley.Benchmarks.Aec
{
    /// <summary>
    /// CPU and allocations of one second of the duplex front end (48 kHz engine, 24 kHz provider: resampling, canceller,
    /// echo guard, energy VAD) in 10 ms ticks on echo (RT60 0.4 s room, 100 ms, −6 dB), with the guard's spectral
    /// evidence (EchoCoherence, the default) and without it. The front end is built and warmed in setup: the figure is
    /// the streaming path only.
    /// Run: dotnet run -c Release --project "Tools~/Parley.Benchmarks" -- --filter '*DuplexGuard*' --job short
    /// </summary>
    [MemoryDiagnoser]
    public class DuplexGuardBenchmarks
    {
        const int Engine = 48000, Tick = Engine / 100;
        float[] m_Mic = null!, m_Far = null!;
        short[] m_Pcm = null!;
        DuplexFrontEnd m_With = null!, m_Without = null!;
        long m_At;

        [GlobalSetup]
        public void Setup()
        {
            m_Far = EchoScenes.FarSpeech(Engine, 4);
            var echo = EchoScenes.Echo(m_Far, EchoScenes.RoomImpulse(Engine, 0.4, 100, 2), -6);
            m_Mic = EchoScenes.Sum(echo, EchoScenes.Noise(m_Far.Length, -60, 3));
            m_With = Make(new DuplexFrontEndOptions());
            m_Without = Make(new DuplexFrontEndOptions { EchoGuardStrongReliefDb = 0 });
            m_Pcm = new short[m_With.MaxOutputSamples(Tick)];
            // Warm: 3 s through each (the guard past its cold start, the canceller converged).
            for (var i = 0; i < 300; i++) { Second(m_With, i); Second(m_Without, i); }
            m_At = 300;
        }

        static DuplexFrontEnd Make(DuplexFrontEndOptions options)
        {
            var f = new DuplexFrontEnd(AudioFormat.Mono(Engine), Tick, new EnergyVoiceActivityDetector(16000), options);
            f.Configure(24000);
            return f;
        }

        void Second(DuplexFrontEnd f, long tick)
        {
            var at = (int)(tick % 400) * Tick;
            f.WriteReference(tick * Tick, new ReadOnlySpan<float>(m_Far, at, Tick));
            f.Process(new ReadOnlySpan<float>(m_Mic, at, Tick), m_Pcm);
        }

        [Benchmark(Baseline = true, Description = "front end, no spectral evidence, 1 s")]
        public void Without() { for (var i = 0; i < 100; i++) Second(m_Without, m_At + i); m_At += 100; }

        [Benchmark(Description = "front end with EchoCoherence, 1 s")]
        public void With() { for (var i = 0; i < 100; i++) Second(m_With, m_At + i); m_At += 100; }
    }
}
