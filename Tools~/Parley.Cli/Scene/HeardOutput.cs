using System;
using System.Threading;
using Parley.Simulation;

namespace Parley.Cli.Scene
{
    /// <summary>
    /// `scene --output`: what the AudioListener heard, block by block as the audio thread mixed it, written as a 16-bit
    /// WAV in the output device's format (interleaved, e.g. stereo at 48 kHz). Also keeps the last block's level for the
    /// status line. The audio thread runs in lock-step with the main thread, so the writer is never used by both at once.
    /// </summary>
    sealed class HeardOutput : IDisposable
    {
        readonly SimulatedPlayer _player;
        readonly WavFile.Writer _writer;
        readonly int _channels;
        readonly int _rate;
        bool _recording = true;
        double _lastDbfs = double.NegativeInfinity;

        public HeardOutput(SimulatedPlayer player, string path, int channels, int rate)
        {
            _player = player;
            _channels = channels;
            _rate = rate;
            if (path != null) _writer = WavFile.OpenWriter(path, rate, channels);
            _player.Heard += OnHeard;
        }

        /// <summary>Frames written (or heard, without a file).</summary>
        public long Frames { get; private set; }
        /// <summary>Blocks heard in another format than the file's (an output device change) and left out.</summary>
        public long SkippedBlocks { get; private set; }
        public double LastDbfs => Volatile.Read(ref _lastDbfs);

        /// <summary>Ends the recording (the conversation is over; the frames that close it are not part of it).</summary>
        public void Stop() => _recording = false;

        void OnHeard(float[] block, int channels, int rate)
        {
            if (!_recording) return;
            if (channels != _channels || rate != _rate) { SkippedBlocks++; return; }
            _writer?.Write(block);
            Frames += block.Length / channels;
            double sum = 0;
            for (var i = 0; i < block.Length; i++) sum += (double)block[i] * block[i];
            var rms = Math.Sqrt(sum / Math.Max(1, block.Length));
            Volatile.Write(ref _lastDbfs, rms <= 1e-9 ? double.NegativeInfinity : 20 * Math.Log10(rms));
        }

        public void Dispose()
        {
            _player.Heard -= OnHeard;
            _writer?.Dispose();
        }
    }
}
