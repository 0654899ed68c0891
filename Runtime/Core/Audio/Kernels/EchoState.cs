namespace Parley.Audio.Kernels
{
    /// <summary>
    /// Blittable state of one <see cref="EchoKernel"/> stream: geometry, offsets of every buffer in the caller's float
    /// and int memory, tuning, and the running values (adaptive-filter alignment, two-path energies, delay votes).
    /// </summary>
    public struct EchoState
    {
        // Geometry.
        public int SampleRate;
        /// <summary>Samples per block (hop); the FFT size is twice this.</summary>
        public int Block;
        public int FftSize;
        /// <summary>Bins per spectrum: Block + 1.</summary>
        public int Bins;
        /// <summary>Partitions of the adaptive filter (its length is Partitions·Block samples).</summary>
        public int Partitions;
        /// <summary>Largest echo delay searched, in blocks.</summary>
        public int MaxDelayBlocks;
        /// <summary>Reference spectra kept: MaxDelayBlocks + Partitions + 1, and ReplayBlocks more (<see cref="EchoReplayKernel"/>).</summary>
        public int RingBlocks;
        /// <summary>Microphone blocks kept for the cold start's replay (<see cref="EchoReplayKernel"/>; 0: none).</summary>
        public int ReplayBlocks;
        /// <summary>Partition the direct path is kept at (the filter's pre-delay margin).</summary>
        public int Margin;

        // Float memory offsets.
        public int Table, Work, Window, Time, RefRe, RefIm, RefPrev, FgRe, FgIm, BgRe, BgIm, Power;
        public int Mic, Ref, MicPrev, ErrPrev, ErrFg, ErrBg, SpecRe, SpecIm, MicRe, MicIm, ErrRe, ErrIm;
        public int Overlap, Noise, EchoHold, ErrAvg, EchoAvg, Gain, BandMeanRef, BandMeanMic, Score, Share;
        /// <summary>Re-seed after a delay jump (<see cref="EchoReseedKernel"/>): saved taps, candidate filter, its error.</summary>
        public int SeedTaps, BgTaps, CandRe, CandIm, ErrCand;
        /// <summary>Drift compensation (<see cref="EchoDriftKernel"/>): raw reference history and the interpolator's table.</summary>
        public int RawHistory, InterpTable, HistoryLength;
        /// <summary>
        /// The gain filter (<see cref="EchoGainFilterKernel"/>): scratch, new and previous filter, frame spectrum, last
        /// block, and two tables filled at Reset: the taps' Hann window (Block + 1) and the crossfade ramp (Block).
        /// </summary>
        public int FilterScratchRe, FilterScratchIm, FrameRe, FrameIm, GainPrev, Aux;
        public int GainTaper, GainFade;
        /// <summary>
        /// A gain filter's spectra, Bins each from its offset: the new filter (re, im) then the previous one (re, im).
        /// <see cref="Fir"/> filters the guard's view, <see cref="SendFir"/> the output the provider hears.
        /// </summary>
        public int Fir, SendFir;
        /// <summary>The send suppression's held echo power, gains, comfort noise spectrum and overlap (<see cref="SendOverSubtraction"/>).</summary>
        public int SendHold, SendGain, SendSpecRe, SendSpecIm, SendOverlap;
        /// <summary>
        /// Kalman update (<see cref="EchoKalmanKernel"/>): state-error variance per partition and bin, observation noise
        /// per bin, the step floor then the mean |W|² per bin (2 × Bins), the running Σ|W|² per bin, and per partition the
        /// summed size of the steps taken since it was last constrained (a bound on its circular wrap-around).
        /// </summary>
        public int KalP, KalPsi, KalLow, KalW2, KalWrap;
        /// <summary>½ Σ_p P|X|² per bin at the last Kalman update: the echo the background may still miss (<see cref="SendMissWeight"/>).</summary>
        public int KalMiss;
        /// <summary>The background filter as it was at the start of a drift-trim interval (<see cref="EchoTrimKernel"/>).</summary>
        public int TrimRe, TrimIm;
        /// <summary>The microphone blocks kept for a replay (ReplayBlocks × Block, a ring by block count).</summary>
        public int ReplayMic;
        public int FloatCount;
        // Int memory offsets.
        public int RefBits, BandEdges;
        /// <summary>Per kept microphone block, its reference block's index less its own (RefHead − Blocks), or int.MinValue when the reference was quiet.</summary>
        public int ReplayHeads;
        public int IntCount;

        // Tuning (set by Init, may be changed between blocks).
        /// <summary>Step size of the background filter (normalised, 0–1).</summary>
        public float Step;
        /// <summary>
        /// Delay of the suppressor's gain filter in samples (<see cref="EchoGainFilterKernel"/>; its length is twice
        /// this plus one, at most Block + 1): 3 ms, at most Block / 2. Set by Init; changing it needs a Reset.
        /// </summary>
        public int GainDelay;
        /// <summary>Over-subtraction of the residual echo estimate in the suppressor.</summary>
        public float OverSubtraction;
        /// <summary>Smallest suppressor gain (linear); comfort noise fills what it removes.</summary>
        public float MinGain;
        /// <summary>
        /// Double talk (<see cref="EchoCoherenceKernel"/>): in a block whose speech band is more than this share
        /// incoherent with the echo estimate (the player is talking), the suppressor's floor is
        /// <see cref="DoubleTalkGain"/> instead of <see cref="MinGain"/> (0 = off); armed once the foreground's gauge
        /// reached <see cref="DoubleTalkArmDb"/> since the filter last moved (an unlearnt filter explains little of any echo).
        /// </summary>
        public float DoubleTalkShare, DoubleTalkGain, DoubleTalkArmDb;
        /// <summary>1 while the double-talk floor is armed; <see cref="FilterMoves"/> when it was last checked.</summary>
        public int DoubleTalkArmed, DoubleTalkMoves;
        /// <summary>Blocks whose floor the double talk raised, since Reset: the guard view's, and the send suppression's.</summary>
        public long DoubleTalkBlocks, SendDoubleTalkBlocks;
        /// <summary>Blocks whose output was the microphone's, not the error's (the error carried more energy), since Reset.</summary>
        public long MicBlocks;
        /// <summary>The speech band's bins and smoothing rate (<see cref="EchoCoherenceKernel"/>); its spectra's offsets.</summary>
        public int CohLo, CohHi;
        public float CohRate;
        public int CohYy, CohDd, CohYdRe, CohYdIm;
        /// <summary>The last block's speech-band power coherent with the echo estimate, the microphone's, and the incoherent share.</summary>
        public double CoherentPower, CoherenceMicPower;
        public float IncoherentShare;
        /// <summary>1 where the last block took the send double-talk floor (diagnostics).</summary>
        public int SendDoubleTalkHeld;
        /// <summary>
        /// In the expected-miss window the send double-talk floor also holds off in a block whose speech band's
        /// incoherent power is under SendDoubleTalkMiss × the expected miss there (Σ of <see cref="KalMiss"/> over the
        /// coherence bins): what the filter may still miss explains it, so it is no sign of the player (0 = off).
        /// </summary>
        public float SendDoubleTalkMiss;
        /// <summary>
        /// In the expected-miss window the send double-talk floor also holds off in a block whose background error is under
        /// WindowBgBar × the foreground error (<see cref="BlockErrBg"/>, <see cref="BlockErrFg"/>; 0 = off): the relearning
        /// background already removes what the foreground leaves, so the foreground's error is the room it has not yet
        /// learnt, not the player, who raises both errors alike.
        /// </summary>
        public float WindowBgBar;
        /// <summary>
        /// 1: a foreground dropped (it added echo) disarms the double-talk floors too, as a filter move does: the filter
        /// learning the path again explains little of an echo it has not learnt, which is no sign of the player.
        /// </summary>
        public int DisarmOnDrop;
        /// <summary>
        /// 1: a held foreground's blocks count towards its drop (it adds echo) only while the reference at its direct path
        /// (<see cref="FgPeak"/> ± 1 partition) was playing. When the agent pauses, the last word's end still excites the
        /// filter's tail, whose misadjustment can outweigh a microphone at the noise floor; a stale path adds the echo its
        /// direct path predicts.
        /// </summary>
        public int DropNeedsDirectPath;
        /// <summary>
        /// The double-talk floors arm once the gauge has held <see cref="DoubleTalkArmDb"/> for this many blocks in a row
        /// (0: at its first block); DoubleTalkArmRun counts them. A gauge that touches 10 dB for a block while the filter
        /// learns a new room, then falls back to 1-5 dB, armed a floor that then read the unlearnt echo as the player. A
        /// re-seed disarms the floors and restarts the count: the gauge the saved taps start from is one block's fit.
        /// </summary>
        public int DoubleTalkArmBlocks, DoubleTalkArmRun;
        /// <summary>
        /// A foreground dropped for adding echo within this many blocks after the latch let go (the gauge under 2 dB) is a
        /// held path that moved, as a drop while held is: the output takes the expected miss (<see cref="MissBlocks"/>). A
        /// jump the gauge reads at once lets the latch go before the drop's 8 tuning blocks, and the window never opened.
        /// LetGoLeft counts down from the latch's release.
        /// </summary>
        public int DropAfterLetGoBlocks, LetGoLeft;
        /// <summary>Per-block decay of the held echo power (models the reverberation the filter leaves).</summary>
        public float EchoDecay;
        /// <summary>
        /// The send suppression: a second set of gains over the same error, for the output the provider hears, while the
        /// guard's view keeps the suppression above (its bars are learned from that residual; BENCHMARKS.md, "Two
        /// suppressions"). Its over-subtraction (0 = off: the output is the guard's view), held-echo decay, and double-talk
        /// share, floor and over-subtraction (the floor's block uses these instead of <see cref="MinGain"/> and
        /// <see cref="SendOverSubtraction"/>).
        /// </summary>
        public float SendOverSubtraction, SendEchoDecay, SendDoubleTalkShare, SendDoubleTalkGain, SendDoubleTalkOverSubtraction;
        /// <summary>Comfort noise level against the tracked noise floor (1 = the floor's power, 0 = none).</summary>
        public float ComfortNoise;
        public float LeakRate, LeakRateMax;
        /// <summary>Converged step = Step × clamp(StepRer × residual-to-error ratio, StepFloor, 1).</summary>
        public float StepRer, StepFloor;
        /// <summary>
        /// 1: the background adapts by the frequency-domain Kalman update (<see cref="EchoKalmanKernel"/>) instead of
        /// the normalised step (0). On by default: it converges and re-converges faster in the measured rooms and the
        /// conversation (BENCHMARKS.md, "Kalman"), at about twice the normalised step's CPU.
        /// </summary>
        public int Kalman;
        /// <summary>Kalman tuning: transition factor A per block, initial state-error variance (per partition, as a share of the
        /// path's energy), smoothing of the observation-noise estimate, its weight, and whether the residual-to-error
        /// step control also scales the gain (1) or not (0). KalmanPosterior picks Ψ's estimate: 0 the smoothed prior |E|²,
        /// 1 the a-posteriori error (feeds itself to zero: do not use), 2 the prior less the echo still expected.</summary>
        public float KalmanA, KalmanP0, KalmanSmooth, KalmanNoise, KalmanRer, KalmanPosterior;
        /// <summary>0 until the Kalman variances are set (at the first update after a Reset or a cleared background).</summary>
        public int KalmanReady;
        /// <summary>Partitions the Kalman update constrains per block (round robin, at least 2).</summary>
        public int KalmanConstrain;
        /// <summary>
        /// Besides the round robin, the Kalman update constrains a partition once the steps it took since its last
        /// constraint add up (in amplitude) to more than this many dB under the whole filter: a bound on the circular
        /// wrap-around it may hold. Large steps (convergence, a restart) constrain every partition each block, the small
        /// steps of a settled filter only a few. 0 or more constrains every partition that stepped, each block.
        /// </summary>
        public float KalmanWrapDb;
        /// <summary>The Kalman step's floor as a share of the normalised step's uniform one (tracking; 0 = none).</summary>
        public float KalmanTrack;
        /// <summary>Share of the Kalman process noise taken from the bin's mean |W|² over the partitions instead of the partition's own.</summary>
        public float KalmanSpread;
        /// <summary>Fall of the initial variance over the partitions after the margin, dB per second (a room's decay; 0 = flat).</summary>
        public float KalmanDecay;
        /// <summary>
        /// The output's suppression after the path moved: for MissSeconds after a converged foreground was dropped, a
        /// re-seed installed or the matcher moved the alignment off a path the filter had held, its residual echo
        /// estimate adds weight × the echo the Kalman update expects the filter still to miss (½ Σ P|X|²,
        /// <see cref="KalMiss"/>; 0 = off). MissWeight for the main suppression (the output at 16 kHz), SendMissWeight
        /// for the send suppression (the output at 24 and 48 kHz): the weight while the player may be talking; in blocks
        /// whose echo estimate explains the microphone (<see cref="IncoherentShare"/> under MissEchoShare) the echo is
        /// alone and the weight is MissEchoScale times as large. MissBlocks: blocks of the window left.
        /// </summary>
        public float MissWeight, SendMissWeight, MissSeconds, MissEchoScale, MissEchoShare;
        /// <summary>
        /// The echo is alone in the window also where the speech band's incoherent power is under MissEchoReference ×
        /// what the reference explains in the error at the direct path's partition (<see cref="RefCohMiss"/>; 0 = off):
        /// a filter that has not learnt the new room in the bins an onset sounds makes an estimate incoherent with the
        /// echo, which the share alone reads as the player.
        /// </summary>
        public float MissEchoReference;
        public int MissBlocks;
        /// <summary>
        /// The echo the aligned reference explains in the error without the filter (<see cref="EchoCoherenceKernel.Reference"/>):
        /// per bin the error's power linear in the reference at the direct path's partition (<see cref="Margin"/>),
        /// |S_xe|² / S_xx, less RefCoherentBias × the chance coherence of RefCoherentRate's smoothing, into RefCohMiss.
        /// In the window after a path move (<see cref="MissBlocks"/>) the output's suppression adds RefCoherentWeight × it
        /// (0 = off): the send suppression at 24 and 48 kHz, the one at 16 kHz. A filter relearning another room leaves
        /// echo the Kalman variance under-reads tenfold; the reference still explains it, and the player's voice it does not.
        /// </summary>
        public float RefCoherentWeight, RefCoherentBias, RefCoherentRate;
        public int RefCohXx, RefCohXeRe, RefCohXeIm, RefCohEe, RefCohMiss;
        /// <summary>
        /// The residual echo the linear filter's own gauge implies: each bin's residual estimate is at least weight ×
        /// r / (1 − r) × the block's echo-estimate power, r = 10^(−<see cref="GaugePeakDb"/> / 10), over-subtracted as the
        /// rest (0 = off). GaugeLeakWeight for the main suppression (the guard view, and the output at 16 kHz),
        /// SendGaugeLeakWeight for the send suppression (the output at 24 and 48 kHz).
        /// </summary>
        public float GaugeLeakWeight, SendGaugeLeakWeight;
        /// <summary>Weight of the block's own |E|² in the Kalman gain's noise term when above the smoothed Ψ (0 = off).</summary>
        public float KalmanOnset;
        /// <summary>KalmanSpread's value except for KalmanFreshSeconds after a restart that is not the first (experiment).</summary>
        public float KalmanSpreadCalm, KalmanFreshSeconds;
        /// <summary>Blocks left at KalmanSpread; Kalman restarts since Reset.</summary>
        public int KalmanFresh, KalmanInits;
        /// <summary>
        /// Evidence that the path moved which spreads the process noise at KalmanSpread for KalmanFreshSeconds (bits;
        /// 0 = only a restart): 1 an alignment move that keeps the taps, 2 the convergence latch let go, 4 the
        /// foreground replaced while converged by a background far better (experiment).
        /// </summary>
        public float KalmanEvidence;
        /// <summary>
        /// An alignment move that keeps the taps restarts the variances in the room's shape at the new alignment: 1 as a
        /// first start (no spread window), 2 as a path that moved (experiment; 0 = shifted with the taps).
        /// </summary>
        public float KalmanMoveRestart;
        /// <summary>
        /// With the Kalman update, seconds after the convergence latch lets go in which the matcher may not move the
        /// alignment unless the foreground was dropped for adding echo (double talk breaks the gauge, the path is
        /// still there; experiment, 0 = off); blocks of it left.
        /// </summary>
        public float KalmanHoldMove;
        /// <summary>Blocks left of <see cref="KalmanHoldMove"/>.</summary>
        public int KalmanHold;
        /// <summary>
        /// The least share of the foreground's energy its peak partition must hold for a later alignment move to stop a
        /// tuning block before that peak. 0.05 for the Kalman update, which learns a long room's tail as it is (RT60 0.8 s:
        /// the peak holds 7–8 %); the proportionate normalised step piles energy on the peak (12–20 %) and was measured
        /// with 0.1 (set 0.1 together with <see cref="Kalman"/> = 0 to reproduce those figures).
        /// </summary>
        public float MovePeakShare;
        /// <summary>
        /// 1 (the default): on a cold start (no room held on this stream, a handed-in room not installed being none), a
        /// matcher move while this block's gauge is under 2 dB is still capped a tuning block before the foreground's peak
        /// when the gauge has reached 2 dB since the filter started (<see cref="GaugePeakDb"/>) and the peak holds
        /// <see cref="MovePeakShare"/>: the filter found the echo and dipped, it did not lose it. 0: the lost branch's
        /// move, to the matcher's lag.
        /// </summary>
        public int ColdMoveByGaugePeak;
        /// <summary>Least share of the foreground's energy in its peak partition for <see cref="Held"/> (above 6 dB).</summary>
        public float HeldPeakShare;
        /// <summary>
        /// 1 after a converged foreground was dropped for adding echo, until the latch's release that follows (or a
        /// re-seed): that release holds no matcher move.
        /// </summary>
        public int KalmanDropped;
        /// <summary>Scale of the next Kalman restart's initial variances: 1, after a re-seed the share of the path it still misses.</summary>
        public float KalmanStartScale;
        /// <summary>
        /// A re-seed whose candidate leaves less than this share of the microphone's energy (0.01: it cancels 20 dB)
        /// restarts the variances without the fresh spread (<see cref="KalmanSpreadCalm"/> at once): the room is already
        /// placed, and spread fully its taps wander (0 = every restart after the first spreads).
        /// </summary>
        public float KalmanReseedCalmShare;
        /// <summary>1: the next Kalman restart is a re-seed's under <see cref="KalmanReseedCalmShare"/> (no fresh spread).</summary>
        public int KalmanRestartCalm;
        /// <summary>
        /// 1: a re-seed moves the alignment by the whole blocks of its shift, so the saved room keeps its place in the
        /// window (<see cref="EchoReseedKernel"/>); 0: the taps are moved onto the matcher's margin, which cuts the room's
        /// tail (named KalmanPlace, and only with the Kalman update, until stop 26).
        /// </summary>
        public float ReseedPlace;
        /// <summary>
        /// 1: a trial places the saved room where it matches the background best over the whole window (normalised
        /// correlation, <see cref="EchoReseedKernel"/>); 0: within a block of the background's strongest tap, which while
        /// the background is half learned may sit a few blocks off the new direct path (a partition's edge).
        /// </summary>
        public float ReseedMatched;
        /// <summary>Blocks in a row the background must win before the foreground takes its coefficients.</summary>
        public int CopyBlocks;
        /// <summary>
        /// CopyBlocks in the window after a path move (<see cref="MissBlocks"/>) that no re-seed opened: the foreground
        /// follows a relearning background sooner. WindowCopyAfterReseed 1 takes it in a re-seed's window too (an
        /// experiment: a relearning background then overwrote a re-seeded room before it was refined). ReseedWindow: 1 while
        /// the window is a re-seed's.
        /// </summary>
        public int WindowCopyBlocks, WindowCopyAfterReseed, ReseedWindow;
        /// <summary>Blocks between checks of the foreground's peak partition (fine alignment, clock drift).</summary>
        public int FineBlocks;
        /// <summary>1 (the default) moves the alignment to a tuning block before a converged filter's peak in one step; 0 block by block.</summary>
        public int FineJump;
        /// <summary>The jump stops at the room's onset: the earliest partition holding this share of the strongest one's energy (0: no bound).</summary>
        public float FineJumpOnset;
        /// <summary>
        /// 1 (the default): after a fine step earlier, the partition that comes in starts with its neighbour's Kalman
        /// variance (<see cref="EchoKalmanKernel.EarlierByOne"/>); 0: with the initial variance, as any new partition.
        /// </summary>
        public int FineEarlierSure;
        /// <summary>
        /// Tuning blocks in a row the matcher's best lag must stay clearly best before it becomes the estimate; before its
        /// first estimate, <c>FirstVotesToTrust</c>. A first estimate moves a filter that has at most begun to learn from
        /// an alignment nobody chose, so it may come sooner; a later one moves (or clears) a filter that found the echo.
        /// </summary>
        public int VotesToTrust, FirstVotesToTrust;
        /// <summary>Reference block mean square under which the far end counts as silent.</summary>
        public float ActiveLevel;
        /// <summary>
        /// Blocks per tuning step. The time constants were tuned on blocks of 8–10.7 ms; a smaller block (lower latency)
        /// runs Sub times as often, so block counts scale by Sub and per-block smoothing factors a become 1 − (1 − a)^(1/Sub).
        /// </summary>
        public int Sub;
        /// <summary>Per-block smoothing factors derived from Sub (see <see cref="EchoTuning.Defaults"/>).</summary>
        public float SmoothRate, PeakKeep, ErleFallRate, ErleRiseRate, BandMeanRate, VoteRate, BiasRate, AvgRate, NoiseFallRate, NoiseRise;

        // Running values.
        public long Blocks;
        /// <summary>Aligned block the running reference power was last updated for.</summary>
        public long PowerAligned;
        /// <summary>Alignment: the reference is read this many blocks back before the filter.</summary>
        public int Delay;
        public int ConstrainNext;
        public float ErrFgSmooth, ErrBgSmooth, MicSmooth;
        /// <summary>This block's foreground and background error energies (the two-path test's inputs).</summary>
        public float BlockErrFg, BlockErrBg;
        /// <summary>Foreground ERLE in dB averaged over far-end activity: the filter counts as converged above 6 dB.</summary>
        public float FgErleDb;
        /// <summary>The best <see cref="FgErleDb"/> since the filter last started or lost the path (the gauge's residual).</summary>
        public float GaugePeakDb;
        /// <summary>1 while the foreground models the echo (set above 6 dB of ERLE, cleared under 2 dB).</summary>
        public int Converged;
        /// <summary>
        /// 1 while the foreground holds the echo by a looser peak test (<see cref="HeldPeakShare"/>); always 1 while
        /// <see cref="Converged"/> is. It gates what needs the filter's place, not its adaptation: the matcher, the fine
        /// steering, the saved room for a re-seed.
        /// </summary>
        public int Held;
        public int CopyVotes, BadFg;
        /// <summary>The foreground's strongest partition, as the last block's steering found it.</summary>
        public int FgPeak;
        public int FineCounter;
        /// <summary>Times the steering re-indexed or cleared the filters (the drift trim's snapshot no longer applies).</summary>
        public int FilterMoves;
        /// <summary>Coarse delay (blocks) the band-pattern matcher currently believes, −1 before it is sure.</summary>
        public int Estimate;
        public int Candidate, CandidateVotes;
        /// <summary>Blocks the matcher's estimate lies after the filter's peak, learned while converged.</summary>
        public float MatchBias;
        /// <summary>The matcher's mismatch score at its estimate while the filter held the echo (what a real echo scores).</summary>
        public float GoodScore;
        /// <summary>Recent peak of the reference block energy (gates the convergence gauge).</summary>
        public float RefPeak;
        /// <summary>Leak regression (speexdsp's Pey/Pyy): residual echo = Pey/Pyy × echo estimate.</summary>
        public float LeakPey, LeakPyy;
        public uint Random;
        public int NonFinite;
        public int ForegroundCopies;
        /// <summary>Tap (partition × Block + tap) of the saved filter's strongest tap, −1 when none is saved.</summary>
        public int SeedPeak;
        /// <summary>Blocks left in which the saved filter is tried (0: closed).</summary>
        public int SeedBlocks;
        /// <summary>The matched placement's last shift, and the alignment it was found at (int.MinValue: none yet).</summary>
        public int SeedLag, SeedLagDelay;
        /// <summary>Times a saved filter was moved to the new path and installed.</summary>
        public int Reseeds;
        /// <summary>The alignment (<see cref="Delay"/>) the saved filter was held at.</summary>
        public int SeedDelay;
        /// <summary>
        /// 1 while a room handed in by <see cref="EchoReseedKernel.Load"/> waits to be tried: the window opens when the
        /// far end first sounds, and each trial also tries the room at the alignment it was saved at.
        /// </summary>
        public int SeedWarm;
        /// <summary>Times a handed-in room was installed (a warm start).</summary>
        public int WarmStarts;
        /// <summary>1 while the saved room is a handed-in one this stream has not held (no path moved off it).</summary>
        public int SeedLoaded;
        /// <summary>Partitions the Kalman update has constrained since Reset (its CPU: 2 FFTs each; BENCHMARKS.md).</summary>
        public long KalmanConstraints;
        /// <summary>Raw reference samples taken; raw position of the next resampled sample; raw samples per resampled one.</summary>
        public long RawWritten;
        public double ReadPos, Ratio;
        /// <summary>Index of the newest resampled reference block in the ring (−1 before the first).</summary>
        public long RefHead;
        /// <summary>
        /// Drift trim (<see cref="EchoTrimKernel"/>): blocks per interval (0 = off); the highest frequency read, the least
        /// match of the turned snapshot a reading needs and the last match; the interval's running values; the last
        /// measured rate (echo delay gained per microphone sample), fresh until the caller clears <see cref="TrimFresh"/>.
        /// </summary>
        public int TrimBlocks;
        public float TrimHighHz, TrimMinMatch, TrimMatch;
        public int TrimCounter, TrimActive, TrimSnapped, TrimMoves, TrimInits, TrimReseeds, TrimFresh;
        public double TrimRate;
        /// <summary>1 when the alignment moved onto an echo no filter had held and the background starts over: replay at the block's end.</summary>
        public int ReplayPending;
        /// <summary>Blocks the replays adapted on since Reset.</summary>
        public int ReplayedBlocks;
    }
}
