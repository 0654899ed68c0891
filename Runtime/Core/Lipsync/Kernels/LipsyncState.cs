using System.Runtime.InteropServices;

namespace Parley.Lipsync.Kernels
{
    /// <summary>Everything <see cref="LipsyncKernel"/> keeps between calls. Blittable; sizes fixed at construction.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct LipsyncState
    {
        /// <summary>Samples taken in since the last reset.</summary>
        public long SamplesIn;

        // Configuration.
        public int SampleRate;
        public int Hop;
        public int Window;
        public int FftSize;
        public int Bins;
        public int Bands;
        public int Ceps;
        public int Features;
        public int Inputs;
        public int Hidden;
        public int Classes;
        public int ContextCount;
        public int Lookahead;
        public int HistoryLength;
        public float AttackCoef;
        public float ReleaseCoef;
        public float NormCoef;
        public float GateDb;
        /// <summary>A frame this far (dB) below the tracked speech level is pause-quiet.</summary>
        public float PauseDb;
        /// <summary>Once paused, a frame must come this much (dB) closer to the speech level to reopen (hysteresis).</summary>
        public float PauseHysteresisDb;
        /// <summary>Pause-quiet frames in a row (looking ahead as far as the network does) before the mouth is set to rest.</summary>
        public int PauseFrames;
        /// <summary>Fall of the tracked speech level per hop (dB) when frames are quieter than it.</summary>
        public float SpeechDecayDb;

        // Running.
        /// <summary>Samples in the analysis window buffer.</summary>
        public int Fill;
        /// <summary>Feature frames computed since the last reset.</summary>
        public int Frames;
        /// <summary>Analysis output frames produced since the last reset (lags <see cref="Frames"/> by the lookahead).</summary>
        public int Outputs;
        /// <summary>Smoothed jaw opening, 0..1.</summary>
        public float JawOpen;
        /// <summary>Tracked speech level (dBFS): a peak follower of frame levels that decays slowly.</summary>
        public float SpeechDb;
        /// <summary>Pause-quiet frames in a row up to the output frame.</summary>
        public int QuietRun;
        /// <summary>1 while the output is held at rest by the pause gate.</summary>
        public int Paused;
    }
}
