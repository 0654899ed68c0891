namespace Parley.Audio.Kernels
{
    /// <summary>
    /// The echo canceller's two-path logic, once a block after both filter copies ran: the convergence gauge, copying a
    /// clearly better background into the foreground, restoring a diverged background, and dropping a foreground that
    /// adds echo (the path moved).
    /// </summary>
    public static unsafe class EchoTwoPathKernel
    {
        /// <summary>
        /// Foreground/background decisions on smoothed error energies: copy the background when it is clearly better
        /// for several blocks; restore it from the foreground when it diverged (double talk).
        /// </summary>
        internal static void Decide(ref EchoState s, float* f, int* iw, float sff, float see, float dd, bool refActive, bool refLoud)
        {
            var a = s.SmoothRate;
            s.ErrFgSmooth += a * (sff - s.ErrFgSmooth);
            s.ErrBgSmooth += a * (see - s.ErrBgSmooth);
            s.MicSmooth += a * (dd - s.MicSmooth);
            if (!refActive) return;
            // The foreground's echo return loss enhancement, averaged over blocks where the far end is within 20 dB of
            // its recent peak (convergence gauge): quiet far-end passages leave an echo at the noise floor and would
            // read as a filter that lost the echo.
            if (refLoud)
            {
                var erle = 10f * (float)System.Math.Log10((s.MicSmooth + 1e-12f) / (s.ErrFgSmooth + 1e-12f));
                // Falls faster than it rises: losing the echo (a device change) must unlock the matcher quickly.
                s.FgErleDb += (erle < s.FgErleDb ? s.ErleFallRate : s.ErleRiseRate) * (erle - s.FgErleDb);
                if (s.FgErleDb > s.GaugePeakDb) s.GaugePeakDb = s.FgErleDb;
            }
            var count = s.Partitions * s.Bins;
            // Copy only after several blocks in a row of a clearly better background: in double talk a background that
            // learned some of the player's voice can win a block by chance, rarely three.
            if (s.ErrBgSmooth < 0.8f * s.ErrFgSmooth)
            {
                var windowCount = s.MissBlocks > 0 && (s.ReseedWindow == 0 || s.WindowCopyAfterReseed != 0);
                if (++s.CopyVotes >= (windowCount ? s.WindowCopyBlocks : s.CopyBlocks) || s.ErrBgSmooth < 0.4f * s.ErrFgSmooth)
                {
                    if (s.ErrBgSmooth < 0.4f * s.ErrFgSmooth)
                    {
                        if (s.Converged != 0) EchoKalmanKernel.Moved(ref s, 4);
                        // A background far better than the foreground learned a path that moved: the matcher may follow.
                        s.KalmanHold = 0;
                    }
                    EchoFilterKernel.Copy(f + s.BgRe, f + s.FgRe, count);
                    EchoFilterKernel.Copy(f + s.BgIm, f + s.FgIm, count);
                    s.ErrFgSmooth = s.ErrBgSmooth;
                    s.CopyVotes = 0;
                    s.ForegroundCopies++;
                }
            }
            else
            {
                s.CopyVotes = 0;
                if (s.ErrBgSmooth > 2f * s.ErrFgSmooth + 1e-12f)
                {
                    EchoFilterKernel.Copy(f + s.FgRe, f + s.BgRe, count);
                    EchoFilterKernel.Copy(f + s.FgIm, f + s.BgIm, count);
                    s.ErrBgSmooth = s.ErrFgSmooth;
                }
            }
            // A foreground that adds echo (a stale path after a delay jump) is dropped. A held one's count waits while its
            // direct path hears a pause (DropNeedsDirectPath).
            if (s.ErrFgSmooth > 1.5f * s.MicSmooth + 1e-12f)
            {
                var counts = s.DropNeedsDirectPath == 0 || s.Held == 0 || EchoDelayKernel.DirectPathPlayed(s, iw);
                if (counts && ++s.BadFg >= 8 * s.Sub)
                {
                    // A converged filter dropped: the path moved (a device change); the saved taps are tried on the new one.
                    if (s.Held != 0) EchoReseedKernel.Open(ref s);
                    // The path moved: the background's variances are unsure again, and the latch's release this drop
                    // brings (the gauge falls a few blocks later) holds no matcher move (KalmanHoldMove).
                    s.KalmanReady = 0;
                    s.KalmanHold = 0;
                    s.GaugePeakDb = 0f;
                    if (s.DisarmOnDrop != 0) s.DoubleTalkArmed = 0;
                    if (s.Held != 0)
                    {
                        s.KalmanDropped = 1;
                        EchoSuppressorKernel.PathMoved(ref s);
                    }
                    else if (s.LetGoLeft > 0) EchoSuppressorKernel.PathMoved(ref s);
                    EchoFilterKernel.Clear(f + s.FgRe, count);
                    EchoFilterKernel.Clear(f + s.FgIm, count);
                    s.ErrFgSmooth = s.MicSmooth;
                    s.BadFg = 0;
                }
            }
            else s.BadFg = 0;
        }
    }
}
