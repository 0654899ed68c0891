namespace Parley.Benchmarks.Aec
{
    /// <summary>No canceller: the microphone unchanged. Wrapped in a <see cref="ResampledContender"/> it measures what
    /// the rate conversion alone does to the figures.</summary>
    public sealed class PassThrough : IEchoContender
    {
        public string Name => "no canceller";
        public string Settings => "the microphone passed through unchanged";
        public float[] Run(float[] mic, float[] far, int rate, int trueDelay) => (float[])mic.Clone();
    }
}
