using System;
using BenchmarkDotNet.Attributes;
using Parley.Audio;
using Parley.Tests.Support;

namespace Parley.Benchmarks.Aec
{
    /// <summary>
    /// CPU and allocations of one second of 16 kHz echo cancellation (RT60 0.4 s room, 100 ms, echo −6 dB), Parley
    /// against speexdsp (MDF + preprocessor) and WebRTC's legacy AEC on the same signal; and Parley over 10 s of the same
    /// room at 24 kHz (38 partitions instead of 25, 1.5× the blocks: its dearest rate; WebRTC's legacy AEC has no
    /// 24 kHz), where the settled filter's cost outweighs the first second's convergence (divide by 10 for 1 s).
    /// The references allocate their output and int16 staging per run; Parley's streaming path allocates nothing per
    /// frame (see the host-only zero-allocation test); its figure includes the one-off construction and the output array.
    /// Run: dotnet run -c Release --project "Tools~/Parley.Benchmarks" -- --filter '*EchoCanceller*' --job short
    /// (needs apt-get install -y libspeexdsp-dev libwebrtc-audio-processing-dev g++ pkg-config).
    /// </summary>
    [MemoryDiagnoser]
    public class EchoCancellerBenchmarks
    {
        const int Rate = 16000;
        float[] m_Mic = null!, m_Far = null!, m_Mic24 = null!, m_Far24 = null!;
        int m_Delay;
        readonly ParleyAec m_Parley = new ParleyAec(200);
        readonly SpeexAec m_Speex = new SpeexAec(200);
        readonly WebRtcAec m_WebRtc = new WebRtcAec();

        [GlobalSetup]
        public void Setup()
        {
            (m_Mic, m_Far) = Scene(Rate);
            (m_Mic24, m_Far24) = Scene(24000, 10);
            m_Delay = Rate / 10;
            m_WebRtc.Run(m_Mic, m_Far, Rate, m_Delay);
        }

        [Benchmark(Baseline = true, Description = "WebRTC AEC 0.3, 1 s")]
        public float[] WebRtc() => m_WebRtc.Run(m_Mic, m_Far, Rate, m_Delay);

        [Benchmark(Description = "speexdsp MDF + preprocess, 1 s")]
        public float[] Speex() => m_Speex.Run(m_Mic, m_Far, Rate, m_Delay);

        [Benchmark(Description = "Parley EchoCanceller, 1 s")]
        public float[] Parley() => m_Parley.Run(m_Mic, m_Far, Rate, m_Delay);

        [Benchmark(Description = "Parley EchoCanceller, 10 s at 24 kHz")]
        public float[] Parley24() => m_Parley.Run(m_Mic24, m_Far24, 24000, 2400);

        /// <summary>The duplex front end's call at 24 kHz: the output and the guard's view (two suppressions, two gain filters).</summary>
        [Benchmark(Description = "Parley EchoCanceller + guard view, 10 s at 24 kHz")]
        public float[] Parley24GuardView() => Stream(new EchoCanceller(24000), true);

        /// <summary>The control: one suppression (as before stop 34), both outputs asked.</summary>
        [Benchmark(Description = "Parley EchoCanceller, one suppression + guard view, 10 s at 24 kHz")]
        public float[] Parley24OneSuppression() => Stream(new EchoCanceller(24000) { StrongerOutputSuppression = false }, true);

        float[] Stream(EchoCanceller aec, bool guardView)
        {
            var frame = 240;
            var output = new float[m_Mic24.Length];
            var view = new float[m_Mic24.Length];
            for (var s = 0; s + frame <= m_Mic24.Length; s += frame)
            {
                if (guardView) aec.Process(m_Mic24.AsSpan(s, frame), m_Far24.AsSpan(s, frame), output.AsSpan(s, frame), view.AsSpan(s, frame));
                else aec.Process(m_Mic24.AsSpan(s, frame), m_Far24.AsSpan(s, frame), output.AsSpan(s, frame));
            }
            return output;
        }

        static (float[] Mic, float[] Far) Scene(int rate, double seconds = 1)
        {
            var far = EchoScenes.FarSpeech(rate, seconds);
            var echo = EchoScenes.Echo(far, EchoScenes.RoomImpulse(rate, 0.4, 100, 2), -6);
            return (EchoScenes.Sum(echo, EchoScenes.Noise(far.Length, -60, 3)), far);
        }
    }
}
