using System;
using Parley.Audio;

namespace Parley.Session.Audio
{
    /// <summary>
    /// The capture side between the engine microphone and the provider: engine-rate interleaved float
    /// frames in, provider-rate mono PCM16 out (downmix → resample → PCM16). Echo cancellation and a local
    /// VAD plug in here; a front end with a VAD reports it through <see cref="VoiceActivity"/>.
    /// Called on the host's capture tick (main thread), never on the audio thread.
    /// </summary>
    public interface ICaptureFrontEnd
    {
        AudioFormat EngineFormat { get; }

        /// <summary>Called once the provider's input rate is known (at connect; again if the provider changes).</summary>
        void Configure(int providerSampleRate);

        /// <summary>Most PCM16 samples <see cref="Process"/> can write for <paramref name="engineFrames"/> input frames.</summary>
        int MaxOutputSamples(int engineFrames);

        /// <summary>Converts <paramref name="interleaved"/> engine frames; returns the PCM16 samples written.</summary>
        int Process(ReadOnlySpan<float> interleaved, Span<short> pcm);

        /// <summary>Level of the last processed block in dBFS (for meters).</summary>
        float LevelDbfs { get; }

        /// <summary>
        /// Local voice activity (true = speech started, false = stopped), raised inside <see cref="Process"/>;
        /// null-safe: front ends without a VAD never raise it.
        /// </summary>
        event Action<bool> VoiceActivity;
    }
}
