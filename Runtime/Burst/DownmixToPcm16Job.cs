using Parley.Audio.Kernels;
using Unity.Burst;
using Unity.Collections;
using Unity.Collections.LowLevel.Unsafe;
using Unity.Jobs;

namespace Parley.Burst
{
    /// <summary>
    /// Capture hot path as a Burst job: interleaved float frames from the microphone → mono PCM16 for the
    /// provider. Converts min(Input.Length / Channels, Output.Length) frames, so a mis-sized buffer is cut
    /// short rather than overrun (a job cannot throw); <see cref="Frames"/> says how many.
    /// </summary>
    [BurstCompile]
    public unsafe struct DownmixToPcm16Job : IJob
    {
        [ReadOnly] public NativeArray<float> Input;
        public int Channels;
        [WriteOnly] public NativeArray<short> Output;

        /// <summary>Frames the job converts for the current buffers (0 when <see cref="Channels"/> &lt; 1).</summary>
        public int Frames => Channels < 1 ? 0 : System.Math.Min(Input.Length / Channels, Output.Length);

        public void Execute()
        {
            var frames = Frames;
            if (frames == 0) return;
            Pcm16Kernel.DownmixFromFloat((float*)Input.GetUnsafeReadOnlyPtr(), frames, Channels, (short*)Output.GetUnsafePtr());
        }
    }
}
