// Stand-ins for UnityEngine.Material (UnityCsReference 2021.3 Runtime/Export/Shaders/Material.bindings.cs:
// `public partial class Material : Object`, `Material(Material source)`, `color { get; set; }`), UnityEngine.Color
// (Runtime/Export/Math/Color.cs: `public struct Color : IEquatable<Color>, IFormattable`, fields r g b a, ctors
// (r, g, b, a) and (r, g, b) with a = 1) and Renderer's material members (GraphicsRenderers.bindings.cs:
// `material` (an instance of the shared material, made on first access) and `sharedMaterial`).
using System;
using System.Globalization;
using Parley.Simulation;

namespace UnityEngine
{
    public partial class Material : Object
    {
        Color m_Color = new Color(1f, 1f, 1f, 1f);

        internal Material() { }

        public Material(Material source)
        {
            Engine.MainThreadOnly("CreateWithMaterial");
            if (source == null) throw new ArgumentNullException(nameof(source));
            m_Color = source.m_Color;
        }

        public Color color { get { Engine.MainThreadOnly("get_color"); return m_Color; } set { Engine.MainThreadOnly("set_color"); m_Color = value; } }
    }

    public partial class Renderer
    {
        Material m_SharedMaterial;
        bool m_OwnsMaterial;

        public Material sharedMaterial
        {
            get { Engine.MainThreadOnly("GetSharedMaterial"); return m_SharedMaterial; }
            set { Engine.MainThreadOnly("SetMaterial"); m_SharedMaterial = value; m_OwnsMaterial = false; }
        }

        public Material material
        {
            get
            {
                Engine.MainThreadOnly("GetMaterial");
                if (!m_OwnsMaterial && m_SharedMaterial != null) { m_SharedMaterial = new Material(m_SharedMaterial); m_OwnsMaterial = true; }
                return m_SharedMaterial;
            }
            set { Engine.MainThreadOnly("SetMaterial"); m_SharedMaterial = value; m_OwnsMaterial = false; }
        }
    }

    [Serializable]
    public struct Color : IEquatable<Color>, IFormattable
    {
        public float r;
        public float g;
        public float b;
        public float a;

        public Color(float r, float g, float b, float a) { this.r = r; this.g = g; this.b = b; this.a = a; }
        public Color(float r, float g, float b) { this.r = r; this.g = g; this.b = b; a = 1f; }

        public bool Equals(Color other) => r == other.r && g == other.g && b == other.b && a == other.a;
        public override bool Equals(object other) => other is Color c && Equals(c);
        public override int GetHashCode() => r.GetHashCode() ^ (g.GetHashCode() << 2) ^ (b.GetHashCode() >> 2) ^ (a.GetHashCode() >> 1);
        public override string ToString() => ToString(null, null);
        public string ToString(string format) => ToString(format, null);

        public string ToString(string format, IFormatProvider formatProvider)
        {
            if (string.IsNullOrEmpty(format)) format = "F3";
            var p = formatProvider ?? CultureInfo.InvariantCulture.NumberFormat;
            return "RGBA(" + r.ToString(format, p) + ", " + g.ToString(format, p) + ", " + b.ToString(format, p) + ", " + a.ToString(format, p) + ")";
        }
    }
}
