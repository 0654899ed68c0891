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

        // Running.
        /// <summary>Samples in the analysis window buffer.</summary>
        public int Fill;
        /// <summary>Feature frames computed since the last reset.</summary>
        public int Frames;
        /// <summary>Analysis output frames produced since the last reset (lags <see cref="Frames"/> by the lookahead).</summary>
        public int Outputs;
        /// <summary>Smoothed jaw opening, 0..1.</summary>
        public float JawOpen;
    }
}
