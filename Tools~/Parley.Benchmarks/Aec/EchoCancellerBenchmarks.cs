using BenchmarkDotNet.Attributes;
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

        static (float[] Mic, float[] Far) Scene(int rate, double seconds = 1)
        {
            var far = EchoScenes.FarSpeech(rate, seconds);
            var echo = EchoScenes.Echo(far, EchoScenes.RoomImpulse(rate, 0.4, 100, 2), -6);
            return (EchoScenes.Sum(echo, EchoScenes.Noise(far.Length, -60, 3)), far);
        }
    }
}
