using System;
using Parley.Audio.Kernels;

namespace Parley.Session.Audio
{
    /// <summary>
    /// The echo guard's residual predicted per frequency band (<see cref="DuplexFrontEndOptions.EchoGuardBands"/>): the
    /// played signal and the cancelled microphone are split into bands, the residual of each band is predicted from
    /// that band's played energy over the last lags (a <see cref="ResidualPredictor"/> per band, as the broadband one), and a frame counts
    /// as the player's when enough bands rise above their own prediction by the margin. A loud low band of echo does
    /// not mask a voice in the bands where the echo is quiet. Sized at construction; nothing allocates per frame.
    /// </summary>
    internal sealed unsafe class EchoBandPredictor
    {
        const int Delay = 5;              // frames a ratio waits before it is learned (as the broadband guard)
        const double Floor = 1e-4;        // a band's prediction never under −40 dB of its loudest played frame
        const double Tiny = 1e-12;

        readonly int _bands, _window;
        readonly BiquadSection[] _farSections, _outSections;
        readonly PlayedEnergyRing _played;   // played frames × bands
        readonly ResidualPredictor _predictor;
        readonly double[] _out, _ratio;
        readonly LearnedRatio[] _learned;
        readonly double[] _recentRatio, _recentOut; // Delay × bands
        readonly long[] _recentFrame;
        readonly bool[] _recentLearnable, _recentRatioLearnable;
        int _recentAt;
        readonly double _marginPower;

        public EchoBandPredictor(int sampleRate, int bands, int lags, int ringFrames, int windowFrames, int holdFrames, double step, double marginDb)
        {
            _bands = bands;
            // The floor's loudest played frame is looked for within the predictor's lags too.
            _window = Math.Min(windowFrames, lags);
            _marginPower = Math.Pow(10, marginDb / 10);
            _farSections = new BiquadSection[2 * bands];
            _outSections = new BiquadSection[2 * bands];
            // Corners spaced evenly on a log scale from 300 Hz to 3 kHz (speech's formants), under the Nyquist rate.
            var edges = stackalloc float[Math.Max(1, bands - 1)];
            for (var i = 0; i < bands - 1; i++)
            {
                var hz = bands == 2 ? 1000.0 : 300.0 * Math.Pow(10, (double)i / (bands - 2));
                edges[i] = (float)(Math.Min(hz, 0.45 * sampleRate) / sampleRate);
            }
            fixed (BiquadSection* s = _farSections) BandSplitKernel.Design(s, edges, bands);
            fixed (BiquadSection* s = _outSections) BandSplitKernel.Design(s, edges, bands);
            _played = new PlayedEnergyRing(ringFrames, bands);
            _predictor = new ResidualPredictor(_played, lags, bands, step);
            _out = new double[bands];
            _ratio = new double[bands];
            _learned = new LearnedRatio[bands];
            for (var b = 0; b < bands; b++) _learned[b] = new LearnedRatio(holdFrames);
            _recentRatio = new double[Delay * bands];
            _recentOut = new double[Delay * bands];
            _recentFrame = new long[Delay];
            _recentLearnable = new bool[Delay];
            _recentRatioLearnable = new bool[Delay];
            for (var i = 0; i < Delay; i++) _recentFrame[i] = -1;
        }

        /// <summary>A played sample (processing rate) of frame <paramref name="frame"/>.</summary>
        public void AddPlayed(long frame, float x)
        {
            var at = _played.Start(frame);
            fixed (BiquadSection* s = _farSections) fixed (double* e = &_played.Energy[at]) BandSplitKernel.Accumulate(s, _bands, x, e);
        }

        /// <summary>A cancelled microphone sample of the frame under way.</summary>
        public void AddOutput(float y)
        {
            fixed (BiquadSection* s = _outSections) fixed (double* e = _out) BandSplitKernel.Accumulate(s, _bands, y, e);
        }

        /// <summary>The played signal jumped (a new run): the band filters start again.</summary>
        public void ResetPlayed()
        {
            fixed (BiquadSection* s = _farSections) BandSplitKernel.Clear(s, _bands);
        }

        /// <summary>Forgets the bands' held ratios and the frames waiting to be learnt; the predictor's weights stay.</summary>
        public void ForgetRatios()
        {
            foreach (var l in _learned) l.Clear();
            for (var i = 0; i < Delay; i++) _recentFrame[i] = -1;
        }

        /// <summary>
        /// Ends frame <paramref name="f"/>: each band's output against its prediction. Returns how many bands are above
        /// their learned ratio by the margin (0 while <paramref name="judge"/> is false: the guard is still cold).
        /// The frame is kept for learning <see cref="Delay"/> frames later when <paramref name="learnable"/>: the
        /// predictor's weights from it, and the held ratios too when <paramref name="ratioLearnable"/>.
        /// <paramref name="barFactor"/> scales the bar (raised after the agent resumes, lowered on strong evidence).
        /// </summary>
        public int EndFrame(long f, bool judge, bool learnable, bool ratioLearnable, double barFactor)
        {
            var above = 0;
            for (var b = 0; b < _bands; b++)
            {
                var y = _predictor.Predict(f, b, out _);
                var loudest = _played.Loudest(f, _window, b);
                _ratio[b] = _out[b] / (y + loudest * Floor + Tiny);
                if (judge && _ratio[b] > _learned[b].Percentile(100) * _marginPower * barFactor) above++;
            }
            var at = _recentAt * _bands;
            for (var b = 0; b < _bands; b++) { _recentRatio[at + b] = _ratio[b]; _recentOut[at + b] = _out[b]; _out[b] = 0; }
            _recentFrame[_recentAt] = f;
            _recentLearnable[_recentAt] = learnable;
            _recentRatioLearnable[_recentAt] = ratioLearnable;
            _recentAt = (_recentAt + 1) % Delay;
            return above;
        }

        /// <summary>
        /// Learns the ratios and the predictor from the frame <see cref="Delay"/> frames old (if it was learnable and is
        /// not known to be the player's speech, <paramref name="playerSpeech"/>). While the VAD hears other speech a
        /// band's ratio is learned only if at most <paramref name="capPower"/> over what is learned (the player's rising
        /// voice must not lift the bar away).
        /// </summary>
        public void Learn(bool playerSpeech, bool vadSpeaking, double capPower)
        {
            var i = _recentAt; // the oldest entry (the next to be overwritten)
            var f = _recentFrame[i];
            if (f < 0 || !_recentLearnable[i] || playerSpeech) return;
            var at = i * _bands;
            var ratioLearnable = _recentRatioLearnable[i];
            for (var b = 0; b < _bands; b++)
            {
                var r = _recentRatio[at + b];
                if (vadSpeaking && r > _learned[b].Percentile(100) * capPower) continue;
                if (ratioLearnable) _learned[b].Add(r);
                _predictor.Learn(f, b, _recentOut[at + b]);
            }
        }
    }
}
