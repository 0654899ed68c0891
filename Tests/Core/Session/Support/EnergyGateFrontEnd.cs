using System;
using Parley.Audio;
using Parley.Session.Audio;

namespace Parley.Tests.Session.Support
{
    /// <summary>
    /// A test double of the capture front end: mono input already at the provider rate, converted to PCM16,
    /// with a crude energy gate standing in for a local VAD (speech above −35 dBFS per 20 ms block, hangover 300 ms).
    /// </summary>
    public sealed class EnergyGateFrontEnd : ICaptureFrontEnd
    {
        readonly int _rate;
        bool _speaking;
        int _quietMs;

        public EnergyGateFrontEnd(int rate) { _rate = rate; EngineFormat = AudioFormat.Mono(rate); }

        public AudioFormat EngineFormat { get; }
        public int ConfiguredRate;
        public float LevelDbfs { get; private set; }
        public event Action<bool> VoiceActivity;

        public void Configure(int providerSampleRate) => ConfiguredRate = providerSampleRate;
        public int MaxOutputSamples(int engineFrames) => engineFrames;

        public int Process(ReadOnlySpan<float> interleaved, Span<short> pcm)
        {
            double sum = 0;
            for (var i = 0; i < interleaved.Length; i++)
            {
                pcm[i] = (short)Math.Max(-32768, Math.Min(32767, Math.Round(interleaved[i] * 32768.0)));
                sum += interleaved[i] * interleaved[i];
            }
            LevelDbfs = (float)(10 * Math.Log10(Math.Max(1e-12, sum / Math.Max(1, interleaved.Length))));
            var ms = interleaved.Length * 1000 / _rate;
            if (LevelDbfs > -35) { _quietMs = 0; if (!_speaking) { _speaking = true; VoiceActivity?.Invoke(true); } }
            else if (_speaking && (_quietMs += ms) >= 300) { _speaking = false; VoiceActivity?.Invoke(false); }
            return interleaved.Length;
        }
    }
}
