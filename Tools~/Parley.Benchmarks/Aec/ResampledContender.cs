using System;
using Parley.Audio;

namespace Parley.Benchmarks.Aec
{
    /// <summary>
    /// Runs a canceller at a rate it supports on a scene made at another: the microphone and the reference are
    /// converted to <see cref="InnerRate"/> (one <see cref="Resampler"/> each, High quality: flat to 0.45 of the lower
    /// rate, nothing folding back, linear phase, its delay removed), the output back to the scene's rate. How the
    /// 24 kHz scenes get a WebRTC figure: AudioProcessing 0.3 runs its AEC at 8, 16, 32 and 48 kHz only.
    /// </summary>
    public sealed class ResampledContender : IEchoContender
    {
        readonly IEchoContender m_Inner;

        public ResampledContender(IEchoContender inner, int innerRate)
        {
            m_Inner = inner;
            InnerRate = innerRate;
        }

        public int InnerRate { get; }
        public string Name => m_Inner.Name + " at " + InnerRate / 1000 + " kHz";
        public string Settings => m_Inner.Settings + "; run at " + InnerRate + " Hz, the scene's signals converted there and back (Parley's Resampler, High quality)";

        public float[] Run(float[] mic, float[] far, int rate, int trueDelay)
        {
            var up = new Resampler(rate, InnerRate, 1, ResamplerQuality.High);
            var down = new Resampler(InnerRate, rate, 1, ResamplerQuality.High);
            var micUp = up.ConvertClip(mic);
            var farUp = up.ConvertClip(far);
            var delay = (int)Math.Round(trueDelay * (double)InnerRate / rate);
            var outUp = m_Inner.Run(micUp, farUp, InnerRate, delay);
            var back = down.ConvertClip(outUp);
            var output = new float[mic.Length];
            Array.Copy(back, output, Math.Min(back.Length, output.Length));
            return output;
        }
    }
}
