// Stand-ins for UnityEngine.Transform (UnityCsReference Runtime/Transform/ScriptBindings/Transform.bindings.cs:
// `public partial class Transform : Component, IEnumerable`, protected ctor, `position { get; set; }`) and
// UnityEngine.Vector3 (Runtime/Export/Math/Vector3.cs: public fields x, y, z; ctor(x, y, z); zero; Distance).
// Position (local, under a parent: TransformHierarchy.cs) and scale are modelled, not rotation: the simulated mixer
// needs world positions for distance.
using System;
using System.Collections;
using Parley.Simulation;

namespace UnityEngine
{
    public partial class Transform : Component, IEnumerable
    {
        Vector3 m_Position; // local position (world at the root)

        protected Transform() { }

        internal static Transform CreateInternal() => new Transform();

        public Vector3 position
        {
            get { Engine.MainThreadOnly("get_position"); return WorldPosition(); }
            set { Engine.MainThreadOnly("set_position"); SetWorldPosition(value); }
        }

        // The audio thread reads positions the main thread wrote (the real mixer uses its own copy).
        internal Vector3 PositionUnchecked => WorldPosition();

        public IEnumerator GetEnumerator() => m_Children.ToArray().GetEnumerator();
    }

    [Serializable]
    public partial struct Vector3 : IEquatable<Vector3>, IFormattable
    {
        public float x;
        public float y;
        public float z;

        public Vector3(float x, float y, float z) { this.x = x; this.y = y; this.z = z; }

        public static Vector3 zero => new Vector3(0f, 0f, 0f);

        public static float Distance(Vector3 a, Vector3 b)
        {
            float dx = a.x - b.x, dy = a.y - b.y, dz = a.z - b.z;
            return (float)Math.Sqrt(dx * dx + dy * dy + dz * dz);
        }

        public bool Equals(Vector3 other) => x == other.x && y == other.y && z == other.z;
        public override bool Equals(object other) => other is Vector3 v && Equals(v);
        public override int GetHashCode() => x.GetHashCode() ^ (y.GetHashCode() << 2) ^ (z.GetHashCode() >> 2);
        public override string ToString() => ToString(null, null);

        public string ToString(string format) => ToString(format, null);

        public string ToString(string format, IFormatProvider formatProvider)
        {
            if (string.IsNullOrEmpty(format)) format = "F2";
            var p = formatProvider ?? System.Globalization.CultureInfo.InvariantCulture.NumberFormat;
            return "(" + x.ToString(format, p) + ", " + y.ToString(format, p) + ", " + z.ToString(format, p) + ")";
        }
    }
}
