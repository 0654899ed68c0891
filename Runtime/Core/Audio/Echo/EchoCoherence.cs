using System;
using Parley.Audio.Kernels;

namespace Parley.Audio
{
    /// <summary>
    /// Per-block evidence, from the canceller's own spectra, of how much of the microphone is its echo (issue 13 item 4):
    /// the share of the microphone's power (speech band, 300 Hz–3.4 kHz) that is linear in the canceller's echo estimate
    /// Ŷ = microphone − error, per bin |S_ŷd|² / S_ŷŷ smoothed over a few blocks (echo stays coherent with the estimate
    /// even where the estimate is off in level; the player's voice is not), and the rise of the incoherent rest.
    /// (A third measure, the error's share above the suppressor's held echo, was measured and not kept: BENCHMARKS.md.)
    /// Fed by <see cref="EchoCanceller"/> after each block (<see cref="EchoCanceller.Coherence"/>); read per span of input
    /// samples with <see cref="Frame"/>. Buffers are sized at construction; nothing allocates per block. One thread.
    /// </summary>
    public sealed unsafe class EchoCoherence
    {
        const int Ring = 16;               // blocks kept: more than a 10 ms frame plus the canceller's latency
        const float Tiny = 1e-20f;

        readonly int _lo, _hi, _block;
        readonly float _keep;
        readonly float[] _syy, _sdd, _sydRe, _sydIm;
        readonly double[] _coherent, _mic;
        readonly long[] _end;
        readonly double[] _incoherent;     // the microphone's incoherent power of the last frames (ring)
        int _incoherentAt;
        long _blocks;

        /// <param name="smoothBlocks">Time constant of the spectral smoothing, in blocks.</param>
        /// <param name="riseFrames">Frames <see cref="Frame"/> compares the incoherent power against (their quietest).</param>
        public EchoCoherence(int sampleRate, int block, int riseFrames, double smoothBlocks = 3)
        {
            _incoherent = new double[Math.Max(1, riseFrames)];
            _block = block;
            var binHz = sampleRate / (2.0 * block);
            _lo = Math.Max(1, (int)Math.Round(300 / binHz));
            _hi = Math.Min(block, (int)Math.Round(3400 / binHz));
            _keep = (float)Math.Exp(-1.0 / smoothBlocks);
            var n = block + 1;
            _syy = new float[n];
            _sdd = new float[n];
            _sydRe = new float[n];
            _sydIm = new float[n];
            _coherent = new double[Ring];
            _mic = new double[Ring];
            _end = new long[Ring];
            Reset();
        }

        /// <summary>Forgets the spectra and the frames (a new stream; the canceller calls it from its own Reset).</summary>
        public void Reset()
        {
            Array.Clear(_syy, 0, _syy.Length);
            Array.Clear(_sdd, 0, _sdd.Length);
            Array.Clear(_sydRe, 0, _sydRe.Length);
            Array.Clear(_sydIm, 0, _sydIm.Length);
            for (var i = 0; i < Ring; i++) _end[i] = -1;
            for (var i = 0; i < _incoherent.Length; i++) _incoherent[i] = double.MaxValue;
            _incoherentAt = 0;
            _blocks = 0;
        }

        /// <summary>After a block of the kernel: its microphone and error spectra, and the suppressor's held echo.</summary>
        internal void Block(in EchoState s, float* f)
        {
            float* dr = f + s.MicRe, di = f + s.MicIm, er = f + s.ErrRe, ei = f + s.ErrIm;
            var a = 1f - _keep;
            double coherent = 0, mic = 0;
            for (var i = _lo; i <= _hi; i++)
            {
                float yr = dr[i] - er[i], yi = di[i] - ei[i];
                _syy[i] += a * (yr * yr + yi * yi - _syy[i]);
                _sdd[i] += a * (dr[i] * dr[i] + di[i] * di[i] - _sdd[i]);
                // Ŷ·conj(D)
                _sydRe[i] += a * (yr * dr[i] + yi * di[i] - _sydRe[i]);
                _sydIm[i] += a * (yi * dr[i] - yr * di[i] - _sydIm[i]);
                var c = (_sydRe[i] * _sydRe[i] + _sydIm[i] * _sydIm[i]) / (_syy[i] + Tiny);
                coherent += c < _sdd[i] ? c : _sdd[i];
                mic += _sdd[i];
            }
            var slot = (int)(_blocks % Ring);
            _coherent[slot] = coherent;
            _mic[slot] = mic;
            _blocks++;
            _end[slot] = _blocks * _block;
        }

        /// <summary>
        /// A frame over the blocks that end in input samples (<paramref name="from"/>, <paramref name="to"/>] of the
        /// canceller's stream: the microphone's share coherent with the echo estimate (0–1), and how many times the
        /// microphone's incoherent power (per block) exceeds the quietest of the last frames (the player adds power the
        /// estimate does not explain; an echo fading past the filter's reach loses its coherence but not its power).
        /// False when no block ended there (nothing is recorded).
        /// </summary>
        public bool Frame(long from, long to, out double coherence, out double incoherentRise)
        {
            double c = 0, m = 0;
            var blocks = 0;
            for (var i = 0; i < Ring; i++)
            {
                if (_end[i] <= from || _end[i] > to) continue;
                blocks++;
                c += _coherent[i];
                m += _mic[i];
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
