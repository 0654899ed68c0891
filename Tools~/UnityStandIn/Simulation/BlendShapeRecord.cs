// One SkinnedMeshRenderer.SetBlendShapeWeight call, as the simulated player recorded it.
using UnityEngine;

namespace Parley.Simulation
{
    public readonly struct BlendShapeRecord
    {
        public BlendShapeRecord(int frame, double time, SkinnedMeshRenderer renderer, int index, float weight)
        {
            Frame = frame;
            Time = time;
            Renderer = renderer;
            Index = index;
            Weight = weight;
        }

        /// <summary>Time.frameCount of the call.</summary>
        public int Frame { get; }

        /// <summary>Virtual seconds since the player started.</summary>
        public double Time { get; }

        public SkinnedMeshRenderer Renderer { get; }
        public int Index { get; }
        public float Weight { get; }
    }
}
