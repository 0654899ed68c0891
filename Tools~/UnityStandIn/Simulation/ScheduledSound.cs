// A talker in the room who speaks when the test says so: a scene that must put the player's words at a moment of the
// conversation (0.8 s into an agent's reply) rather than at a fixed point of the microphone's input, whose place in
// the conversation moves with the network's wall time.
using System;
using System.Threading;

namespace Parley.Simulation
{
    /// <summary>Samples a microphone hears from a virtual time set while the player runs (<see cref="StartAt"/>); silence before.</summary>
    public sealed class ScheduledSound : IMicrophoneSound
    {
        readonly float[] _samples;
        readonly int _rate;
        long _startTicks = long.MaxValue;   // the start, in 100 ns ticks of virtual time (a double is not atomic on every platform)

        /// <param name="samples">The sound, mono at <paramref name="rate"/> Hz (read at the microphone's frame times, nearest sample).</param>
        public ScheduledSound(float[] samples, int rate)
        {
            _samples = samples ?? throw new ArgumentNullException(nameof(samples));
            if (rate <= 0) throw new ArgumentOutOfRangeException(nameof(rate));
            _rate = rate;
        }

        /// <summary>The sound starts at <paramref name="time"/> (virtual seconds of the player); it is heard once.</summary>
        public void StartAt(double time) => Interlocked.Exchange(ref _startTicks, (long)Math.Round(time * 1e7));

        /// <summary>Virtual seconds the sound starts at (infinity until <see cref="StartAt"/>).</summary>
        public double Start
        {
            get
            {
                var t = Interlocked.Read(ref _startTicks);
                return t == long.MaxValue ? double.PositiveInfinity : t / 1e7;
            }
        }

        public void AddTo(float[] packet, int frames, int rate, double firstFrameTime, double frameSeconds)
        {
            var start = Start;
            if (double.IsInfinity(start)) return;
            for (var j = 0; j < frames; j++)
            {
                var k = (long)Math.Round((firstFrameTime + j * frameSeconds - start) * _rate);
                if (k >= 0 && k < _samples.Length) packet[j] += _samples[k];
            }
        }
    }
}
