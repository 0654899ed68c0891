namespace Parley.Session.Audio
{
    /// <summary>
    /// One 10 ms frame of the echo guard's verdict, as <see cref="EchoGuard.Traced"/> reports it: the evidence and the
    /// bars it was judged against (energy ratios, not dB). For tracing a scene frame by frame (the host-only
    /// <c>EchoGuardTrace</c>); nothing in the package reads it.
    /// </summary>
    internal struct EchoGuardFrame
    {
        /// <summary>The frame (10 ms of the capture clock).</summary>
        public long Frame;
        /// <summary>The loudest played energy of the echo window, and this frame's played energy over it.</summary>
        public double Far, Now;
        /// <summary>The cleaned and the raw microphone's energy over <see cref="Far"/>.</summary>
        public double OutRatio, MicRatio;
        /// <summary>The broadband bar (held ratio × margin × resume).</summary>
        public double Bar;
        /// <summary>The cleaned energy over the tail predictor's residual, and the tail's bar.</summary>
        public double TailRatio, TailBar;
        /// <summary>The tail's held ratio (<see cref="DuplexFrontEndOptions.EchoGuardPercentile"/> of the hold window; while it relearns, of what it has relearnt so far).</summary>
        public double TailHeld;
        /// <summary>The resume bar's factor (1: none) and the relief's (1: none).</summary>
        public double Resume, Relief;
        /// <summary>The canceller's gauge (dB) and the share of the frame coherent with its echo estimate.</summary>
        public double ErleDb, Coherence;
        /// <summary>The cleaned microphone is not explained by the canceller (<see cref="DuplexFrontEndOptions.EchoGuardUnexplainedDb"/>).</summary>
        public bool Unexplained;
        /// <summary>Frames in a row over the broadband bar, and over the tail's (the onset verdict).</summary>
        public int Above, TailAbove;
        /// <summary>Frames the tail relearnt after the cold start (done at <c>EchoGuard.TailRelearnFrames</c>) and frames the broadband ratio learnt.</summary>
        public int TailRelearnt;
        public long Learned;
        /// <summary>The VAD hears speech; an onset waits for a frame that qualifies.</summary>
        public bool VadSpeaking, Pending;
    }
}
