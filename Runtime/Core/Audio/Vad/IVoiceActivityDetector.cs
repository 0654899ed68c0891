using System;

namespace Parley.Audio.Vad
{
    /// <summary>
    /// Scores fixed-size mono frames at one sample rate with a speech probability. Implementations keep their
    /// own recurrent state between frames (noise floor, model state) and allocate nothing per frame. The caller
    /// resamples to <see cref="SampleRate"/> and cuts frames of <see cref="FrameSamples"/>; <see cref="VoiceActivity"/>
    /// does both for a stream and turns probabilities into speech start/end events.
    /// </summary>
    public interface IVoiceActivityDetector : IDisposable
    {
        /// <summary>The rate of the samples <see cref="Process"/> takes, in Hz.</summary>
        int SampleRate { get; }

        /// <summary>Samples per frame <see cref="Process"/> takes.</summary>
        int FrameSamples { get; }

        /// <summary>Speech probability of the next frame, in [0, 1]; <paramref name="frame"/> holds exactly <see cref="FrameSamples"/> samples in [-1, 1].</summary>
        float Process(ReadOnlySpan<float> frame);

        /// <summary>Forgets the state, as before the first frame (a new stream).</summary>
        void Reset();
    }
}
