using Parley.Audio.Kernels;
using Unity.Burst;
using Unity.Collections;
using Unity.Collections.LowLevel.Unsafe;
using Unity.Jobs;

namespace Parley.Burst
{
    /// <summary>
    /// Playout hot path as a Burst job: PCM16 from the provider → float samples. Converts
    /// min(Input.Length, Output.Length) samples (a job cannot throw, so a short buffer is not overrun).
    /// </summary>
    [BurstCompile]
    public unsafe struct Pcm16ToFloatJob : IJob
    {
        [ReadOnly] public NativeArray<short> Input;
        [WriteOnly] public NativeArray<float> Output;

        public int Count => System.Math.Min(Input.Length, Output.Length);

        public void Execute()
        {
            var count = Count;
            if (count == 0) return;
            Pcm16Kernel.ToFloat((short*)Input.GetUnsafeReadOnlyPtr(), count, (float*)Output.GetUnsafePtr());
        }
    }
}
