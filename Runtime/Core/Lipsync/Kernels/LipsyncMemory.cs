namespace Parley.Lipsync.Kernels
{
    /// <summary>Pointers to every buffer a <see cref="LipsyncKernel"/> call touches (valid for that call only).</summary>
    public unsafe struct LipsyncMemory
    {
        public LipsyncState* State;
        /// <summary>Analysis window being filled, <c>Window</c> samples.</summary>
        public float* Input;
        /// <summary>Hann window, <c>Window</c> entries.</summary>
        public float* Taper;
        /// <summary>FFT work buffers, <c>FftSize</c> each, and twiddles (<c>FftSize / 2</c> each).</summary>
        public float* Re;
        public float* Im;
        public float* Cos;
        public float* Sin;
        /// <summary>Mel filterbank, <c>Bands × Bins</c>, already scaled to band-average power.</summary>
        public float* Mel;
        /// <summary>Orthonormal DCT-II, <c>Ceps × Bands</c>.</summary>
        public float* Dct;
        /// <summary>Log band energies of the current frame, <c>Bands</c>.</summary>
        public float* Band;
        /// <summary>Running cepstral mean (streaming CMN), <c>Ceps</c>; starts at the model's speech mean.</summary>
        public float* Mean;
        public float* MeanInit;
        /// <summary>Ring of normalised feature frames, <c>HistoryLength × Features</c>.</summary>
        public float* History;
        /// <summary>Context offsets (frames, relative to the output frame), <c>ContextCount</c>.</summary>
        public int* Context;
        /// <summary>Model input, hidden layer and class scores.</summary>
        public float* InputVector;
        public float* HiddenVector;
        public float* Scores;
        /// <summary>Input standardisation, <c>Inputs</c> each: (x - Shift) · Scale.</summary>
        public float* Shift;
        public float* Scale;
        /// <summary>Layers: <c>W1</c> Hidden × Inputs, <c>B1</c> Hidden, <c>W2</c> Classes × Hidden, <c>B2</c> Classes.</summary>
        public float* W1;
        public float* B1;
        public float* W2;
        public float* B2;
        /// <summary>Jaw opening of each viseme, <c>Classes</c>.</summary>
        public float* Openness;
        /// <summary>Smoothed viseme weights (the output), <c>Classes</c>.</summary>
        public float* Weights;
    }
}
