using System;
using BenchmarkDotNet.Attributes;
using Parley.Audio;
using Parley.Lipsync;

namespace Parley.Benchmarks.Lipsync
{
    /// <summary>
    /// Cost of one 10 ms hop of <see cref="LipsyncAnalyser"/> (write one hop, read the frame) at 48 kHz and 24 kHz,
    /// against the amplitude-only baseline (an RMS per hop, what a flapping-jaw lipsync computes).
    /// Target: 0 bytes allocated per hop; a hop costs a few percent of its 10 ms at most (recorded under
    /// load on 2 cores: ≤ 1.8 % for the 96-unit model, ≤ 2.9 % for the shipped 192-unit ensemble; BENCHMARKS.md).
    /// </summary>
    [MemoryDiagnoser]
    public class LipsyncAnalyserBenchmarks
    {
        [Params(24000, 48000)]
        public int Rate;

        float[] _speech;
        float[] _weights = new float[Visemes.Count];
        LipsyncAnalyser _analyser;
        int _hop, _at;
        double _time;

        [GlobalSetup]
        public void Setup()
        {
            // Two seconds of a voiced sound with formant-like partials and noise bursts (deterministic).
            var r = new Random(3);
            _speech = new float[Rate * 2];
            for (var i = 0; i < _speech.Length; i++)
            {
                var t = (double)i / Rate;
                _speech[i] = (float)(0.3 * Math.Sin(2 * Math.PI * 130 * t) * (0.6 + 0.4 * Math.Sin(2 * Math.PI * 4 * t))
                    + 0.1 * Math.Sin(2 * Math.PI * 700 * t) + 0.05 * Math.Sin(2 * Math.PI * 1200 * t) + 0.02 * (r.NextDouble() - 0.5));
            }
            _analyser = new LipsyncAnalyser(Rate);
            _hop = _analyser.HopSamples;
        }

        [GlobalCleanup]
        public void Cleanup() => _analyser.Dispose();

        ReadOnlySpan<float> NextHop()
        {
            if (_at + _hop > _speech.Length) _at = 0;
            var s = new ReadOnlySpan<float>(_speech, _at, _hop);
            _at += _hop;
            _time += 0.01;
            return s;
        }

        [Benchmark(Baseline = true, Description = "amplitude only: RMS of a hop")]
        public float Amplitude() => AudioLevel.Rms(NextHop());

        [Benchmark(Description = "LipsyncAnalyser: write a hop, read its frame")]
        public float Analyser()
        {
            _analyser.Write(NextHop(), _time);
            return _analyser.Read(_time - 0.05, _weights);
        }
    }
}
