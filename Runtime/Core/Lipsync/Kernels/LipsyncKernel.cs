using Parley.Audio.Kernels;

namespace Parley.Lipsync.Kernels
{
    /// <summary>
    /// Speech to viseme weights, one hop at a time (Burst-friendly: no allocation, no throw, no virtual calls).
    /// Per hop: Hann window → FFT → mel bands (100–3800 Hz, so 8 kHz telephone speech and 48 kHz game audio
    /// give the same features) → log → DCT cepstrum → streaming cepstral mean normalisation → a context of
    /// frames around the output frame → a one-hidden-layer network → softmax → attack/release smoothing.
    /// The output frame lags the newest analysed frame by <c>Lookahead</c> hops (the network looks ahead).
    /// </summary>
    public static unsafe class LipsyncKernel
    {
        const float Floor = 1e-10f;

        /// <summary>Back to rest: silence weights, jaw closed, no history, normaliser at its starting mean.</summary>
        public static void Reset(LipsyncMemory m)
        {
            var s = m.State;
            s->Fill = 0;
            s->Frames = 0;
            s->Outputs = 0;
            s->SamplesIn = 0;
            s->JawOpen = 0f;
            s->SpeechDb = -100f;
            s->QuietRun = 0;
            s->Paused = 0;
            for (var i = 0; i < s->Ceps; i++) m.Mean[i] = m.MeanInit[i];
            for (var i = 0; i < s->Classes; i++) m.Weights[i] = 0f;
            m.Weights[(int)Viseme.Sil] = 1f;
        }

        /// <summary>
        /// Takes samples until one output frame is produced or <paramref name="count"/> run out; returns the number
        /// taken. <c>State->Outputs</c> grows by one when a frame was produced (its weights are in <c>Weights</c>).
        /// </summary>
        public static int Consume(LipsyncMemory m, float* src, int count)
        {
            var s = m.State;
            var taken = 0;
            while (taken < count)
            {
                var n = s->Window - s->Fill;
                if (n > count - taken) n = count - taken;
                for (var i = 0; i < n; i++)
                {
                    m.Input[s->Fill + i] = Sample.Sanitize(src[taken + i]);
                }
                s->Fill += n;
                taken += n;
                s->SamplesIn += n;
                if (s->Fill < s->Window) break;

                AnalyseFrame(m);
                // Slide by one hop.
                var keep = s->Window - s->Hop;
                for (var i = 0; i < keep; i++) m.Input[i] = m.Input[i + s->Hop];
                s->Fill = keep;
                if (s->Frames > s->Lookahead)
                {
                    Classify(m, s->Frames - 1 - s->Lookahead);
                    break;
                }
            }
            return taken;
        }

        /// <summary>Features of the full window in <c>Input</c>, appended to the history ring.</summary>
        static void AnalyseFrame(LipsyncMemory m)
        {
            var s = m.State;
            var n = s->FftSize;
            double energy = 0;
            for (var i = 0; i < s->Window; i++)
            {
                var x = m.Input[i];
                energy += x * x;
                m.Re[i] = x * m.Taper[i];
                m.Im[i] = 0f;
            }
            for (var i = s->Window; i < n; i++)
            {
                m.Re[i] = 0f;
                m.Im[i] = 0f;
            }
            Fft(m.Re, m.Im, m.Cos, m.Sin, n);
            for (var k = 0; k < s->Bins; k++) m.Re[k] = m.Re[k] * m.Re[k] + m.Im[k] * m.Im[k];
            for (var b = 0; b < s->Bands; b++)
            {
                var row = m.Mel + b * s->Bins;
                var sum = 0f;
                for (var k = 0; k < s->Bins; k++) sum += row[k] * m.Re[k];
                m.Band[b] = (float)System.Math.Log(sum + Floor);
            }
            var levelDb = (float)(10.0 * System.Math.Log10(energy / s->Window + Floor));
            if (levelDb < -100f) levelDb = -100f;

            var frame = m.History + (s->Frames % s->HistoryLength) * s->Features;
            var update = levelDb > s->GateDb;
            for (var c = 0; c < s->Ceps; c++)
            {
                var row = m.Dct + c * s->Bands;
                var v = 0f;
                for (var b = 0; b < s->Bands; b++) v += row[b] * m.Band[b];
                if (update) m.Mean[c] += s->NormCoef * (v - m.Mean[c]);
                frame[c] = v - m.Mean[c];
            }
            frame[s->Ceps] = levelDb * 0.05f;
            s->Frames++;
        }

        /// <summary>Context stack around <paramref name="t"/>, standardised, into <c>InputVector</c>.</summary>
        public static void BuildInput(LipsyncMemory m, int t)
        {
            var s = m.State;
            var dst = m.InputVector;
            for (var c = 0; c < s->ContextCount; c++)
            {
                var f = t + m.Context[c];
                if (f < 0) f = 0;
                if (f > s->Frames - 1) f = s->Frames - 1;
                var frame = m.History + (f % s->HistoryLength) * s->Features;
                for (var i = 0; i < s->Features; i++) *dst++ = frame[i];
            }
            for (var i = 0; i < s->Inputs; i++) m.InputVector[i] = (m.InputVector[i] - m.Shift[i]) * m.Scale[i];
        }

        static void Classify(LipsyncMemory m, int t)
        {
            var s = m.State;
            BuildInput(m, t);
            Forward(m);
            if (PauseGate(m, t))
            {
                for (var i = 0; i < s->Classes; i++) m.Scores[i] = 0f;
                m.Scores[(int)Viseme.Sil] = 1f;
            }
            // Attack/release smoothing towards the class probabilities, and the jaw from them.
            var jaw = 0f;
            for (var i = 0; i < s->Classes; i++)
            {
                var p = m.Scores[i];
                var w = m.Weights[i];
                w += (p > w ? s->AttackCoef : s->ReleaseCoef) * (p - w);
                m.Weights[i] = w;
                jaw += p * m.Openness[i];
            }
            var level = m.History[(t % s->HistoryLength) * s->Features + s->Ceps] * 20f;
            var gate = (level - s->GateDb) / 20f;
            jaw *= gate < 0f ? 0f : gate > 1f ? 1f : gate;
            s->JawOpen += (jaw > s->JawOpen ? s->AttackCoef : s->ReleaseCoef) * (jaw - s->JawOpen);
            s->Outputs++;
        }

        /// <summary>
        /// True when frame <paramref name="t"/> is in a pause: quieter than the tracked speech level by <c>PauseDb</c>
        /// for <c>PauseFrames</c> frames in a row (counting the lookahead frames), with hysteresis. Breaths and room
        /// noise in recorded pauses then rest the mouth, while a stop's short closure inside a word stays with the
        /// classifier.
        /// </summary>
        static bool PauseGate(LipsyncMemory m, int t)
        {
            var s = m.State;
            var level = m.History[(t % s->HistoryLength) * s->Features + s->Ceps] * 20f;
            if (level > s->SpeechDb) s->SpeechDb = level;
            else if (s->SpeechDb > -100f) s->SpeechDb -= s->SpeechDecayDb;
            var below = s->SpeechDb - s->PauseDb + (s->Paused != 0 ? s->PauseHysteresisDb : 0f);
            if (level >= below)
            {
                s->QuietRun = 0;
                s->Paused = 0;
                return false;
            }
            s->QuietRun++;
            if (s->Paused != 0) return true;
            var run = s->QuietRun;
            for (var k = 1; k <= s->Lookahead && t + k < s->Frames; k++)
            {
                if (m.History[((t + k) % s->HistoryLength) * s->Features + s->Ceps] * 20f >= below) break;
                run++;
            }
            if (run < s->PauseFrames) return false;
            s->Paused = 1;
            return true;
        }

        /// <summary>The network on <c>InputVector</c>: ReLU hidden layer, softmax into <c>Scores</c>.</summary>
        public static void Forward(LipsyncMemory m)
        {
            var s = m.State;
            for (var h = 0; h < s->Hidden; h++)
            {
                var row = m.W1 + h * s->Inputs;
                var v = m.B1[h];
                for (var i = 0; i < s->Inputs; i++) v += row[i] * m.InputVector[i];
                m.HiddenVector[h] = v > 0f ? v : 0f;
            }
            var max = float.NegativeInfinity;
            for (var c = 0; c < s->Classes; c++)
            {
                var row = m.W2 + c * s->Hidden;
                var v = m.B2[c];
                for (var h = 0; h < s->Hidden; h++) v += row[h] * m.HiddenVector[h];
                m.Scores[c] = v;
                if (v > max) max = v;
            }
            var sum = 0f;
            for (var c = 0; c < s->Classes; c++)
            {
                var e = (float)System.Math.Exp(m.Scores[c] - max);
                m.Scores[c] = e;
                sum += e;
            }
            for (var c = 0; c < s->Classes; c++) m.Scores[c] /= sum;
        }

        /// <summary>In-place radix-2 complex FFT; <paramref name="n"/> a power of two, twiddles cos/sin(2πk/n).</summary>
        public static void Fft(float* re, float* im, float* cos, float* sin, int n)
        {
            for (int i = 0, j = 0; i < n; i++)
            {
                if (i < j)
                {
                    var tr = re[i]; re[i] = re[j]; re[j] = tr;
                    var ti = im[i]; im[i] = im[j]; im[j] = ti;
                }
                var bit = n >> 1;
                while (bit >= 1 && (j & bit) != 0)
                {
                    j ^= bit;
                    bit >>= 1;
                }
                j |= bit;
            }
            for (var size = 2; size <= n; size <<= 1)
            {
                var half = size >> 1;
                var step = n / size;
                for (var start = 0; start < n; start += size)
                {
                    for (var k = 0; k < half; k++)
                    {
                        var wr = cos[k * step];
                        var wi = -sin[k * step];
                        var a = start + k;
                        var b = a + half;
                        var xr = re[b] * wr - im[b] * wi;
                        var xi = re[b] * wi + im[b] * wr;
                        re[b] = re[a] - xr;
                        im[b] = im[a] - xi;
                        re[a] += xr;
                        im[a] += xi;
                    }
                }
            }
        }
    }
}
