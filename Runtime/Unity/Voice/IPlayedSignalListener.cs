using System;

namespace Parley.Unity.Voice
{
    /// <summary>
    /// Receives the agent's played signal on the audio thread, block by block, as the voice renders it (mono at the
    /// output rate, after the source's volume), stamped with the time its first sample leaves the listener: the
    /// block's <c>AudioSettings.dspTime</c> plus the output latency Unity reports. Unlike <see cref="IEchoReference"/>
    /// (one consumer, read later from a ring) any number of listeners see every block; each must be lock-free,
    /// allocation-free and must not throw (it runs inside <c>OnAudioFilterRead</c>). Add with
    /// <see cref="AgentVoice.AddPlayedListener"/>.
    /// </summary>
    public interface IPlayedSignalListener
    {
        /// <summary>Audio thread: one rendered block, <paramref name="playTime"/> on the dspTime clock.</summary>
        void OnPlayed(ReadOnlySpan<float> mono, int sampleRate, double playTime);

        /// <summary>Any thread: the reply was cut (interruption or flush); what follows is a new signal.</summary>
        void OnPlayedFlushed();
    }
}
