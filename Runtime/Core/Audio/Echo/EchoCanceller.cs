using System;
using System.Runtime.InteropServices;
using Parley.Audio.Kernels;

namespace Parley.Audio
{
    /// <summary>
    /// Acoustic echo canceller for one microphone stream (mono, 8–48 kHz; tuned and measured at 16 and 24 kHz).
    /// Feed the microphone and the far-end reference (what the speakers played at the same instant) through
    /// <see cref="Process"/>, or write the reference time-stamped with <see cref="WriteReference"/> and call
    /// <see cref="ProcessCapture"/>. Frames of any size; output is the microphone with the echo removed, delayed by
    /// <see cref="LatencySamples"/>. After construction nothing allocates. Not thread-safe: call from one thread.
    /// The arithmetic lives in <see cref="EchoKernel"/>; see Documentation~/echo-cancellation.md.
    /// </summary>
    public sealed unsafe class EchoCanceller
    {
        /// <summary>Longest echo delay the canceller searches (the acoustic path plus any output/capture offset).</summary>
        public const int MaxDelayMs = 440;

        readonly float[] m_Memory;
        readonly int[] m_Ints;
        readonly float[] m_InMic;
        readonly float[] m_InRef;
        readonly float[] m_Out;
        readonly float[] m_Guard;        // the guard's view, the same FIFO positions as m_Out
        readonly float[] m_GuardStage;   // a block of it when the FIFO wraps
        readonly float m_SendOverSubtraction;
        readonly float[] m_RefRing;
        EchoState m_State;
        readonly int m_ReplayBlocks;
        int m_Staged;
        int m_OutRead;
        int m_OutCount;
        long m_RefWritten = long.MinValue;
        double m_DriftPpm;
        readonly ClockDriftEstimator m_DriftEstimator;
        double m_EstimatedPpm;

        /// <summary>
        /// Fed the kernel's spectra after each block when set (the echo guard's evidence, read on the canceller's input
        /// sample count since <see cref="Reset"/>; null: nothing). Set it between blocks, from the canceller's thread.
        /// </summary>
        public EchoCoherence Coherence { get; set; }

        /// <summary>The kernel state (tuning fields may be changed between calls; tests and benchmarks read the rest).</summary>
        internal ref EchoState State => ref m_State;

        /// <summary>
        /// The linear filter's error (microphone − foreground echo estimate, before the suppressor) of the last block
        /// run: diagnostics for measurements that feed whole blocks (valid until the next block).
        /// </summary>
        internal ReadOnlySpan<float> LinearError => new ReadOnlySpan<float>(m_Memory, m_State.ErrFg, m_State.Block);
        /// <summary>The background filter's error of the last block (the filter that adapts; diagnostics).</summary>
        internal ReadOnlySpan<float> BackgroundError => new ReadOnlySpan<float>(m_Memory, m_State.ErrBg, m_State.Block);
        /// <summary>
        /// The expected miss (½ Σ_p P|X|², <see cref="EchoState.KalMiss"/>) of the last block summed over the speech band,
        /// as the send floor weighs it (diagnostics).
        /// </summary>
        internal double ExpectedMissInBand
        {
            get
            {
                fixed (float* f = m_Memory)
                    return EchoSuppressorKernel.MissBand(m_State, f);
            }
        }

        /// <summary>What the reference explains in the error at the direct path's partition, summed over the speech band (diagnostics).</summary>
        internal double ReferenceMissInBand
        {
            get
            {
                fixed (float* f = m_Memory)
                    return EchoSuppressorKernel.Band(m_State, f + m_State.RefCohMiss);
            }
        }

        public int SampleRate { get; }
        /// <summary>Samples per processing block (the largest power of two ≤ 8 ms, at least 64).</summary>
        public int BlockSize => m_State.Block;
        /// <summary>Adaptive filter length in ms (the echo tail modelled after the direct path).</summary>
        public double FilterMs => 1000.0 * m_State.Partitions * m_State.Block / SampleRate;
        /// <summary>Output delay against the input, in samples: block staging plus the suppressor's gain filter (3 ms).</summary>
        public int LatencySamples => m_State.Block - 1 + m_State.GainDelay;
        /// <summary>Echo delay the canceller is aligned to, in ms (block resolution; the filter covers the rest).</summary>
        public double DelayMs => 1000.0 * (m_State.Delay + m_State.Margin) * m_State.Block / SampleRate;
        /// <summary>
        /// Echo path delay in ms: the adaptive filter's strongest tap once it has converged (sample accurate), before
        /// that the band-pattern matcher's estimate (block accurate); −1 before either knows. Read it between blocks on the
        /// thread that calls Process: it transforms the filter in the canceller's scratch memory.
        /// </summary>
        public double EstimatedDelayMs
        {
            get
            {
                int samples;
                fixed (float* f = m_Memory)
                    samples = EchoDelayKernel.PathDelay(ref m_State, f);
                return samples < 0 ? -1 : 1000.0 * samples / SampleRate;
            }
        }
        /// <summary>
        /// Clock drift of the microphone against the output, in parts per million, that the canceller compensates by
        /// resampling the reference (positive: the microphone's clock runs fast, so the echo path lengthens by that
        /// fraction of the elapsed time). 0 by default; set it from the two devices' sample counts over time (up to
        /// ±20000). Kept across <see cref="Reset"/>; a change applies from the next block.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Not finite or beyond ±20000 ppm.</exception>
        public double ClockDriftPpm
        {
            get => m_DriftPpm;
            set
            {
                if (!(value >= -MaxDriftPpm && value <= MaxDriftPpm))
                    throw new ArgumentOutOfRangeException(nameof(value), value, "Clock drift must be within ±" + MaxDriftPpm + " ppm.");
                m_DriftPpm = value;
                ApplyDrift();
            }
        }

        void ApplyDrift()
        {
            var ppm = m_DriftPpm + EstimatedClockDriftPpm + ClockDriftTrimPpm;
            if (ppm > MaxDriftPpm) ppm = MaxDriftPpm;
            if (ppm < -MaxDriftPpm) ppm = -MaxDriftPpm;
            m_State.Ratio = 1.0 / (1.0 + ppm * 1e-6);
        }

        /// <summary>
        /// While <see cref="ClockDriftPpm"/> is 0, learn the clock drift from the microphone and reference themselves
        /// (<see cref="ClockDriftEstimator"/>) and compensate it: on by default. It takes 10–35 s of the agent's speech to
        /// be sure (from 50 ppm). Whether told or learnt, what is left over (and a drift under 50 ppm) is trimmed
        /// from how the converged filter turns (<see cref="TrimClockDrift"/>). Turn it off when the reference is
        /// already corrected for drift by something that also re-places it (the Unity echo feed): a step in the
        /// reference reads as drift to the estimate's half-second lags.
        /// </summary>
        public bool EstimateClockDrift
        {
            get => m_EstimateDrift;
            set
            {
                m_EstimateDrift = value;
                ApplyDrift();
            }
        }
        bool m_EstimateDrift = true;

        /// <summary>The drift learned and compensated (ppm; 0 until sure, or with <see cref="EstimateClockDrift"/> off).</summary>
        public double EstimatedClockDriftPpm => Estimating ? m_EstimatedPpm : 0;

        bool Estimating => m_EstimateDrift && m_DriftPpm == 0;

        /// <summary>
        /// Trim the drift left over by <see cref="ClockDriftPpm"/>, the estimate, or whatever corrected the reference
        /// before it came (the Unity echo feed's measurement), from how the converged filter turns: on by default. A step
        /// in the reference does not read as a turn: the filter moves with it (which voids the reading), and a step of a
        /// few milliseconds would be thousands of ppm, far past the 60 ppm a reading may be.
        /// </summary>
        public bool TrimClockDrift
        {
            get => m_TrimDrift;
            set
            {
                m_TrimDrift = value;
                ApplyDrift();
            }
        }
        bool m_TrimDrift = true;

        /// <summary>
        /// The drift left over that the canceller trimmed, in ppm: read from how the converged filter turns over 2 s
        /// (<see cref="EchoTrimKernel"/>), while <see cref="TrimClockDrift"/> is on. A few ppm matter at 24 kHz: they
        /// move the path about a sample in 10 s, which the filter trails.
        /// </summary>
        public double ClockDriftTrimPpm => m_TrimDrift ? m_TrimPpm : 0;
        double m_TrimPpm;
        /// <summary>Share of each measured residual the trim takes, and the largest trim (ppm).</summary>
        const double TrimGain = 0.5, MaxTrimPpm = 200;
        /// <summary>
        /// A turn beyond this rate is not read (ppm): the fit's top bin would turn by more than half a cycle over the
        /// interval and wrap. Larger residuals are left to the estimate; the trim then takes what is left.
        /// </summary>
        const double TrimReadPpm = 60;

        /// <summary>
        /// A turn under this rate is not taken (ppm): it is the reading's noise (±0.3 ppm on a path that does not drift),
        /// and any trim at all moves the reference off whole samples onto the interpolator (0.1–0.2 dB of near end).
        /// </summary>
        const double TrimIgnorePpm = 1;

        void Trim(double ppm)
        {
            if (!(Math.Abs(ppm) <= TrimReadPpm) || Math.Abs(ppm) < TrimIgnorePpm) return;
            m_TrimPpm = Math.Max(-MaxTrimPpm, Math.Min(MaxTrimPpm, m_TrimPpm + TrimGain * ppm));
            ApplyDrift();
        }

        /// <summary>Largest clock drift <see cref="ClockDriftPpm"/> accepts (2 %).</summary>
        public const double MaxDriftPpm = 20000;
        /// <summary>NaN/±Inf input samples replaced by silence since construction or <see cref="Reset"/>.</summary>
        public int NonFiniteSamples => m_State.NonFinite;

        /// <summary>
        /// The output (what the provider hears) is suppressed more strongly than the guard's view, which keeps the
        /// suppression the echo guard's bars are learned from (on by default: WebRTC's ERLE with the near end above
        /// speexdsp's; BENCHMARKS.md, "Two suppressions"; at 16 kHz since stop 67, "The guard at 16 kHz"). Off: one
        /// suppression for both, the view's. Set it before the stream (or after <see cref="Reset"/>).
        /// </summary>
        public bool StrongerOutputSuppression
        {
            get => m_State.SendOverSubtraction > 0f;
            set => m_State.SendOverSubtraction = value ? m_SendOverSubtraction : 0f;
        }
        /// <summary>Capacity of the time-stamped reference ring, in samples.</summary>
        public int ReferenceCapacity => m_RefRing.Length;

        /// <summary>
        /// At 24 and 48 kHz a canceller that has held no room keeps the last 400 ms of microphone, and when it first finds
        /// the echo past its filter's first window its background learns from those blocks at once (on by default: a 200 ms
        /// room's first reply is cancelled 2–7 dB deeper 250 ms after; BENCHMARKS.md, "The canceller's cold start learns
        /// from what it already heard"). Off, or at 16 kHz and below: it learns from the move on. Set it before the stream
        /// (or after <see cref="Reset"/>).
        /// </summary>
        public bool ColdStartReplay
        {
            get => m_State.ReplayBlocks > 0;
            set => m_State.ReplayBlocks = value ? m_ReplayBlocks : 0;
        }

        /// <param name="sampleRate">Microphone and reference rate, 8000–48000 Hz.</param>
        /// <param name="filterMs">Echo tail the adaptive filter models after the direct path (40–500 ms).</param>
        public EchoCanceller(int sampleRate, double filterMs = 200)
        {
            if (sampleRate < 8000 || sampleRate > 48000)
                throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "Sample rate must be between 8000 and 48000 Hz.");
            if (!(filterMs >= 40 && filterMs <= 500))
                throw new ArgumentOutOfRangeException(nameof(filterMs), filterMs, "Filter length must be between 40 and 500 ms.");
            SampleRate = sampleRate;
            // Largest power of two ≤ 8 ms, at least 64 (128 at 16 and 24 kHz, 256 at 48 kHz): the output is Block − 1 +
            // 3 ms late (10.9 ms at 16 kHz, 8.0 ms at 24 kHz, 8.0 ms at 48 kHz); 64 samples at 16 kHz cancel less than
            // WebRTC (BENCHMARKS.md, "Latency").
            var block = 64;
            while (block * 2 * 125 <= sampleRate) block <<= 1;
            var partitions = (int)Math.Ceiling(filterMs * sampleRate / (1000.0 * block));
            var maxDelay = (int)Math.Ceiling(MaxDelayMs * sampleRate / (1000.0 * block));
            EchoKernel.Init(ref m_State, sampleRate, block, partitions, maxDelay);
            m_Memory = new float[m_State.FloatCount];
            m_Ints = new int[m_State.IntCount];
            m_InMic = new float[block];
            m_InRef = new float[block];
            m_Out = new float[2 * block];
            m_Guard = new float[2 * block];
            m_GuardStage = new float[block];
            m_SendOverSubtraction = m_State.SendOverSubtraction;
            m_ReplayBlocks = m_State.ReplayBlocks;
            var ring = 1;
            while (ring < sampleRate * 2) ring <<= 1;
            m_RefRing = new float[ring];
            m_DriftEstimator = new ClockDriftEstimator(sampleRate);
            Reset();
        }

        /// <summary>Starts a new stream: filters, delay estimate, buffered samples and the reference ring are cleared.</summary>
        public void Reset()
        {
            fixed (float* f = m_Memory)
            fixed (int* i = m_Ints)
                EchoKernel.Reset(ref m_State, f, i);
            Array.Clear(m_InMic, 0, m_InMic.Length);
            Array.Clear(m_InRef, 0, m_InRef.Length);
            Array.Clear(m_Out, 0, m_Out.Length);
            Array.Clear(m_Guard, 0, m_Guard.Length);
            Array.Clear(m_RefRing, 0, m_RefRing.Length);
            m_Staged = 0;
            m_OutRead = 0;
            m_OutCount = m_State.Block - 1;
            m_RefWritten = long.MinValue;
            m_DriftEstimator.Reset();
            m_EstimatedPpm = 0;
            m_TrimPpm = 0;
            ApplyDrift();
            Coherence?.Reset();
        }

        /// <summary>
        /// The echo path learnt so far, for <see cref="StartFrom"/> in the next conversation on the same devices: the last
        /// filter that held the echo (saved while it cancelled 10 dB or more), else the room this canceller was started
        /// from, else the filter now if it is held and cancels 6 dB; null when there is none. Allocates; call it between
        /// blocks on the thread that calls Process.
        /// </summary>
        public EchoRoom SaveRoom()
        {
            // Nothing saved while it held 10 dB (checked one block in 32, on a block 10 dB under the microphone): the
            // filter now, if it is held at the bar the hold latches at. A quiet echo in a long room is learnt slowly, and
            // its filter can end an 8 s conversation under 10 dB; the next canceller still installs it only if it
            // cancels 10 dB at once, and meanwhile learns from the start as a cold one does.
            var saved = m_State.SeedPeak >= 0;
            if (!saved && (m_State.Held == 0 || m_State.FgErleDb < EchoDelayKernel.LatchErleDb)) return null;
            var taps = new float[m_State.Partitions * m_State.Block];
            if (saved)
            {
                new ReadOnlySpan<float>(m_Memory, m_State.SeedTaps, taps.Length).CopyTo(taps);
                return new EchoRoom(SampleRate, m_State.Block, m_State.SeedDelay, taps);
            }
            var time = new float[m_State.FftSize];
            fixed (float* f = m_Memory)
            fixed (float* t = taps)
            fixed (float* tm = time)
                EchoReseedKernel.ToTaps(ref m_State, f, f + m_State.FgRe, f + m_State.FgIm, t, tm);
            return new EchoRoom(SampleRate, m_State.Block, m_State.Delay, taps);
        }

        /// <summary>
        /// Starts warm from a room an earlier canceller learnt (<see cref="SaveRoom"/>): when the far end next sounds the
        /// room is tried where it was held and where the delay matcher places it, and it becomes the filter once it
        /// cancels 10 dB more than the filters learning meanwhile; otherwise it only stays the re-seed source for a
        /// later path move. Call it after construction or <see cref="Reset"/> (later, it replaces the saved room). A room
        /// with a longer filter is cut to this one's, a shorter one padded.
        /// </summary>
        /// <exception cref="ArgumentNullException"><paramref name="room"/> is null.</exception>
        /// <exception cref="ArgumentException">The room was learnt at another sample rate or block size.</exception>
        public void StartFrom(EchoRoom room)
        {
            if (room == null) throw new ArgumentNullException(nameof(room));
            if (room.SampleRate != SampleRate || room.BlockSize != m_State.Block)
                throw new ArgumentException("Echo room was learnt at " + room.SampleRate + " Hz (block " + room.BlockSize + "), the canceller runs at " + SampleRate + " Hz (block " + m_State.Block + ").", nameof(room));
            fixed (float* f = m_Memory)
            fixed (float* taps = &MemoryMarshal.GetReference(room.Taps))
                EchoReseedKernel.Load(ref m_State, f, taps, room.Taps.Length, room.DelayBlocks);
        }

        /// <summary>Whether a room from <see cref="StartFrom"/> became the filter since construction or <see cref="Reset"/>.</summary>
        public bool StartedWarm => m_State.WarmStarts > 0;

        /// <summary>
        /// Cancels the echo of <paramref name="reference"/> in <paramref name="mic"/> (same length, same instant, the
        /// reference being what the speakers played) and writes as many samples to <paramref name="output"/>
        /// (<see cref="LatencySamples"/> late). <paramref name="output"/> may be <paramref name="mic"/>'s buffer.
        /// </summary>
        /// <exception cref="ArgumentException">Lengths differ or output is too small (nothing is consumed).</exception>
        public void Process(ReadOnlySpan<float> mic, ReadOnlySpan<float> reference, Span<float> output) => Run(mic, reference, output, default, false);

        /// <summary>
        /// <see cref="Process(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>, and in <paramref name="guardView"/>
        /// the same samples under the suppression an echo guard learns its bars from: lighter than the output's where
        /// <see cref="StrongerOutputSuppression"/> is on, the same samples where it is off. Call this overload for every
        /// block of a stream or for none.
        /// </summary>
        public void Process(ReadOnlySpan<float> mic, ReadOnlySpan<float> reference, Span<float> output, Span<float> guardView)
        {
            RequireGuardView(guardView, mic.Length);
            Run(mic, reference, output, guardView, true);
        }

        static void RequireGuardView(Span<float> guardView, int needed)
        {
            if (guardView.Length < needed)
                throw new ArgumentException("Guard view holds " + guardView.Length + " samples, needs " + needed + ".", nameof(guardView));
        }

        void Run(ReadOnlySpan<float> mic, ReadOnlySpan<float> reference, Span<float> output, Span<float> guardView, bool withGuard)
        {
            if (reference.Length != mic.Length)
                throw new ArgumentException("Reference holds " + reference.Length + " samples, microphone " + mic.Length + ".", nameof(reference));
            if (output.Length < mic.Length)
                throw new ArgumentException("Output holds " + output.Length + " samples, needs " + mic.Length + ".", nameof(output));
            var b = m_State.Block;
            var done = 0;
            while (done < mic.Length)
            {
                var take = Math.Min(b - m_Staged, mic.Length - done);
                mic.Slice(done, take).CopyTo(m_InMic.AsSpan(m_Staged));
                reference.Slice(done, take).CopyTo(m_InRef.AsSpan(m_Staged));
                m_Staged += take;
                if (m_Staged == b)
                {
                    RunBlock(withGuard);
                    m_Staged = 0;
                }
                // Output keeps pace with input: Block − 1 samples of prefill guarantee it is always there.
                for (var i = 0; i < take; i++)
                {
                    output[done + i] = m_Out[m_OutRead];
                    if (withGuard) guardView[done + i] = m_Guard[m_OutRead];
                    m_OutRead = (m_OutRead + 1) % m_Out.Length;
                }
                m_OutCount -= take;
                done += take;
            }
        }

        /// <summary>
        /// Stores far-end samples played starting at sample <paramref name="position"/> of the shared clock (the
        /// microphone's sample count at this rate). Later writes over the same positions win; a gap reads as silence.
        /// Positions older than <see cref="ReferenceCapacity"/> before the newest are dropped.
        /// </summary>
        public void WriteReference(long position, ReadOnlySpan<float> samples)
        {
            var mask = m_RefRing.Length - 1;
            if (m_RefWritten == long.MinValue) m_RefWritten = position;
            // Silence over a gap, so stale samples from a lap ago are never read.
            var gapEnd = Math.Min(position, m_RefWritten + m_RefRing.Length);
            for (var p = m_RefWritten; p < gapEnd; p++) m_RefRing[(int)(p & mask)] = 0f;
            if (position > m_RefWritten) m_RefWritten = position;
            var start = Math.Max(position, m_RefWritten - m_RefRing.Length);
            for (var p = start; p < position + samples.Length; p++) m_RefRing[(int)(p & mask)] = samples[(int)(p - position)];
            if (position + samples.Length > m_RefWritten) m_RefWritten = position + samples.Length;
        }

        /// <summary>
        /// <see cref="Process"/> with the reference taken from the time-stamped ring: microphone sample 0 was captured
        /// at <paramref name="position"/>; reference samples not written (late or missing) count as silence.
        /// </summary>
        public void ProcessCapture(long position, ReadOnlySpan<float> mic, Span<float> output) => Capture(position, mic, output, default, false);

        /// <summary>
        /// <see cref="ProcessCapture(long, ReadOnlySpan{float}, Span{float})"/> with the guard's view as in
        /// <see cref="Process(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float})"/>.
        /// </summary>
        public void ProcessCapture(long position, ReadOnlySpan<float> mic, Span<float> output, Span<float> guardView)
        {
            RequireGuardView(guardView, mic.Length);
            Capture(position, mic, output, guardView, true);
        }

        void Capture(long position, ReadOnlySpan<float> mic, Span<float> output, Span<float> guardView, bool withGuard)
        {
            if (output.Length < mic.Length)
                throw new ArgumentException("Output holds " + output.Length + " samples, needs " + mic.Length + ".", nameof(output));
            var mask = m_RefRing.Length - 1;
            Span<float> chunk = stackalloc float[256];
            var done = 0;
            while (done < mic.Length)
            {
                var n = Math.Min(chunk.Length, mic.Length - done);
                for (var i = 0; i < n; i++)
                {
                    var p = position + done + i;
                    var valid = m_RefWritten != long.MinValue && p < m_RefWritten && p >= m_RefWritten - m_RefRing.Length;
                    chunk[i] = valid ? m_RefRing[(int)(p & mask)] : 0f;
                }
                Run(mic.Slice(done, n), chunk.Slice(0, n), output.Slice(done, n), withGuard ? guardView.Slice(done, n) : default, withGuard);
                done += n;
            }
        }

        void RunBlock(bool withGuard)
        {
            var b = m_State.Block;
            var at = (m_OutRead + m_OutCount) % m_Out.Length;
            if (Estimating)
            {
                // The raw streams, before the kernel (which may write its output over the microphone's block).
                m_DriftEstimator.Feed(m_InMic, m_InRef);
                if (m_DriftEstimator.CompensationPpm != m_EstimatedPpm)
                {
                    m_EstimatedPpm = m_DriftEstimator.CompensationPpm;
                    ApplyDrift();
                }
            }
            fixed (float* f = m_Memory)
            fixed (int* iw = m_Ints)
            fixed (float* mic = m_InMic)
            fixed (float* r = m_InRef)
            fixed (float* o = m_Out)
            fixed (float* g = m_Guard)
            fixed (float* gs = m_GuardStage)
            {
                // Output goes straight into the FIFO when it does not wrap, else through the staging buffers.
                if (at + b <= m_Out.Length) EchoKernel.Process(ref m_State, f, iw, mic, r, o + at, withGuard ? g + at : null);
                else
                {
                    EchoKernel.Process(ref m_State, f, iw, mic, r, mic, withGuard ? gs : null);
                    for (var i = 0; i < b; i++) o[(at + i) % m_Out.Length] = mic[i];
                    if (withGuard)
                        for (var i = 0; i < b; i++) g[(at + i) % m_Guard.Length] = gs[i];
                }
                Coherence?.Block(m_State);
            }
            if (m_State.TrimFresh != 0)
            {
                m_State.TrimFresh = 0;
                if (m_TrimDrift) Trim(m_State.TrimRate * 1e6);
            }
            m_OutCount += b;
        }

        /// <summary>
        /// Offline cancellation of whole recordings (allocates; not for the audio thread): <paramref name="reference"/>
        /// (what was played, at <paramref name="referenceRate"/>, starting at the same instant as the recording) is
        /// resampled to the microphone's rate, and the result has the microphone's rate and length, sample k aligned
        /// with microphone sample k (the processing latency is removed).
        /// </summary>
        public static float[] CancelRecording(ReadOnlySpan<float> mic, int micRate, ReadOnlySpan<float> reference, int referenceRate, double filterMs = 200)
        {
            var aec = new EchoCanceller(micRate, filterMs);
            float[] refAtMic;
            if (referenceRate == micRate) refAtMic = reference.ToArray();
            else refAtMic = new Resampler(referenceRate, micRate).ConvertClip(reference);
            var latency = aec.LatencySamples;
            var total = mic.Length + latency;
            var inMic = new float[total];
            var inRef = new float[total];
            mic.CopyTo(inMic);
            refAtMic.AsSpan(0, Math.Min(refAtMic.Length, total)).CopyTo(inRef);
            var output = new float[total];
            aec.Process(inMic, inRef, output);
            return output.AsSpan(latency, mic.Length).ToArray();
        }
    }
}
