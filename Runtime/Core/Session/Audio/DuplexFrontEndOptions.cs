using System;
using Parley.Audio;
using Parley.Audio.Vad;

namespace Parley.Session.Audio
{
    public sealed class DuplexFrontEndOptions
    {
        public DuplexMode Mode = DuplexMode.FullDuplex;
        /// <summary>Run Parley's echo canceller on the played signal (off: the platform's, or none).</summary>
        public bool EchoCancellation = true;
        /// <summary>What to report when <see cref="EchoCancellation"/> is off (the platform's capture may cancel).</summary>
        public ActiveEchoCanceller WhenOff = ActiveEchoCanceller.None;
        public double FilterMs = 200;
        /// <summary>
        /// Let the canceller learn the microphone's clock drift against the output from the two streams
        /// (<see cref="EchoCanceller.EstimateClockDrift"/>). The Unity echo feed turns it off on its front end
        /// (<see cref="DuplexFrontEnd.EstimateClockDrift"/>): it measures the drift on the DSP clock and re-places the
        /// reference, which the estimate would read as drift.
        /// </summary>
        public bool EstimateClockDrift = true;
        /// <summary>
        /// Let the canceller trim the drift left over from how its converged filter turns
        /// (<see cref="EchoCanceller.TrimClockDrift"/>): what the estimate, or the Unity echo feed's measurement, leaves.
        /// </summary>
        public bool TrimClockDrift = true;
        /// <summary>
        /// Let the provider hear the canceller's stronger suppression while the echo guard and the VAD judge the guard view
        /// (<see cref="EchoCanceller.StrongerOutputSuppression"/>). Off: the provider hears the view.
        /// The residual gate already takes what the provider hears of the echo alone to <see cref="ResidualGateDb"/>; the
        /// stronger suppression is what it hears while the gate is open (the player talking over the agent) or off.
        /// </summary>
        public bool StrongerOutputSuppression = true;

        /// <summary>The canceller's background learns from the microphone already heard when it first finds the echo (<see cref="EchoCanceller.ColdStartReplay"/>; 24 and 48 kHz).</summary>
        public bool ColdStartReplay = true;
        /// <summary>
        /// Where the canceller's echo path is kept between conversations (null: every conversation starts cold): recalled
        /// for <see cref="EchoRoomKey"/> at <see cref="DuplexFrontEnd.Configure"/>, remembered when the front end is
        /// disposed. The Unity VoiceAgent uses its MicrophoneCapture's, keyed by the device name.
        /// </summary>
        public EchoRoomMemory EchoRooms;
        /// <summary>The microphone the rooms in <see cref="EchoRooms"/> are kept for ("": the default device).</summary>
        public string EchoRoomKey = string.Empty;
        public VadSettings Vad = VadSettings.Default;
        /// <summary>
        /// While the agent's voice can be heard, a local speech onset counts only when the cleaned microphone is this
        /// many dB above the loudest echo residual of the last <see cref="EchoGuardHoldMs"/> (relative to the played
        /// signal): the guard against the agent interrupting itself.
        /// </summary>
        public double EchoGuardMarginDb = 10;
        public double EchoGuardHoldMs = 2000;
        /// <summary>Consecutive 10 ms frames the cleaned microphone must stay above that bar (a residual spike is shorter).</summary>
        public int EchoGuardFrames = 3;
        /// <summary>
        /// An onset also counts after <see cref="EchoGuardFrames"/> − 1 frames when each of them clears the residual
        /// predictor's bar (<see cref="EchoGuardTailMarginDb"/>) by this many dB more, every other rule holding: a clear
        /// onset is heard a frame sooner; a residual that barely crosses still needs the full run. 0 turns it off; it needs
        /// the predictor (<see cref="EchoGuardTailMs"/> &gt; 0). Measured in BENCHMARKS.md, "A clear onset counts a frame sooner".
        /// </summary>
        public double EchoGuardFastMarginDb = 5;
        /// <summary>
        /// Gain on the cleaned microphone while the agent can be heard and nothing rises above the echo guard's bar, dB
        /// (the canceller's non-linear stage: what the provider's own VAD hears of the residual). 0 turns it off.
        /// </summary>
        public double ResidualGateDb = -60;
        /// <summary>After the agent resumes from a pause the canceller leaks for a moment: the bar is this much higher for <see cref="EchoGuardResumeMs"/>.</summary>
        public double EchoGuardResumeDb = 10;
        public double EchoGuardResumeMs = 640;
        /// <summary>
        /// How far the played voice must fall under its level over the echo window (its loudest 10 ms) to count as a
        /// pause, dB: its return to within 20 dB of that level is a resume (<see cref="EchoGuardResumeDb"/>). At least 20.
        /// Default 30 (40 before stop 47): a word that began after a dip of 27–30 dB got no resume bar, and in rooms of a
        /// 300 ms delay its echo leaked past the canceller as the voice paused again (issue 13: four self-interruptions in
        /// three fresh room draws of 512 echo-only replies each; BENCHMARKS.md, "Inside Unity", stop 47).
        /// </summary>
        public double EchoGuardPauseDb = 30;
        /// <summary>
        /// While the VAD hears speech that has not opened the guard, a frame raises the learned residual by at most this much
        /// (the player's rising voice must not lift the bar away); a frame whose energy had just risen, by this much over
        /// what was learned when it was heard (an onset's earlier frames must not lift the bar for its later ones).
        /// </summary>
        public double EchoGuardLearnCapDb = 3;
        /// <summary>
        /// The learned residual is this percentile of the residual-to-played ratios of the last
        /// <see cref="EchoGuardHoldMs"/> (100: the loudest). A residual spike shorter than the hold's tenth does not
        /// raise the bar; the <see cref="EchoGuardFrames"/> run and <see cref="EchoGuardUnexplainedDb"/> keep spikes shut.
        /// </summary>
        public double EchoGuardPercentile = 100;
        /// <summary>
        /// The guard opens only on frames the canceller cannot explain: the cleaned microphone no more than this many dB
        /// under the microphone it was cleaned from, the same samples (a converged canceller takes its own echo down
        /// far more; near-end speech it leaves). Judged on the audio clock, sample for sample. Only with the canceller on.
        /// −12, not −10: a player as loud as a −6 dB echo came out 7–13 dB under the microphone in a warm reply's double
        /// talk, and the run broke on the frames past −10 (BENCHMARKS.md, "Warm starts").
        /// </summary>
        public double EchoGuardUnexplainedDb = -12;
        /// <summary>
        /// Speech onsets are judged against the echo residual predicted from the played signal's energy of the last this
        /// many ms (10 ms frames, weights learned online by normalised LMS from the residual: the room's tail beyond the
        /// canceller's 200 ms filter included) instead of the loudest residual. 0: off. Default 1280 (best measured), together
        /// with the per-band predictor (<see cref="EchoGuardBands"/>): alone it interrupted itself in 2 of 64 rooms with other
        /// seeds; with the bands, 0 of 64 + 64 (BENCHMARKS.md, "Barge-in on the cancelled microphone").
        /// </summary>
        public double EchoGuardTailMs = 1280;
        /// <summary>
        /// With the predictor on, a speech onset counts when the cleaned microphone is this many dB above the loudest of
        /// its learned ratios to the prediction (the residual gate still opens on <see cref="EchoGuardMarginDb"/>, and on
        /// an onset that counted).
        /// </summary>
        public double EchoGuardTailMarginDb = 10;
        /// <summary>Step of the residual predictor's normalised LMS (per 10 ms frame).</summary>
        public double EchoGuardTailStep = 0.05;
        /// <summary>
        /// The residual is predicted per frequency band (this many, split from 300 Hz to 3 kHz) from the played energy
        /// of that band over <see cref="EchoGuardTailMs"/> (1280 when that is 0), and a speech onset counts when
        /// <see cref="EchoGuardBandsNeeded"/> bands are <see cref="EchoGuardBandMarginDb"/> above the loudest of their
        /// learned ratios to their prediction: a loud low band of echo no longer masks the player's voice where the echo
        /// is quiet. 0: off (broadband rules). Default, the best measured: 4 bands, 2 needed, 10 dB, with
        /// <see cref="EchoGuardBandsWithTail"/> and <see cref="EchoGuardTailMs"/> 1280: 9 of 9 and 7 of 9 players heard on
        /// two draws of rooms against 4 and 4 for the loudest-residual guard, 0 self-interruptions in 64 + 64 (BENCHMARKS.md).
        /// </summary>
        public int EchoGuardBands = 4;
        public int EchoGuardBandsNeeded = 2;
        public double EchoGuardBandMarginDb = 10;
        /// <summary>With bands on, an onset also needs the broadband predictor's rule (<see cref="EchoGuardTailMarginDb"/>): both must agree.</summary>
        public bool EchoGuardBandsWithTail = true;
        /// <summary>
        /// On a frame the canceller cannot explain (the cleaned microphone within <see cref="EchoGuardReliefUnexplainedDb"/>
        /// of the microphone it was cleaned from: a converged canceller takes its echo down by 20–40 dB, the player's voice
        /// it leaves) whose cleaned energy rose <see cref="EchoGuardReliefRiseDb"/> over the quietest of the last
        /// <see cref="EchoGuardReliefRiseMs"/> (the player adds energy; a residual left as the echo fades does not), the
        /// predictors' onset margins (<see cref="EchoGuardTailMarginDb"/>, <see cref="EchoGuardBandMarginDb"/>) are this much
        /// lower. 0: off. Default 7 dB, the best measured: 9, 9 and 8 of 9 players heard on three draws of rooms (25 of 27
        /// within 120 ms against 20 of 27), 0 self-interruptions in 3 × 64; at 8 dB and more one room interrupted itself
        /// (BENCHMARKS.md, "Barge-in on the cancelled microphone").
        /// </summary>
        public double EchoGuardReliefDb = 7;
        public double EchoGuardReliefUnexplainedDb = -3;
        public double EchoGuardReliefRiseDb = 10;
        public double EchoGuardReliefRiseMs = 100;
        /// <summary>
        /// The relief also needs the microphone before cancelling this many dB over its quietest of the last
        /// <see cref="EchoGuardReliefRawRiseMs"/>: the player adds power to it; a canceller whose estimate overshoots as the
        /// echo fades (its output rising while the microphone falls) does not. 0: off. Default 1 dB: in `parley scene --echo`
        /// at −30 dB the relief let such a frame through in 3 of 10 runs once the reference stopped sliding (BENCHMARKS.md).
        /// </summary>
        public double EchoGuardReliefRawRiseDb = 1;
        /// <summary>
        /// The window of <see cref="EchoGuardReliefRawRiseDb"/> (and of the fast verdict's raw rise). Default 200 ms (100 ms,
        /// the cleaned rise's window, until stop 46): a player who starts as the agent's word resumes rises over the pause
        /// before the word, not over the word's own first frames; with 100 ms, by the time the canceller's spectra called the
        /// frames not its echo the pause had left the window (0 dB echo: the player's first word was not heard).
        /// </summary>
        public double EchoGuardReliefRawRiseMs = 200;
        /// <summary>
        /// The stronger relief (<see cref="EchoGuardStrongReliefDb"/>) once earned carries over this many frames after it
        /// that are still under <see cref="EchoGuardCoherenceBelow"/> and whose cleaned energy still rose
        /// (<see cref="EchoGuardReliefRiseDb"/>), while the canceller's gauge stays over <see cref="EchoGuardReliefErleDb"/>:
        /// the player's word stays incoherent with the echo estimate, but does not pass every entry rule frame after frame
        /// (under a 0 dB echo its cleaned share fell 0.1 dB under <see cref="EchoGuardReliefUnexplainedDb"/> for one frame,
        /// and the onset's run of frames broke). The 7 dB relief is not held: held, it carried one room's echo leak into a
        /// self-interruption (the barge-in sweep, 1 of 1,536). 0: off. Default 2 (BENCHMARKS.md, "Inside Unity", stop 46).
        /// </summary>
        public int EchoGuardReliefHoldFrames = 2;
        /// <summary>
        /// On a relief frame (above) that the canceller's own spectra also say is not its echo (<see cref="EchoCoherence"/>:
        /// the microphone's power incoherent with the canceller's echo estimate rose <see cref="EchoGuardIncoherentRiseDb"/>
        /// over its quietest of the last <see cref="EchoGuardReliefRiseMs"/>, and its share coherent with the estimate is
        /// under <see cref="EchoGuardCoherenceBelow"/>), the relief is this many dB instead of <see cref="EchoGuardReliefDb"/>:
        /// the player adds power the estimate cannot explain; an echo fading past the filter's reach loses its coherence,
        /// not its power. 0: off. Default 16 dB, the best measured: 27 of 27 players heard within 120 ms on three draws of
        /// rooms (was 25 of 27), 0 self-interruptions in 3 × 64; with a 10 dB rise one room interrupted itself
        /// (BENCHMARKS.md, "Barge-in on the cancelled microphone", rows "(coherence)").
        /// </summary>
        public double EchoGuardStrongReliefDb = 16;
        public double EchoGuardIncoherentRiseDb = 12;
        /// <summary>
        /// 0 leaves the coherent share out of the rule (the rise alone). Default 0.4 (0.3 until stop 45), with
        /// <see cref="EchoGuardReliefCoherenceBelow"/> 0.45: the first frames of a player's onset under a 0 dB echo read
        /// 0.4–0.65 (the canceller's spectra are smoothed over three blocks) and took no relief.
        /// </summary>
        public double EchoGuardCoherenceBelow = 0.4;
        /// <summary>
        /// No relief (neither <see cref="EchoGuardReliefDb"/> nor the stronger one) on a frame whose power is at least this
        /// share coherent with the canceller's echo estimate (<see cref="EchoCoherence"/>): the canceller's output rose to the
        /// microphone's level, but its own spectra say the frame is its echo (with the coherence on: an unconverged filter in a long, quiet room
        /// let the echo through for 60 ms where the played voice dipped; whether the 7 dB relief then opened hung on a dB,
        /// i.e. on the canceller's block phase: issue 13). 0: off. Default 0.45 (0.4 until stop 45; BENCHMARKS.md, "Barge-in",
        /// block phases, and "Inside Unity", stop 45; at 0.5 the control scene of this rule leaks).
        /// </summary>
        public double EchoGuardReliefCoherenceBelow = 0.45;
        /// <summary>
        /// No relief (neither strength) while the canceller's own gauge of the echo it removes (its foreground filter's ERLE
        /// over the played voice, <c>EchoState.FgErleDb</c>; it marks itself converged above 6 dB) is under this many dB: the
        /// relief's evidence, a cleaned microphone about as loud as the microphone, means "not echo" only from a canceller
        /// that takes its echo down. After a re-alignment of its delay it removed none (ERLE 1.4–2.2 dB), its output was the
        /// echo, incoherent with a wrong estimate, and the 16 dB relief let it through (issue 13: two rooms of 1536). 0: off.
        /// Default 3 (BENCHMARKS.md, "Barge-in", block phases).
        /// </summary>
        public double EchoGuardReliefErleDb = 3;
        /// <summary>
        /// A frame at least this share coherent with the canceller's echo estimate does not count toward a speech onset:
        /// what the canceller left is its own echo, misadjusted (a converged canceller leaked 20 dB for 50 ms, 78–92 %
        /// coherent, just as the resume bar ended: issue 13, one room of 1536). 0: off. Default 0.8 (BENCHMARKS.md, "Barge-in",
        /// block phases).
        /// </summary>
        public double EchoGuardOnsetCoherenceBelow = 0.8;
        /// <summary>
        /// The residual gate also opens on <see cref="EchoGuardFrames"/> consecutive frames that the predictors count as an
        /// onset under the stronger relief (<see cref="EchoGuardStrongReliefDb"/>: the canceller's spectra say the power is
        /// not its echo), then stays open while the guard's VAD hears that speech, as for an onset that counted: without a
        /// local VAD (the provider's decides) the provider hears the player's barge-in, which the broadband rule alone held
        /// back under a −20 dB echo. Echo alone does not open it: its power stays coherent with the canceller's estimate.
        /// </summary>
        public bool ResidualGateOnStrongOnset = true;

        /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first echo-guard option out of its range.</summary>
        internal void ValidateEchoGuard()
        {
            if (!(EchoGuardMarginDb >= 0 && EchoGuardMarginDb < 60)) throw new ArgumentOutOfRangeException(nameof(EchoGuardMarginDb), EchoGuardMarginDb, "EchoGuardMarginDb must be in [0, 60).");
            if (!(EchoGuardHoldMs >= EchoGuard.GuardFrameMs && EchoGuardHoldMs <= 60000)) throw new ArgumentOutOfRangeException(nameof(EchoGuardHoldMs), EchoGuardHoldMs, "EchoGuardHoldMs must be in [10, 60000].");
            if (!(EchoGuardPercentile > 0 && EchoGuardPercentile <= 100)) throw new ArgumentOutOfRangeException(nameof(EchoGuardPercentile), EchoGuardPercentile, "EchoGuardPercentile must be in (0, 100].");
            if (!(EchoGuardTailMs >= 0 && EchoGuardTailMs <= 2400)) throw new ArgumentOutOfRangeException(nameof(EchoGuardTailMs), EchoGuardTailMs, "EchoGuardTailMs must be in [0, 2400].");
            if (!(EchoGuardFastMarginDb >= 0 && EchoGuardFastMarginDb < 60)) throw new ArgumentOutOfRangeException(nameof(EchoGuardFastMarginDb), EchoGuardFastMarginDb, "EchoGuardFastMarginDb must be in [0, 60).");
            if (!(EchoGuardTailMarginDb >= 0 && EchoGuardTailMarginDb < 60)) throw new ArgumentOutOfRangeException(nameof(EchoGuardTailMarginDb), EchoGuardTailMarginDb, "EchoGuardTailMarginDb must be in [0, 60).");
            if (!(EchoGuardBands >= 0 && EchoGuardBands <= 8 && EchoGuardBands != 1)) throw new ArgumentOutOfRangeException(nameof(EchoGuardBands), EchoGuardBands, "EchoGuardBands must be 0 or in [2, 8].");
            if (EchoGuardBands > 0 && !(EchoGuardBandsNeeded >= 1 && EchoGuardBandsNeeded <= EchoGuardBands)) throw new ArgumentOutOfRangeException(nameof(EchoGuardBandsNeeded), EchoGuardBandsNeeded, "EchoGuardBandsNeeded must be in [1, EchoGuardBands].");
            if (!(EchoGuardBandMarginDb >= 0 && EchoGuardBandMarginDb < 60)) throw new ArgumentOutOfRangeException(nameof(EchoGuardBandMarginDb), EchoGuardBandMarginDb, "EchoGuardBandMarginDb must be in [0, 60).");
            if (!(EchoGuardStrongReliefDb >= 0 && EchoGuardStrongReliefDb < 60)) throw new ArgumentOutOfRangeException(nameof(EchoGuardStrongReliefDb), EchoGuardStrongReliefDb, "EchoGuardStrongReliefDb must be in [0, 60).");
            if (!(EchoGuardTailStep > 0 && EchoGuardTailStep <= 1)) throw new ArgumentOutOfRangeException(nameof(EchoGuardTailStep), EchoGuardTailStep, "EchoGuardTailStep must be in (0, 1].");
            if (!(EchoGuardReliefCoherenceBelow >= 0 && EchoGuardReliefCoherenceBelow <= 1)) throw new ArgumentOutOfRangeException(nameof(EchoGuardReliefCoherenceBelow), EchoGuardReliefCoherenceBelow, "EchoGuardReliefCoherenceBelow must be in [0, 1].");
            if (!(EchoGuardReliefRawRiseMs >= EchoGuard.GuardFrameMs && EchoGuardReliefRawRiseMs <= 1000)) throw new ArgumentOutOfRangeException(nameof(EchoGuardReliefRawRiseMs), EchoGuardReliefRawRiseMs, "EchoGuardReliefRawRiseMs must be in [10, 1000].");
            if (!(EchoGuardReliefHoldFrames >= 0 && EchoGuardReliefHoldFrames <= 10)) throw new ArgumentOutOfRangeException(nameof(EchoGuardReliefHoldFrames), EchoGuardReliefHoldFrames, "EchoGuardReliefHoldFrames must be in [0, 10].");
            if (!(EchoGuardPauseDb >= 20 && EchoGuardPauseDb < 60)) throw new ArgumentOutOfRangeException(nameof(EchoGuardPauseDb), EchoGuardPauseDb, "EchoGuardPauseDb must be in [20, 60).");
            if (!(EchoGuardReliefErleDb >= 0 && EchoGuardReliefErleDb < 60)) throw new ArgumentOutOfRangeException(nameof(EchoGuardReliefErleDb), EchoGuardReliefErleDb, "EchoGuardReliefErleDb must be in [0, 60).");
            if (!(EchoGuardOnsetCoherenceBelow >= 0 && EchoGuardOnsetCoherenceBelow <= 1)) throw new ArgumentOutOfRangeException(nameof(EchoGuardOnsetCoherenceBelow), EchoGuardOnsetCoherenceBelow, "EchoGuardOnsetCoherenceBelow must be in [0, 1].");
            if (!(EchoGuardUnexplainedDb <= 0 && EchoGuardUnexplainedDb > -60)) throw new ArgumentOutOfRangeException(nameof(EchoGuardUnexplainedDb), EchoGuardUnexplainedDb, "EchoGuardUnexplainedDb must be in (−60, 0].");
        }
    }
}
