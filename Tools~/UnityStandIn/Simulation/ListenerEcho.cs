// The speakers heard by a microphone: what the AudioListener mixed, leaving the speakers one reported output latency
// after its block was rendered (dspBufferSize × numBuffers at the output rate, on the output device's clock), through
// a room (an echo path the caller supplies, e.g. Parley's EchoPath over an impulse response), added to a
// SimulatedMicrophone's packets at the instants the device captured them. The listener's signal is kept as mono
// (the channels' mean) with each block's time, and read at the microphone's frame times by linear interpolation, so
// the two devices' rates and clocks may differ; the room runs at the microphone's rate (a new one when it changes).
using System;

namespace Parley.Simulation
{
    /// <summary>Sound a simulated microphone hears besides its input.</summary>
    public interface IMicrophoneSound
    {
        /// <summary>
        /// Adds the sound at frames <c>firstFrameTime + k · frameSeconds</c> (virtual seconds) to <paramref name="packet"/>[0..frames),
        /// a packet at <paramref name="rate"/> Hz. Runs on the player's thread as the device delivers the packet.
        /// </summary>
        void AddTo(float[] packet, int frames, int rate, double firstFrameTime, double frameSeconds);
    }

    /// <summary>An echo path: the echo of the played samples (continuing the stream) into <paramref name="echo"/> (same length).</summary>
    public delegate void EchoFilter(ReadOnlySpan<float> played, Span<float> echo);

    public sealed class ListenerEcho : IMicrophoneSound, IDisposable
    {
        const int HistoryBlocks = 256;

        readonly SimulatedPlayer _player;
        readonly Func<int, EchoFilter> _roomAtRate;
        readonly float[] _samples;
        readonly double[] _blockTime = new double[HistoryBlocks];
        readonly double[] _blockStep = new double[HistoryBlocks];
        readonly long[] _blockStart = new long[HistoryBlocks];
        readonly int[] _blockCount = new int[HistoryBlocks];
        long _written;
        long _blocks;
        EchoFilter _room;
        int _roomRate;
        float[] _dry = Array.Empty<float>();
        float[] _wet = Array.Empty<float>();

        /// <param name="roomAtRate">Makes the room at a microphone rate (called again if the rate changes); null: the dry signal.</param>
        /// <param name="seconds">How much of the listener's signal is kept (the longest latency plus delay it can serve).</param>
        public ListenerEcho(SimulatedPlayer player, Func<int, EchoFilter> roomAtRate, double seconds = 4)
        {
            _player = player ?? throw new ArgumentNullException(nameof(player));
            _roomAtRate = roomAtRate;
            _samples = new float[(int)(seconds * 192000)];
            _player.Heard += OnHeard;
        }

        /// <summary>Frames of the listener's signal kept so far.</summary>
        public long FramesHeard => _written;
        /// <summary>Microphone frames that asked for the speakers' sound before any was heard, or after what is kept.</summary>
        public long FramesOutside { get; private set; }

        // Audio thread (in lock-step with the player's thread): Now is the instant the block is rendered.
        void OnHeard(float[] block, int channels, int rate)
        {
            var audio = Engine.Audio;
            var step = 1.0 / (rate * (1.0 + audio.OutputClockDrift));
            var latency = audio.Configuration.dspBufferSize * (double)audio.NumBuffers / rate;
            var frames = block.Length / channels;
            var b = (int)(_blocks % HistoryBlocks);
            _blockTime[b] = _player.Now + latency;
            _blockStep[b] = step;
            _blockStart[b] = _written;
            _blockCount[b] = frames;
            for (var i = 0; i < frames; i++)
            {
                float sum = 0;
                for (var c = 0; c < channels; c++) sum += block[i * channels + c];
                _samples[(_written + i) % _samples.Length] = sum / channels;
            }
            _written += frames;
            _blocks++;
        }

        public void AddTo(float[] packet, int frames, int rate, double firstFrameTime, double frameSeconds)
        {
            if (_dry.Length < frames) { _dry = new float[frames]; _wet = new float[frames]; }
            for (var k = 0; k < frames; k++) _dry[k] = At(firstFrameTime + k * frameSeconds);
            if (_roomAtRate == null)
            {
                for (var k = 0; k < frames; k++) packet[k] += _dry[k];
                return;
            }
            if (_room == null || _roomRate != rate) { _room = _roomAtRate(rate); _roomRate = rate; }
            _room(new ReadOnlySpan<float>(_dry, 0, frames), new Span<float>(_wet, 0, frames));
            for (var k = 0; k < frames; k++) packet[k] += _wet[k];
        }

        /// <summary>The speakers' sound at virtual time <paramref name="t"/> (silence before the first block or in a gap).</summary>
        float At(double t)
        {
            // Newest block first: the microphone asks for the recent past.
            var oldest = Math.Max(0, _blocks - HistoryBlocks);
            for (var n = _blocks - 1; n >= oldest; n--)
            {
                var b = (int)(n % HistoryBlocks);
                if (t < _blockTime[b]) continue;
                var x = (t - _blockTime[b]) / _blockStep[b];
                var i = (long)Math.Floor(x);
                if (i >= _blockCount[b]) return 0f;   // after this block: a gap (a reset), or not rendered yet
                if (_written - (_blockStart[b] + i) >= _samples.Length) { FramesOutside++; return 0f; }
                var frac = (float)(x - i);
                var s0 = _samples[(_blockStart[b] + i) % _samples.Length];
                var next = i + 1 < _blockCount[b] || n + 1 < _blocks ? _samples[(_blockStart[b] + i + 1) % _samples.Length] : 0f;
                return s0 + (next - s0) * frac;
            }
            if (_blocks > 0) FramesOutside++;
            return 0f;
        }

        public void Dispose() => _player.Heard -= OnHeard;
    }
}
