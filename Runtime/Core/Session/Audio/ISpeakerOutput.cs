using System;

namespace Parley.Session.Audio
{
    /// <summary>
    /// The consumer side of the playout: called on the audio thread (Unity's OnAudioFilterRead, the CLI's
    /// virtual speaker) to fill an engine-rate buffer with the agent's voice, advancing the played cursor.
    /// No allocation, locks or logging inside <see cref="Render"/>. A lipsync analyser taps what it renders.
    /// </summary>
    public interface ISpeakerOutput : IAgentPlayout
    {
        /// <summary>Engine output rate the speaker renders at.</summary>
        int EngineSampleRate { get; }

        /// <summary>Fills <paramref name="interleaved"/> (engine rate, <paramref name="channels"/> channels) with agent audio or silence.</summary>
        void Render(Span<float> interleaved, int channels);

        /// <summary>Engine frames of agent audio rendered so far (silence and underruns excluded).</summary>
        long AgentFramesRendered { get; }
    }
}
