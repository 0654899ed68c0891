// The transform hierarchy as UnityCsReference declares it (Runtime/Transform/ScriptBindings/Transform.bindings.cs:
// `public Transform parent { get; set; }` (the setter is SetParent(value), keeping the world position),
// `public void SetParent(Transform p)` (= SetParent(p, true)), `public void SetParent(Transform parent, bool worldPositionStays)`,
// `public Vector3 localPosition { get; set; }`, `public int childCount { get; }`, `public Transform GetChild(int index)`).
// Rotation is not modelled anywhere in the stand-in, so a child's world position is its parent's world position plus its
// local position scaled by the parent's lossy scale (exact for unrotated hierarchies). Not modelled: destroying a parent
// does not destroy its children, and a parent cycle (Unity refuses it) throws instead of logging.
using System;
using System.Collections.Generic;
using Parley.Simulation;

namespace UnityEngine
{
    public partial class Transform
    {
        Transform m_Parent;
        readonly List<Transform> m_Children = new List<Transform>();

        public Transform parent
        {
            get { Engine.MainThreadOnly("get_parent"); return m_Parent; }
            set => SetParent(value);
        }

        public int childCount { get { Engine.MainThreadOnly("get_childCount"); return m_Children.Count; } }

        public Transform GetChild(int index)
        {
            Engine.MainThreadOnly("GetChild");
            if (index < 0 || index >= m_Children.Count) throw new UnityException("Transform child out of bounds");
            return m_Children[index];
        }

        /// <summary>Position relative to the parent (the world position at the root).</summary>
        public Vector3 localPosition
        {
            get { Engine.MainThreadOnly("get_localPosition"); return m_Position; }
            set { Engine.MainThreadOnly("set_localPosition"); m_Position = value; }
        }

        public void SetParent(Transform p) => SetParent(p, true);

        public void SetParent(Transform parent, bool worldPositionStays)
        {
            Engine.MainThreadOnly("SetParent");
            for (var t = parent; t != null; t = t.m_Parent)
                if (ReferenceEquals(t, this)) throw new InvalidOperationException("A transform cannot be parented to itself or to one of its children.");
            var world = WorldPosition();
            var worldScale = LossyScale();
            m_Parent?.m_Children.Remove(this);
            m_Parent = parent;
            parent?.m_Children.Add(this);
            if (!worldPositionStays) return;
            SetWorldPosition(world);
            var ps = parent == null ? new Vector3(1f, 1f, 1f) : parent.LossyScale();
            m_LocalScale = new Vector3(Div(worldScale.x, ps.x), Div(worldScale.y, ps.y), Div(worldScale.z, ps.z));
        }

        // Read by the audio thread too (PositionUnchecked): no main-thread check.
        internal Vector3 WorldPosition()
        {
            if (m_Parent == null) return m_Position;
            var p = m_Parent.WorldPosition();
            var s = m_Parent.LossyScale();
            return new Vector3(p.x + s.x * m_Position.x, p.y + s.y * m_Position.y, p.z + s.z * m_Position.z);
        }

        void SetWorldPosition(Vector3 world)
        {
            if (m_Parent == null) { m_Position = world; return; }
            var p = m_Parent.WorldPosition();
            var s = m_Parent.LossyScale();
            m_Position = new Vector3(Div(world.x - p.x, s.x), Div(world.y - p.y, s.y), Div(world.z - p.z, s.z));
        }

        Vector3 LossyScale()
        {
            if (m_Parent == null) return m_LocalScale;
            var s = m_Parent.LossyScale();
            return new Vector3(s.x * m_LocalScale.x, s.y * m_LocalScale.y, s.z * m_LocalScale.z);
        }

        static float Div(float a, float b) => b == 0f ? 0f : a / b;
    }
}
