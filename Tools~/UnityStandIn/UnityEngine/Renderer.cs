// Stand-ins for UnityEngine.Renderer, SkinnedMeshRenderer and Mesh blend shapes (api-signatures.md §8; UnityCsReference
// Runtime/Export/Graphics/GraphicsRenderers.bindings.cs, Mesh.bindings.cs, Mesh.cs). Renderer is a Component,
// not a Behaviour. Every SetBlendShapeWeight is recorded by the simulated player (SimulatedPlayer.BlendShapes).
// Blend shapes are declared the Unity way, with Mesh.AddBlendShapeFrame; vertices are not modelled.
using System;
using System.Collections.Generic;
using Parley.Simulation;

namespace UnityEngine
{
    public partial class Renderer : Component
    {
        bool m_Enabled = true;

        public bool enabled
        {
            get { Engine.MainThreadOnly("get_enabled"); return m_Enabled; }
            set { Engine.MainThreadOnly("set_enabled"); m_Enabled = value; }
        }
    }

    public partial class SkinnedMeshRenderer : Renderer
    {
        Mesh m_Mesh;
        float[] m_Weights = Array.Empty<float>();

        public Mesh sharedMesh
        {
            get { Engine.MainThreadOnly("get_sharedMesh"); return m_Mesh; }
            set { Engine.MainThreadOnly("set_sharedMesh"); m_Mesh = value; }
        }

        public float GetBlendShapeWeight(int index)
        {
            Engine.MainThreadOnly("GetBlendShapeWeight");
            return index >= 0 && index < m_Weights.Length ? m_Weights[index] : 0f;
        }

        // Out-of-range indices: Unity reports an error and changes nothing (exact text unconfirmed).
        public void SetBlendShapeWeight(int index, float value)
        {
            Engine.MainThreadOnly("SetBlendShapeWeight");
            var count = m_Mesh != null ? m_Mesh.BlendShapeCountUnchecked : 0;
            if (index < 0 || index >= count)
            {
                Debug.LogError("SetBlendShapeWeight: index " + index + " is out of bounds (blend shapes: " + count + ").");
                return;
            }
            if (m_Weights.Length < count) Array.Resize(ref m_Weights, count);
            m_Weights[index] = value;
            Engine.Player?.RecordBlendShape(this, index, value);
        }
    }

    public sealed partial class Mesh : Object
    {
        readonly List<string> m_BlendShapes = new List<string>();

        public Mesh() { Engine.MainThreadOnly("Internal_Create"); }

        internal int BlendShapeCountUnchecked => m_BlendShapes.Count;

        public int blendShapeCount { get { Engine.MainThreadOnly("get_blendShapeCount"); return m_BlendShapes.Count; } }

        public string GetBlendShapeName(int shapeIndex)
        {
            Engine.MainThreadOnly("GetBlendShapeName");
            if (shapeIndex < 0 || shapeIndex >= m_BlendShapes.Count) throw new ArgumentOutOfRangeException(nameof(shapeIndex));
            return m_BlendShapes[shapeIndex];
        }

        public int GetBlendShapeIndex(string blendShapeName)
        {
            Engine.MainThreadOnly("GetBlendShapeIndex");
            return m_BlendShapes.IndexOf(blendShapeName);
        }

        public void AddBlendShapeFrame(string shapeName, float frameWeight, Vector3[] deltaVertices, Vector3[] deltaNormals, Vector3[] deltaTangents)
        {
            Engine.MainThreadOnly("AddBlendShapeFrame");
            if (!m_BlendShapes.Contains(shapeName)) m_BlendShapes.Add(shapeName);
        }

        public void ClearBlendShapes()
        {
            Engine.MainThreadOnly("ClearBlendShapes");
            m_BlendShapes.Clear();
        }
    }
}
