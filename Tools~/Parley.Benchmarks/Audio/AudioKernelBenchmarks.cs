using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NAudio.Codecs;
using NAudio.Wave;
using NAudio.Wave.SampleProviders;
using Parley.Audio;
using Parley.Audio.Kernels;

namespace Parley.Benchmarks.Audio
{
    /// <summary>
    /// Every kernel on a 20 ms frame at 48 kHz (960 frames), through its checked API, against NAudio's
    /// equivalent where NAudio has one (per category, NAudio is the baseline) and a plain copy otherwise.
    /// Target: 0 bytes allocated per call for every kernel.
    /// </summary>
    [MemoryDiagnoser]
    [GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
    [CategoriesColumn]
    public class AudioKernelBenchmarks
    {
        const int Frames = 960;
        float[] _stereo, _mono, _monoOut;
        short[] _pcm, _pcmOut;
        byte[] _pcmBytes, _codes, _base64, _decoded;
        DitherState _rng = DitherState.FromSeed(1);
        StereoToMonoSampleProvider _naudioDownmix;
        SampleToWaveProvider16 _naudioTo16;
        Pcm16BitToSampleProvider _naudioFrom16;

        [GlobalSetup]
        public void Setup()
        {
            var r = new Random(2);
            _stereo = new float[Frames * 2];
            for (var i = 0; i < _stereo.Length; i++) _stereo[i] = (float)(0.6 * Math.Sin(i * 0.031) + 0.1 * (r.NextDouble() - 0.5));
            _mono = new float[Frames];
            ChannelMixer.Downmix(_stereo, 2, _mono);
            _monoOut = new float[Frames];
            _pcm = new short[Frames];
            PcmConvert.FloatToPcm16(_mono, _pcm);
            _pcmOut = new short[Frames];
            _pcmBytes = Pcm16Base64.AsBytes(_pcm).ToArray();
            _codes = new byte[Frames];
            _base64 = new byte[Pcm16Base64.EncodedLength(Frames)];
            Pcm16Base64.Encode(_pcm, _base64);
            _decoded = new byte[Frames * 2];
            _naudioDownmix = new StereoToMonoSampleProvider(new LoopingSamples(_stereo, 2)) { LeftVolume = 0.5f, RightVolume = 0.5f };
            _naudioTo16 = new SampleToWaveProvider16(new LoopingSamples(_mono, 1));
            _naudioFrom16 = new Pcm16BitToSampleProvider(new LoopingBytes(_pcmBytes));
        }

        [BenchmarkCategory("downmix"), Benchmark(Baseline = true, Description = "NAudio StereoToMonoSampleProvider")]
        public int NAudioDownmix() => _naudioDownmix.Read(_monoOut, 0, Frames);

        [BenchmarkCategory("downmix"), Benchmark(Description = "ChannelMixer.Downmix")]
        public int Downmix() => ChannelMixer.Downmix(_stereo, 2, _monoOut);

        [BenchmarkCategory("float→pcm16"), Benchmark(Baseline = true, Description = "NAudio SampleToWaveProvider16")]
        public int NAudioToPcm16() => _naudioTo16.Read(_decoded, 0, Frames * 2);

        [BenchmarkCategory("float→pcm16"), Benchmark(Description = "PcmConvert.FloatToPcm16")]
        public int ToPcm16() => PcmConvert.FloatToPcm16(_mono, _pcmOut);

        [BenchmarkCategory("float→pcm16"), Benchmark(Description = "PcmConvert.FloatToPcm16 + TPDF dither")]
        public int ToPcm16Dithered() => PcmConvert.FloatToPcm16(_mono, _pcmOut, ref _rng);

        [BenchmarkCategory("float→pcm16"), Benchmark(Description = "PcmConvert.DownmixToPcm16 (stereo in)")]
        public int DownmixToPcm16() => PcmConvert.DownmixToPcm16(_stereo, 2, _pcmOut);

        [BenchmarkCategory("pcm16→float"), Benchmark(Baseline = true, Description = "NAudio Pcm16BitToSampleProvider")]
        public int NAudioFromPcm16() => _naudioFrom16.Read(_monoOut, 0, Frames);

        [BenchmarkCategory("pcm16→float"), Benchmark(Description = "PcmConvert.Pcm16ToFloat")]
        public int FromPcm16() => PcmConvert.Pcm16ToFloat(_pcm, _monoOut);

        [BenchmarkCategory("µ-law encode"), Benchmark(Baseline = true, Description = "NAudio MuLawEncoder")]
        public byte NAudioMuLawEncode()
        {
            for (var i = 0; i < Frames; i++) _codes[i] = MuLawEncoder.LinearToMuLawSample(_pcm[i]);
            return _codes[Frames - 1];
        }

        [BenchmarkCategory("µ-law encode"), Benchmark(Description = "G711.MuLawEncode")]
        public int MuLawEncode() => G711.MuLawEncode(_pcm, _codes);

        [BenchmarkCategory("µ-law decode"), Benchmark(Baseline = true, Description = "NAudio MuLawDecoder")]
        public short NAudioMuLawDecode()
        {
            for (var i = 0; i < Frames; i++) _pcmOut[i] = MuLawDecoder.MuLawToLinearSample(_codes[i]);
            return _pcmOut[Frames - 1];
        }

        [BenchmarkCategory("µ-law decode"), Benchmark(Description = "G711.MuLawDecode")]
        public int MuLawDecode() => G711.MuLawDecode(_codes, _pcmOut);

        [BenchmarkCategory("A-law encode"), Benchmark(Baseline = true, Description = "NAudio ALawEncoder")]
        public byte NAudioALawEncode()
        {
            for (var i = 0; i < Frames; i++) _codes[i] = ALawEncoder.LinearToALawSample(_pcm[i]);
            return _codes[Frames - 1];
        }

        [BenchmarkCategory("A-law encode"), Benchmark(Description = "G711.ALawEncode")]
        public int ALawEncode() => G711.ALawEncode(_pcm, _codes);

        [BenchmarkCategory("A-law decode"), Benchmark(Baseline = true, Description = "NAudio ALawDecoder")]
        public short NAudioALawDecode()
        {
            for (var i = 0; i < Frames; i++) _pcmOut[i] = ALawDecoder.ALawToLinearSample(_codes[i]);
            return _pcmOut[Frames - 1];
        }

        [BenchmarkCategory("A-law decode"), Benchmark(Description = "G711.ALawDecode")]
        public int ALawDecode() => G711.ALawDecode(_codes, _pcmOut);

        [BenchmarkCategory("other"), Benchmark(Baseline = true, Description = "copy 960 floats")]
        public float Copy()
        {
            _mono.AsSpan().CopyTo(_monoOut);
            return _monoOut[Frames - 1];
        }

        [BenchmarkCategory("other"), Benchmark(Description = "AudioLevel.RmsDbfs")]
        public float Rms() => AudioLevel.RmsDbfs(_mono);

        [BenchmarkCategory("other"), Benchmark(Description = "AudioLevel.PeakDbfs")]
        public float Peak() => AudioLevel.PeakDbfs(_mono);

        [BenchmarkCategory("other"), Benchmark(Description = "Fade.Linear (stereo, in place)")]
        public float FadeOut()
        {
            Fade.Linear(_stereo, 2, 1f, 1f);
            return _stereo[0];
        }

        [BenchmarkCategory("other"), Benchmark(Description = "Pcm16Base64.DecodeBytes")]
        public int Base64Decode() => Pcm16Base64.DecodeBytes(_base64, _decoded);

        /// <summary>NAudio source that hands out the same buffer forever (no I/O in the measurement).</summary>
        sealed class LoopingSamples : ISampleProvider
        {
            readonly float[] _data;
            public LoopingSamples(float[] data, int channels)
            {
                _data = data;
                WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(48000, channels);
            }
            public WaveFormat WaveFormat { get; }
            public int Read(float[] buffer, int offset, int count)
            {
                Array.Copy(_data, 0, buffer, offset, Math.Min(count, _data.Length));
                return count;
            }
        }

        sealed class LoopingBytes : IWaveProvider
        {
            readonly byte[] _data;
            public LoopingBytes(byte[] data) => _data = data;
            public WaveFormat WaveFormat { get; } = new WaveFormat(48000, 16, 1);
            public int Read(byte[] buffer, int offset, int count)
            {
                Array.Copy(_data, 0, buffer, offset, Math.Min(count, _data.Length));
                return count;
            }
        }
    }
}
