using Parley.Audio;
using Parley.Audio.Kernels;
using UnityEngine;

namespace Parley.Burst
{
    /// <summary>
    /// The audio path's per-frame kernels through <see cref="BurstAudioKernels"/>' <c>[BurstCompile]</c> entry
    /// points: the same static kernels, compiled by Burst. Installed as <see cref="FrameKernels.Current"/> when
    /// the player (or play mode) starts, before any scene loads; this assembly exists only when
    /// <c>com.unity.burst</c> is installed (define constraint), so without Burst the managed kernels run.
    /// </summary>
    public sealed unsafe class BurstFrameKernels : FrameKernels
    {
        public static readonly BurstFrameKernels Instance = new BurstFrameKernels();

        BurstFrameKernels() { }

        // SubsystemRegistration runs on every entry to play mode too, also with domain reload off.
        [RuntimeInitializeOnLoadMethod(RuntimeInitializeLoadType.SubsystemRegistration)]
        public static void Install() => Current = Instance;

        public override string Name => "burst";

        public override void Downmix(float* src, int frames, int channels, float* dst) => BurstAudioKernels.Downmix(src, frames, channels, dst);

        public override void Upmix(float* src, int frames, int channels, float* dst) => BurstAudioKernels.Upmix(src, frames, channels, dst);

        public override void FloatToPcm16(float* src, int count, short* dst) => BurstAudioKernels.FloatToPcm16(src, count, dst);

        public override void Pcm16ToFloat(short* src, int count, float* dst) => BurstAudioKernels.Pcm16ToFloat(src, count, dst);

        public override float Rms(float* src, int count) => BurstAudioKernels.Rms(src, count);

        public override int Resample(PolyphaseState* state, float* coefficients, float* line, float* input, int frames, float* output) =>
            BurstAudioKernels.Resample(state, coefficients, line, input, frames, output);

        public override int RenderPlayout(PlayoutMemory* memory, float* dst, int count) => BurstAudioKernels.RenderPlayout(memory, dst, count);

        public override int PeekPlayout(PlayoutMemory* memory, int from, int flushThrough, float* dst, int max, int* start) =>
            BurstAudioKernels.PeekPlayout(memory, from, flushThrough, dst, max, start);
    }
}
