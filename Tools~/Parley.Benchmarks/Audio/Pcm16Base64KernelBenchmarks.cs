using System;
using BenchmarkDotNet.Attributes;
using Parley.Audio;
using Parley.Audio.Kernels;

namespace Parley.Benchmarks.Audio
{
    /// <summary>
    /// The capture hot path per 20 ms frame: float samples → PCM16 → base64 for the JSON message
    /// (480 samples = 24 kHz mono, 960 = 48 kHz). Baseline: the common BitConverter.GetBytes per sample +
    /// Convert.ToBase64String approach. Target: ≥ 5× faster, 0 bytes allocated.
    /// </summary>
    [MemoryDiagnoser]
    public class Pcm16Base64KernelBenchmarks
    {
        [Params(480, 960)]
        public int Samples;

        float[] _audio;
        short[] _pcm;
        byte[] _utf8;
        char[] _chars;

        [GlobalSetup]
        public void Setup()
        {
            _audio = new float[Samples];
            var r = new Random(1);
            for (var i = 0; i < Samples; i++) _audio[i] = (float)(0.5 * Math.Sin(i * 0.05) + 0.05 * (r.NextDouble() - 0.5));
            _pcm = new short[Samples];
            _utf8 = new byte[Pcm16Base64.EncodedLength(Samples)];
            _chars = new char[_utf8.Length];
        }

        [Benchmark(Baseline = true, Description = "BitConverter.GetBytes + Convert.ToBase64String")]
        public string BitConverterAndConvert()
        {
            var bytes = new byte[_audio.Length * 2];
            for (var i = 0; i < _audio.Length; i++)
            {
                var s = (short)(Math.Clamp(_audio[i], -1f, 1f) * short.MaxValue);
                var b = BitConverter.GetBytes(s);
                bytes[2 * i] = b[0];
                bytes[2 * i + 1] = b[1];
            }
            return Convert.ToBase64String(bytes);
        }

        [Benchmark(Description = "PcmConvert + Convert.TryToBase64Chars (framework, preallocated)")]
        public int FrameworkPreallocated()
        {
            PcmConvert.FloatToPcm16(_audio, _pcm);
            Convert.TryToBase64Chars(Pcm16Base64.AsBytes(_pcm), _chars, out var written);
            return written;
        }

        [Benchmark(Description = "PcmConvert.FloatToPcm16 + Pcm16Base64.Encode (Parley API)")]
        public int ParleyApi()
        {
            PcmConvert.FloatToPcm16(_audio, _pcm);
            return Pcm16Base64.Encode(_pcm, _utf8);
        }

        [Benchmark(Description = "Pcm16Kernel + Base64Kernel (scalar, the code Burst compiles)")]
        public unsafe int ScalarKernels()
        {
            fixed (float* a = _audio)
            fixed (short* p = _pcm)
            fixed (byte* u = _utf8)
            {
                Pcm16Kernel.FromFloat(a, _audio.Length, p);
                return Base64Kernel.Encode((byte*)p, _pcm.Length * 2, u);
            }
        }
    }
}
