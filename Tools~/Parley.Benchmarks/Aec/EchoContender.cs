namespace Parley.Benchmarks.Aec
{
    /// <summary>One echo canceller under comparison: whole signals in, the output aligned with the microphone out.</summary>
    public interface IEchoContender
    {
        string Name { get; }
        /// <summary>Settings as reported in BENCHMARKS.md.</summary>
        string Settings { get; }
        /// <param name="trueDelay">The echo path's delay in samples (the references are given it; Parley finds it itself).</param>
        float[] Run(float[] mic, float[] far, int rate, int trueDelay);
    }
}
