using System;
using System.Threading;
using Parley.Audio.Kernels;

namespace Parley.Audio
{
    /// <summary>
    /// The kernels the audio path runs every frame (downmix, upmix, float ⇄ PCM16, level, resample, playout
    /// render), behind one switch: <see cref="Current"/>. The checked API (<see cref="ChannelMixer"/>,
    /// <see cref="PcmConvert"/>, <see cref="AudioLevel"/>, <see cref="Resampler"/>, <see cref="PlayoutBuffer"/>)
    /// calls them through it. This class runs the static kernels as managed code; with <c>com.unity.burst</c>
    /// installed, the optional <c>Parley.Burst</c> assembly installs a subclass whose overrides call the same
    /// kernels through <c>[BurstCompile]</c> direct-call entry points. One virtual call per block, never per sample.
    /// Overrides must give the same result bit for bit (<c>BurstFrameKernelsTests</c> checks it on real signals).
    /// </summary>
    public unsafe class FrameKernels
    {
        /// <summary>The managed kernels (the default everywhere but a Unity project with Burst).</summary>
        public static readonly FrameKernels Managed = new FrameKernels();

        static FrameKernels s_current = Managed;

        /// <summary>What the audio path uses; null restores <see cref="Managed"/>. Set once at start-up.</summary>
        public static FrameKernels Current
        {
            get => Volatile.Read(ref s_current);
            set => Volatile.Write(ref s_current, value ?? Managed);
        }

        /// <summary>For logs and tests: "managed", "burst".</summary>
        public virtual string Name => "managed";

        public virtual void Downmix(float* src, int frames, int channels, float* dst) => ChannelKernel.Downmix(src, frames, channels, dst);

        public virtual void Upmix(float* src, int frames, int channels, float* dst) => ChannelKernel.Upmix(src, frames, channels, dst);

        /// <summary>Round to nearest, clip, NaN → 0. Managed: SIMD where the runtime accelerates it, same bits as the kernel.</summary>
        public virtual void FloatToPcm16(float* src, int count, short* dst)
        {
            var done = Pcm16Vector.Enabled ? Pcm16Vector.FromFloat(new ReadOnlySpan<float>(src, count), new Span<short>(dst, count)) : 0;
            Pcm16Kernel.FromFloat(src + done, count - done, dst + done);
        }

        public virtual void Pcm16ToFloat(short* src, int count, float* dst) => Pcm16Kernel.ToFloat(src, count, dst);

        /// <summary>Root mean square (linear).</summary>
        public virtual float Rms(float* src, int count) => LevelKernel.Rms(src, count);

        /// <summary>One <see cref="PolyphaseKernel.Process"/> pass; returns the frames written.</summary>
        public virtual int Resample(PolyphaseState* state, float* coefficients, float* line, float* input, int frames, float* output) =>
            PolyphaseKernel.Process(ref *state, coefficients, line, input, frames, output);

        /// <summary>One <see cref="PlayoutKernel.Render"/> (audio thread); returns the samples that came from the buffer.</summary>
        public virtual int RenderPlayout(PlayoutMemory* memory, float* dst, int count) => PlayoutKernel.Render(memory, dst, count);

        /// <summary>One <see cref="PlayoutPeekKernel.Peek"/> (audio thread, before a render, for read-ahead); returns the samples copied.</summary>
        public virtual int PeekPlayout(PlayoutMemory* memory, int from, int flushThrough, float* dst, int max, int* start) =>
            PlayoutPeekKernel.Peek(memory, from, flushThrough, dst, max, start);
    }
}
