using System;
using Parley.Audio;

namespace Parley.Benchmarks.Aec
{
    /// <summary>Parley's <see cref="EchoCanceller"/> through its streaming API in 10 ms frames, not told the delay.</summary>
    public sealed class ParleyAec : IEchoContender
    {
        readonly double m_FilterMs;
        public ParleyAec(double filterMs) { m_FilterMs = filterMs; }

        public string Name => "Parley EchoCanceller";
        public string Settings => $"filter {m_FilterMs} ms, defaults otherwise; finds the delay itself (not given the true delay); output shifted by its latency";

        public float[] Run(float[] mic, float[] far, int rate, int trueDelay)
        {
            var aec = new EchoCanceller(rate, m_FilterMs);
            var frame = rate / 100;
            var latency = aec.LatencySamples;
            var output = new float[mic.Length];
            var buffer = new float[frame];
            var m = new float[frame];
            var f = new float[frame];
            for (var s = 0; s + frame <= mic.Length + latency; s += frame)
            {
                for (var i = 0; i < frame; i++)
                {
                    m[i] = s + i < mic.Length ? mic[s + i] : 0f;
                    f[i] = s + i < far.Length ? far[s + i] : 0f;
                }
                aec.Process(m, f, buffer);
                for (var i = 0; i < frame; i++)
                {
                    var j = s + i - latency;
                    if (j >= 0 && j < output.Length) output[j] = buffer[i];
                }
            }
            return output;
        }
    }
}
