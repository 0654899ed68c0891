namespace Parley.Audio.Kernels
{
    /// <summary>
    /// How much of the microphone the canceller's echo estimate explains, per block, for <see cref="EchoKernel"/>: per
    /// bin of the speech band (300 Hz–3.4 kHz) the spectra of the estimate Ŷ = microphone − error and the microphone,
    /// smoothed over three blocks, and the microphone's power linear in Ŷ, |S_ŷd|² / S_ŷŷ (an echo stays coherent with
    /// its estimate even where the estimate is off in level; the player's voice does not). The suppressor raises its
    /// floor in blocks whose incoherent share says the player is talking (<see cref="EchoState.DoubleTalkShare"/>); the
    /// echo guard reads the same sums (<see cref="EchoCoherence"/>). <see cref="Reference"/> measures the error against the
    /// aligned reference instead, for the window after a path move.
    /// </summary>
    public static unsafe class EchoCoherenceKernel
    {
        const float Tiny = 1e-20f;

        /// <summary>The speech band's bins and the smoothing (three blocks, as the echo guard was tuned on).</summary>
        internal static void Init(ref EchoState s)
        {
            var binHz = s.SampleRate / (2.0 * s.Block);
            s.CohLo = System.Math.Max(1, (int)System.Math.Round(300 / binHz));
            s.CohHi = System.Math.Min(s.Block, (int)System.Math.Round(3400 / binHz));
            s.CohRate = 1f - (float)System.Math.Exp(-1.0 / 3);
        }

        /// <summary>
        /// After the suppressor's analysis frames (MicRe/ErrRe): the block's coherent and total power of the speech band,
        /// its incoherent share, and whether the double-talk floor is armed (the foreground's gauge reached
        /// <see cref="EchoState.DoubleTalkArmDb"/> and held it for
        /// <see cref="EchoState.DoubleTalkArmBlocks"/> since the filter last moved or was re-seeded).
        /// </summary>
        internal static void Block(ref EchoState s, float* f)
        {
            float* dr = f + s.MicRe, di = f + s.MicIm, er = f + s.ErrRe, ei = f + s.ErrIm;
            float* syy = f + s.CohYy, sdd = f + s.CohDd, sre = f + s.CohYdRe, sim = f + s.CohYdIm;
            var a = s.CohRate;
            double coherent = 0, mic = 0;
            for (var i = s.CohLo; i <= s.CohHi; i++)
            {
                float yr = dr[i] - er[i], yi = di[i] - ei[i];
                syy[i] += a * (yr * yr + yi * yi - syy[i]);
                sdd[i] += a * (dr[i] * dr[i] + di[i] * di[i] - sdd[i]);
                // Ŷ·conj(D)
                sre[i] += a * (yr * dr[i] + yi * di[i] - sre[i]);
                sim[i] += a * (yi * dr[i] - yr * di[i] - sim[i]);
                var c = (sre[i] * sre[i] + sim[i] * sim[i]) / (syy[i] + Tiny);
                coherent += c < sdd[i] ? c : sdd[i];
                mic += sdd[i];
            }
            s.CoherentPower = coherent;
            s.CoherenceMicPower = mic;
            s.IncoherentShare = mic > 0 ? (float)(1 - coherent / mic) : 0f;
            // A filter that moved (a new path) has to show it holds the echo again: until then its estimate explains
            // little of an echo it has not learnt, which is no sign of the player.
            if (s.DoubleTalkMoves != s.FilterMoves)
            {
                s.DoubleTalkMoves = s.FilterMoves;
                s.DoubleTalkArmed = s.DoubleTalkArmRun = 0;
            }
            s.DoubleTalkArmRun = s.FgErleDb >= s.DoubleTalkArmDb ? s.DoubleTalkArmRun + 1 : 0;
            if (s.DoubleTalkArmRun > 0 && s.DoubleTalkArmRun >= s.DoubleTalkArmBlocks) s.DoubleTalkArmed = 1;
        }

        /// <summary>
        /// After the suppressor's analysis frames: per bin, the error's power linear in the aligned reference at the direct
        /// path's partition (<see cref="EchoState.RefCohMiss"/>). It needs no filter: right after a path move, when the
        /// filter has not learnt the new room, the echo stays coherent with the reference and the player's voice does not.
        /// The chance coherence of an exponential smoothing at rate a is a / (2 − a) of the powers' product; RefCoherentBias
        /// times it is taken off, so a player alone adds next to nothing.
        /// </summary>
        internal static void Reference(ref EchoState s, float* f)
        {
            float* er = f + s.ErrRe, ei = f + s.ErrIm;
            float* xx = f + s.RefCohXx, sre = f + s.RefCohXeRe, sim = f + s.RefCohXeIm, ee = f + s.RefCohEe, miss = f + s.RefCohMiss;
            EchoFilterKernel.ReferenceSpectrum(s, f, s.RefHead - s.Delay - s.Margin, out var xr, out var xi);
            var a = s.RefCoherentRate;
            var chance = s.RefCoherentBias * a / (2f - a);
            for (var i = 0; i < s.Bins; i++)
            {
                float x0 = xr != null ? xr[i] : 0f, x1 = xi != null ? xi[i] : 0f;
                xx[i] += a * (x0 * x0 + x1 * x1 - xx[i]);
                ee[i] += a * (er[i] * er[i] + ei[i] * ei[i] - ee[i]);
                // X·conj(E)
                sre[i] += a * (x0 * er[i] + x1 * ei[i] - sre[i]);
                sim[i] += a * (x1 * er[i] - x0 * ei[i] - sim[i]);
                var c = sre[i] * sre[i] + sim[i] * sim[i] - chance * xx[i] * ee[i];
                miss[i] = c > 0f ? c / (xx[i] + Tiny) : 0f;
            }
        }
    }
}
