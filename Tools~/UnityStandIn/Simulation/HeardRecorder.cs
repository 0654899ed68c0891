// Keeps what the AudioListener heard (every mixed block), e.g. for `parley scene --output heard.wav`.
using System;
using System.Collections.Generic;

namespace Parley.Simulation
{
    /// <remarks>It grows a list on the audio thread: leave it out of allocation measurements, or size it up front.</remarks>
    public sealed class HeardRecorder : IDisposable
    {
        readonly SimulatedPlayer _player;
        readonly List<float> _samples = new List<float>();
        readonly object _gate = new object();

        public HeardRecorder(SimulatedPlayer player, int capacitySamples = 0)
        {
            _player = player ?? throw new ArgumentNullException(nameof(player));
            _samples.Capacity = Math.Max(0, capacitySamples);
            _player.Heard += OnHeard;
        }

        public int Channels { get; private set; }
        public int SampleRate { get; private set; }

        /// <summary>The output format changed during the recording (a device change): the samples mix two formats.</summary>
        public bool FormatChanged { get; private set; }

        void OnHeard(float[] block, int channels, int rate)
        {
            lock (_gate)
            {
                if (Channels != 0 && (channels != Channels || rate != SampleRate)) FormatChanged = true;
                Channels = channels;
                SampleRate = rate;
                _samples.AddRange(block);
            }
        }

        /// <summary>Everything heard so far, interleaved.</summary>
        public float[] ToArray()
        {
            lock (_gate) return _samples.ToArray();
        }

        public void Dispose() => _player.Heard -= OnHeard;
    }
}
