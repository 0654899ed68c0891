namespace Parley.Audio.Kernels
{
    /// <summary>The residual echo suppressor and comfort noise of <see cref="EchoKernel"/> (one block, in the frequency domain).</summary>
    public static unsafe class EchoSuppressorKernel
    {
        /// <summary>
        /// Per-bin gain on the foreground error. Residual echo = leak × held echo estimate (the estimate's power with a
        /// decaying hold for the reverberation the filter leaves). The leak is the regression slope of the error power
        /// on the echo-estimate power across bins, averaged over time (speexdsp's estimator): near-end speech is
        /// uncorrelated with the echo estimate, so double talk does not inflate it, and its update slows when the
        /// error is large against the echo. Gains in Gain (<see cref="EchoGainFilterKernel"/> applies them); comfort
        /// noise at the tracked floor, for the removed power, in SpecRe/SpecIm.
        /// </summary>
        internal static void Suppress(ref EchoState s, float* f, bool refActive)
        {
            var k = s.Bins;
            float* dr = f + s.MicRe, di = f + s.MicIm, er = f + s.ErrRe, ei = f + s.ErrIm;
            float* or = f + s.SpecRe, oi = f + s.SpecIm;
            float* hold = f + s.EchoHold, errAvg = f + s.ErrAvg, echoAvg = f + s.EchoAvg, noise = f + s.Noise, gain = f + s.Gain;
            var first = s.Blocks == 0;
            var tiny = 1e-10f * s.FftSize;
            float pey = 0f, pyy = 0f, see = 0f, syy = 0f;
            for (var i = 0; i < k; i++)
            {
                var yr = dr[i] - er[i];
                var yi = di[i] - ei[i];
                var yy = yr * yr + yi * yi;
                var ee = er[i] * er[i] + ei[i] * ei[i];
                var h = hold[i] * s.EchoDecay;
                hold[i] = yy > h ? yy : h;
                var eh = ee - errAvg[i];
                var yh = yy - echoAvg[i];
                pey += eh * yh;
                pyy += yh * yh;
                errAvg[i] += s.AvgRate * (ee - errAvg[i]);
                echoAvg[i] += s.AvgRate * (yy - echoAvg[i]);
                see += ee;
                syy += yy;
                // Noise floor: follows minima quickly, rises ≈ 2 dB/s.
                if (first || ee < noise[i]) noise[i] = first ? ee : noise[i] + s.NoiseFallRate * (ee - noise[i]);
                else noise[i] *= s.NoiseRise;
                gain[i] = ee;
            }
            if (refActive && pyy > 0f)
            {
                pyy = (float)System.Math.Sqrt(pyy);
                pey /= pyy;
                var rate = s.LeakRate * syy / (see + tiny);
                if (rate > s.LeakRateMax) rate = s.LeakRateMax;
                // While the filter holds the echo, a rising leak is more likely the player's voice than a worse echo:
                // let it rise at a quarter of the rate.
                if (s.Converged != 0 && pey / pyy > s.LeakPey / s.LeakPyy) rate *= 0.25f;
                s.LeakPey += rate * (pey - s.LeakPey);
                s.LeakPyy += rate * (pyy - s.LeakPyy);
                if (s.LeakPyy < 1e-20f) s.LeakPyy = 1e-20f;
                if (s.LeakPey < 0.005f * s.LeakPyy) s.LeakPey = 0.005f * s.LeakPyy;
                if (s.LeakPey > s.LeakPyy) s.LeakPey = s.LeakPyy;
            }
            var leak = s.LeakPey / s.LeakPyy;
            // The player talking (EchoCoherenceKernel): suppress the echo estimate's bins less, as speexdsp does in double talk.
            var floor = s.MinGain;
            if (s.DoubleTalkShare > 0f && s.DoubleTalkArmed != 0 && s.IncoherentShare > s.DoubleTalkShare && s.DoubleTalkGain > floor)
            {
                floor = s.DoubleTalkGain;
                s.DoubleTalkBlocks++;
            }
            for (var i = 0; i < k; i++)
            {
                var ee = gain[i];
                var residual = s.OverSubtraction * leak * hold[i];
                var g = 1f - residual / (ee + tiny);
                if (g < floor) g = floor;
                gain[i] = g;
                // Comfort noise: random phase, the floor's power times what the gain removed.
                var cn = (float)System.Math.Sqrt(noise[i] * 1.5f * s.ComfortNoise * (1f - g * g));
                or[i] = cn * Uniform(ref s.Random);
                oi[i] = cn * Uniform(ref s.Random);
            }
        }

        /// <summary>Uniform in [−1, 1) from an xorshift32 state.</summary>
        static float Uniform(ref uint state)
        {
            var v = state;
            v ^= v << 13;
            v ^= v >> 17;
            v ^= v << 5;
            state = v;
            return (v >> 8) * (2f / 16777216f) - 1f;
        }
    }
}
