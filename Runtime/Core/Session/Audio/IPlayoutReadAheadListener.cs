using System;

namespace Parley.Session.Audio
{
    /// <summary>
    /// Receives a playout's audio ahead of the played cursor (<see cref="PlayoutReadAhead"/>): what is queued but not
    /// yet rendered, stamped with when it will be heard, so an analyser's results are ready when the sound is. Called on
    /// the audio thread: must not block, allocate or throw.
    /// </summary>
    public interface IPlayoutReadAheadListener
    {
        /// <summary>
        /// Mono samples at the playout's rate whose first sample is heard at <paramref name="playTime"/> (seconds, the
        /// clock of the render's play time, e.g. <c>dspTime</c> + output latency). Consecutive calls continue one
        /// stream; silence that plays while nothing is queued comes as zeros.
        /// </summary>
        void OnQueued(ReadOnlySpan<float> mono, int sampleRate, double playTime);

        /// <summary>
        /// The playout was cut (an interruption): audio passed earlier is heard only up to <paramref name="heardAt"/>
        /// (the end of the cut's fade-out); what follows starts a new stream there.
        /// </summary>
        void OnCut(double heardAt);
    }
}
