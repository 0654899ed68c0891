using System;
using Parley.Audio;

namespace Parley.Session.Audio
{
    /// <summary>
    /// The default capture front end: engine-rate interleaved float → downmix → resample to the provider's
    /// input rate → PCM16. Buffers are sized once for the largest block announced at construction, so the
    /// capture tick allocates nothing. Echo cancellation and a local VAD wrap or replace it.
    /// </summary>
    public sealed class ResamplingCaptureFrontEnd : ICaptureFrontEnd
    {
        readonly int _maxFrames;
        readonly float[] _mono;
        float[] _resampled;
        Resampler _resampler;

        public ResamplingCaptureFrontEnd(AudioFormat engineFormat, int maxBlockFrames)
        {
            if (maxBlockFrames <= 0) throw new ArgumentOutOfRangeException(nameof(maxBlockFrames));
            EngineFormat = engineFormat;
            _maxFrames = maxBlockFrames;
            _mono = new float[maxBlockFrames];
        }

        public AudioFormat EngineFormat { get; }
        public float LevelDbfs { get; private set; } = float.NegativeInfinity;
        public event Action<bool> VoiceActivity { add { } remove { } }

        public void Configure(int providerSampleRate)
        {
            if (_resampler != null && _resampler.OutputRate == providerSampleRate) return;
            _resampler = new Resampler(EngineFormat.SampleRate, providerSampleRate);
            _resampled = new float[_resampler.MaxOutputFor(_maxFrames)];
        }

        public int MaxOutputSamples(int engineFrames) => Require().MaxOutputFor(engineFrames);

        public int Process(ReadOnlySpan<float> interleaved, Span<short> pcm)
        {
            var resampler = Require();
            var mono = CaptureBlock.ToMono(EngineFormat, interleaved, _mono, out var level);
            LevelDbfs = level;
            var n = resampler.Process(mono, _resampled);
            return PcmConvert.FloatToPcm16(new ReadOnlySpan<float>(_resampled, 0, n), pcm);
        }

        Resampler Require() => _resampler ?? throw new InvalidOperationException("Configure(providerSampleRate) must be called first.");
    }
}
