// Mesh geometry and Transform scale for procedural meshes (UnityCsReference 2021.3 Runtime/Export/Graphics/Mesh.cs:
// `vertices` (Vector3[]), `triangles` (int[]), `RecalculateNormals()`, `RecalculateBounds()` (the overloads without
// MeshUpdateFlags); Runtime/Transform/ScriptBindings/Transform.bindings.cs: `localScale { get; set; }`).
// Unity copies arrays in and out; the stand-in does the same. Triangles must index existing vertices and come in
// threes (Unity reports an error and keeps the old ones; exact text unconfirmed).
using System;
using Parley.Simulation;

namespace UnityEngine
{
    public sealed partial class Mesh
    {
        Vector3[] m_Vertices = Array.Empty<Vector3>();
        int[] m_Triangles = Array.Empty<int>();

        public Vector3[] vertices
        {
            get { Engine.MainThreadOnly("get_vertices"); return (Vector3[])m_Vertices.Clone(); }
            set { Engine.MainThreadOnly("set_vertices"); m_Vertices = value == null ? Array.Empty<Vector3>() : (Vector3[])value.Clone(); }
        }

        public int[] triangles
        {
            get { Engine.MainThreadOnly("get_triangles"); return (int[])m_Triangles.Clone(); }
            set
            {
                Engine.MainThreadOnly("set_triangles");
                var t = value ?? Array.Empty<int>();
                if (t.Length % 3 != 0) { Debug.LogError("Failed setting triangles. The number of supplied triangle indices must be a multiple of 3."); return; }
                foreach (var i in t)
                    if (i < 0 || i >= m_Vertices.Length) { Debug.LogError("Failed setting triangles. Some indices are referencing out of bounds vertices."); return; }
                m_Triangles = (int[])t.Clone();
            }
        }

        public void RecalculateNormals() => Engine.MainThreadOnly("RecalculateNormals");

        public void RecalculateBounds() => Engine.MainThreadOnly("RecalculateBounds");
    }

    public partial class Transform
    {
        Vector3 m_LocalScale = new Vector3(1f, 1f, 1f);

        public Vector3 localScale { get { Engine.MainThreadOnly("get_localScale"); return m_LocalScale; } set { Engine.MainThreadOnly("set_localScale"); m_LocalScale = value; } }
    }
}
