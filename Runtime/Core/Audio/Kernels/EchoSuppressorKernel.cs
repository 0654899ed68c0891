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
        /// error is large against the echo. Never under the gauge's residual (<see cref="GaugeLeak"/>) where its weight
        /// is set. Gains in Gain (<see cref="EchoGainFilterKernel"/> applies them); comfort noise at the tracked floor,
        /// for the removed power, in SpecRe/SpecIm. With <c>SendOverSubtraction</c> set, the send suppression's too, from
        /// the same leak (SendGain, SendSpecRe/SendSpecIm; the same noise phases).
        /// </summary>
        internal static void Suppress(ref EchoState s, float* f, bool refActive)
        {
            var k = s.Bins;
            float* dr = f + s.MicRe, di = f + s.MicIm, er = f + s.ErrRe, ei = f + s.ErrIm;
            float* or = f + s.SpecRe, oi = f + s.SpecIm;
            float* hold = f + s.EchoHold, errAvg = f + s.ErrAvg, echoAvg = f + s.EchoAvg, noise = f + s.Noise, gain = f + s.Gain;
            float* sendHold = f + s.SendHold, sendGain = f + s.SendGain, sr = f + s.SendSpecRe, si = f + s.SendSpecIm;
            var send = s.SendOverSubtraction > 0f;
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
                if (send)
                {
                    h = sendHold[i] * s.SendEchoDecay;
                    sendHold[i] = yy > h ? yy : h;
                }
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
            float sendFloor = s.MinGain, sendOver = s.SendOverSubtraction;
            var incoherent = s.CoherenceMicPower - s.CoherentPower;
            var sendTalk = send && s.SendDoubleTalkShare > 0f && s.DoubleTalkArmed != 0 && s.IncoherentShare > s.SendDoubleTalkShare;
            // In the window after a path move the new room's unlearnt echo is no player: not where the relearning
            // background already removes what the foreground leaves (a player raises both errors alike; one compare,
            // before the band sum), nor where the expected miss explains the incoherent power.
            if (sendTalk && s.MissBlocks > 0)
                sendTalk = !(s.WindowBgBar > 0f && s.BlockErrBg < s.WindowBgBar * s.BlockErrFg)
                    && !(s.SendDoubleTalkMiss > 0f && incoherent < s.SendDoubleTalkMiss * MissBand(s, f));
            s.SendDoubleTalkHeld = sendTalk ? 1 : 0;
            if (sendTalk)
            {
                s.SendDoubleTalkBlocks++;
                if (s.SendDoubleTalkGain > sendFloor) sendFloor = s.SendDoubleTalkGain;
                sendOver = s.SendDoubleTalkOverSubtraction;
            }
            var gaugeLeak = GaugeLeak(s);
            float mainGauge = Capped(s.GaugeLeakWeight * gaugeLeak), sendGauge = Capped(s.SendGaugeLeakWeight * gaugeLeak);
            float* miss = f + s.KalMiss;
            float* refMiss = f + s.RefCohMiss;
            float mainMiss = 0f, sendMiss = 0f, mainRef = 0f, sendRef = 0f;
            if (s.MissBlocks > 0)
            {
                sendRef = s.RefCoherentWeight;
                if (!send) mainRef = sendRef;
                s.MissBlocks--;
                mainMiss = s.MissWeight;
                sendMiss = s.SendMissWeight;
                // The echo alone (its estimate explains the microphone): no player to keep, and P under-reads a new room's miss.
                if (s.IncoherentShare < s.MissEchoShare
                    || (s.MissEchoReference > 0f && incoherent < s.MissEchoReference * Band(s, f + s.RefCohMiss)))
                {
                    mainMiss *= s.MissEchoScale;
                    sendMiss *= s.MissEchoScale;
                }
            }
            for (var i = 0; i < k; i++)
            {
                var ee = gain[i];
                var yr = dr[i] - er[i];
                var yi = di[i] - ei[i];
                var yy = yr * yr + yi * yi;
                var g = Gain(s.OverSubtraction * Residual(leak * hold[i], mainGauge * yy) + mainMiss * miss[i] + mainRef * refMiss[i], ee + tiny, floor);
                gain[i] = g;
                // Comfort noise: random phase, the floor's power times what the gain removed.
                var level = noise[i] * 1.5f * s.ComfortNoise;
                var cn = (float)System.Math.Sqrt(level * (1f - g * g));
                var ur = Uniform(ref s.Random);
                var ui = Uniform(ref s.Random);
                or[i] = cn * ur;
                oi[i] = cn * ui;
                if (!send) continue;
                g = Gain(sendOver * Residual(leak * sendHold[i], sendGauge * yy) + sendMiss * miss[i] + sendRef * refMiss[i], ee + tiny, sendFloor);
                sendGain[i] = g;
                cn = (float)System.Math.Sqrt(level * (1f - g * g));
                sr[i] = cn * ur;
                si[i] = cn * ui;
            }
        }

        /// <summary>The expected miss summed over the coherence bins (the speech band).</summary>
        internal static double MissBand(in EchoState s, float* f) => Band(s, f + s.KalMiss);

        /// <summary>Σ of a per-bin power over the speech band the coherence is measured in (CohLo to CohHi).</summary>
        internal static double Band(in EchoState s, float* power)
        {
            double band = 0;
            for (var i = s.CohLo; i <= s.CohHi; i++) band += power[i];
            return band;
        }

        /// <summary>
        /// The echo path moved (a converged foreground dropped, or one dropped just after the latch let go; a re-seed
        /// installed; the alignment moved off a held path): the output's suppression takes the expected miss for
        /// MissSeconds.
        /// </summary>
        internal static void PathMoved(ref EchoState s)
        {
            s.MissBlocks = (int)(s.MissSeconds * s.SampleRate / s.Block);
            s.ReseedWindow = 0;
        }

        /// <summary>
        /// r / (1 − r) at the gauge's best, r = 10^(−dB/10): the residual-to-estimate power ratio of a filter
        /// that leaves r of the echo. The speexdsp leak above is a regression of the error on the estimate, and misses
        /// what a filter still learning (a cold start, another room) or unable to model (reverberation beyond its length)
        /// leaves in directions its estimate does not take; the gauge measures that residual in single talk, and its
        /// best since the path was found does not fall in double talk.
        /// </summary>
        static float GaugeLeak(in EchoState s)
        {
            if (s.GaugeLeakWeight <= 0f && s.SendGaugeLeakWeight <= 0f) return 0f;
            var r = (float)System.Math.Pow(10.0, -0.1 * (s.GaugePeakDb > 0f ? s.GaugePeakDb : 0f));
            return r / (1f - r + 1e-3f);
        }

        /// <summary>A leak is at most 1 (the whole estimate), weighted or not.</summary>
        static float Capped(float leak) => leak < 1f ? leak : 1f;

        /// <summary>
        /// The residual echo estimate: the larger of the held estimate's and the gauge's. The gauge's takes this block's
        /// echo estimate only: held, it also took the player's syllables between the echo's.
        /// </summary>
        static float Residual(float held, float gauge) => held > gauge ? held : gauge;

        static float Gain(float residual, float error, float floor)
        {
            var g = 1f - residual / error;
            return g < floor ? floor : g;
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
