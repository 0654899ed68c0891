using System;
using Parley.Audio.Kernels;

namespace Parley.Audio
{
    /// <summary>
    /// Per-block evidence, from the canceller's own spectra, of how much of the microphone is its echo (issue 13 item 4),
    /// kept per frame for the echo guard: the share of the microphone's power (speech band, 300 Hz–3.4 kHz) that is linear
    /// in the canceller's echo estimate (<see cref="EchoCoherenceKernel"/>, which the canceller's suppressor also
    /// reads for double talk; echo stays coherent with the estimate even where the estimate is off in level, the player's
    /// voice does not), and the rise of the incoherent rest. (A third measure, the error's share above the suppressor's
    /// held echo, was measured and not kept: BENCHMARKS.md.) Fed by <see cref="EchoCanceller"/> after each block
    /// (<see cref="EchoCanceller.Coherence"/>); read per span of input samples with <see cref="Frame"/>. Buffers are sized
    /// at construction; nothing allocates per block. One thread.
    /// </summary>
    public sealed class EchoCoherence
    {
        const int Ring = 16;               // blocks kept: more than a 10 ms frame plus the canceller's latency

        readonly double[] _coherent, _mic;
        readonly long[] _end;
        readonly bool[] _passed;           // the block put out the microphone (its error was louder: EchoState.MicBlocks)
        long _micBlocks;
        readonly double[] _incoherent;     // the microphone's incoherent power of the last frames (ring)
        int _incoherentAt;
        long _blocks;

        /// <param name="riseFrames">Frames <see cref="Frame"/> compares the incoherent power against (their quietest).</param>
        public EchoCoherence(int riseFrames)
        {
            _incoherent = new double[Math.Max(1, riseFrames)];
            _coherent = new double[Ring];
            _mic = new double[Ring];
            _end = new long[Ring];
            _passed = new bool[Ring];
            Reset();
        }

        /// <summary>
        /// The last <see cref="Frame"/> had a block whose error carried far more energy than the microphone, so the
        /// canceller put out the microphone (its estimate was stale: the echo had gone away or gone quiet under it).
        /// </summary>
        public bool MicrophonePassed { get; private set; }

        /// <summary>Forgets the frames (a new stream; the canceller calls it from its own Reset).</summary>
        public void Reset()
        {
            for (var i = 0; i < Ring; i++) _end[i] = -1;
            for (var i = 0; i < _incoherent.Length; i++) _incoherent[i] = double.MaxValue;
            _incoherentAt = 0;
            _blocks = 0;
            _micBlocks = 0;
        }

        /// <summary>After a block of the kernel: its speech band's coherent and total power.</summary>
        internal void Block(in EchoState s)
        {
            var slot = (int)(_blocks % Ring);
            _coherent[slot] = s.CoherentPower;
            _mic[slot] = s.CoherenceMicPower;
            _passed[slot] = s.MicBlocks != _micBlocks;
            _micBlocks = s.MicBlocks;
            _blocks++;
            _end[slot] = _blocks * s.Block;
        }

        /// <summary>
        /// A frame over the blocks that end in input samples (<paramref name="from"/>, <paramref name="to"/>] of the
        /// canceller's stream: the microphone's share coherent with the echo estimate (0–1), and how many times the
        /// microphone's incoherent power (per block) exceeds the quietest of the last frames (the player adds power the
        /// estimate does not explain; an echo fading past the filter's reach loses its coherence but not its power).
        /// False when no block ended there (nothing is recorded). <see cref="MicrophonePassed"/>: whether one of those
        /// blocks put out the microphone instead of its error.
        /// </summary>
        public bool Frame(long from, long to, out double coherence, out double incoherentRise)
        {
            double c = 0, m = 0;
            var blocks = 0;
            MicrophonePassed = false;
            for (var i = 0; i < Ring; i++)
            {
                if (_end[i] <= from || _end[i] > to) continue;
                blocks++;
                c += _coherent[i];
                m += _mic[i];
                MicrophonePassed |= _passed[i];
            }
            coherence = m > 0 ? c / m : 1;
            incoherentRise = 0;
            if (blocks == 0) return false;
            var incoherent = (m - c) / blocks + 1e-12;
            var quietest = double.MaxValue;
            for (var i = 0; i < _incoherent.Length; i++) if (_incoherent[i] < quietest) quietest = _incoherent[i];
            incoherentRise = incoherent / quietest;
            _incoherent[_incoherentAt] = incoherent;
            _incoherentAt = (_incoherentAt + 1) % _incoherent.Length;
            return true;
        }
    }
}
