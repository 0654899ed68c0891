using Parley.Audio.Kernels;
using Unity.Burst;

namespace Parley.Burst
{
    /// <summary>
    /// Burst-compiled entry points (direct call, Burst ≥ 1.6) for the hot <see cref="Parley.Audio.Kernels"/>: in
    /// the Editor and players with Burst these run as native code; called before Burst has compiled them (or with
    /// Burst disabled) they run as the same managed kernels. <see cref="BurstFrameKernels"/> routes the audio path here. Pointers and
    /// blittable state only, no checks: size the buffers as the kernels document, or use the checked
    /// <see cref="Parley.Audio.PcmConvert"/>/<see cref="Parley.Audio.ChannelMixer"/> API from managed code.
    /// </summary>
    [BurstCompile]
    public static unsafe class BurstAudioKernels
    {
        /// <summary>Interleaved float frames → mono PCM16 (capture path). <paramref name="dst"/> holds <paramref name="frames"/> samples.</summary>
        [BurstCompile]
        public static void DownmixToPcm16(float* src, int frames, int channels, short* dst) =>
            Pcm16Kernel.DownmixFromFloat(src, frames, channels, dst);

        [BurstCompile]
        public static void Downmix(float* src, int frames, int channels, float* dst) =>
            ChannelKernel.Downmix(src, frames, channels, dst);

        [BurstCompile]
        public static void Upmix(float* src, int frames, int channels, float* dst) =>
            ChannelKernel.Upmix(src, frames, channels, dst);

        [BurstCompile]
        public static void FloatToPcm16(float* src, int count, short* dst) => Pcm16Kernel.FromFloat(src, count, dst);

        /// <summary>With TPDF dither; <paramref name="rng"/> is advanced in place.</summary>
        [BurstCompile]
        public static void FloatToPcm16Dithered(float* src, int count, short* dst, DitherState* rng) =>
            Pcm16Kernel.FromFloatDithered(src, count, dst, ref *rng);

        /// <summary>Playout path: PCM16 from the provider → float for the mixer.</summary>
        [BurstCompile]
        public static void Pcm16ToFloat(short* src, int count, float* dst) => Pcm16Kernel.ToFloat(src, count, dst);

        /// <summary>Base64 of <paramref name="count"/> bytes; <paramref name="dst"/> holds Base64Kernel.EncodedLength(count) bytes. Returns bytes written.</summary>
        [BurstCompile]
        public static int Base64Encode(byte* src, int count, byte* dst) => Base64Kernel.Encode(src, count, dst);

        /// <summary>Returns bytes written, or -1 for invalid base64.</summary>
        [BurstCompile]
        public static int Base64Decode(byte* src, int count, byte* dst) => Base64Kernel.Decode(src, count, dst);

        [BurstCompile]
        public static void MuLawEncode(short* src, int count, byte* dst) => G711Kernel.MuLawEncode(src, count, dst);

        [BurstCompile]
        public static void MuLawDecode(byte* src, int count, short* dst) => G711Kernel.MuLawDecode(src, count, dst);

        [BurstCompile]
        public static void ALawEncode(short* src, int count, byte* dst) => G711Kernel.ALawEncode(src, count, dst);

        [BurstCompile]
        public static void ALawDecode(byte* src, int count, short* dst) => G711Kernel.ALawDecode(src, count, dst);

        [BurstCompile]
        public static float Rms(float* src, int count) => LevelKernel.Rms(src, count);

        [BurstCompile]
        public static float RmsDbfs(float* src, int count) => LevelKernel.RmsDbfs(src, count);

        [BurstCompile]
        public static float PeakDbfs(float* src, int count) => LevelKernel.PeakDbfs(src, count);

        /// <summary>Resampling: one polyphase pass over the state, tables and line a <c>Resampler</c> owns. Returns frames written.</summary>
        [BurstCompile]
        public static int Resample(PolyphaseState* state, float* coefficients, float* line, float* input, int frames, float* output) =>
            PolyphaseKernel.Process(ref *state, coefficients, line, input, frames, output);

        /// <summary>Playout render (audio thread): the jitter buffer's drain with fades. Returns samples that came from the buffer.</summary>
        [BurstCompile]
        public static int RenderPlayout(PlayoutMemory* memory, float* dst, int count) => PlayoutKernel.Render(memory, dst, count);

        /// <summary>Playout read-ahead (audio thread): queued audio copied without consuming it. Returns samples copied.</summary>
        [BurstCompile]
        public static int PeekPlayout(PlayoutMemory* memory, int from, int flushThrough, float* dst, int max, int* start) =>
            PlayoutPeekKernel.Peek(memory, from, flushThrough, dst, max, start);

        [BurstCompile]
        public static void LinearFade(float* samples, int frames, int channels, float from, float to, int position, int length) =>
            FadeKernel.Linear(samples, frames, channels, from, to, position, length);
    }
}
