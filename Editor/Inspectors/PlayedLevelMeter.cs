using System;
using System.Threading;
using Parley.Audio;
using Parley.Unity.Voice;

namespace Parley.Editor.Inspectors
{
    /// <summary>
    /// The output meter's tap on an agent's voice: the loudest played block (RMS, dBFS) since the inspector last asked.
    /// Audio thread writes, main thread takes; lock-free, no allocation per block.
    /// </summary>
    public sealed class PlayedLevelMeter : IPlayedSignalListener
    {
        float _peak = float.NegativeInfinity;

        public void OnPlayed(ReadOnlySpan<float> mono, int sampleRate, double playTime)
        {
            var level = AudioLevel.RmsDbfs(mono);
            var seen = Volatile.Read(ref _peak);
            while (level > seen)
            {
                var was = Interlocked.CompareExchange(ref _peak, level, seen);
                if (was == seen) break;
                seen = was;
            }
        }

        public void OnPlayedFlushed() { }

        /// <summary>The loudest block since the last call (-∞ when nothing played), and starts over.</summary>
        public float Take() => Interlocked.Exchange(ref _peak, float.NegativeInfinity);
    }
}
