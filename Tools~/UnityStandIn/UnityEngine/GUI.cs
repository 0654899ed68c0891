// Stand-ins for the immediate-mode GUI the samples draw subtitles and checklists with: UnityEngine.GUI (UnityCsReference
// 2021.3 Modules/IMGUI/GUI.cs: `public partial class GUI`, `Label(Rect position, string text)`, `Box(Rect position,
// string text)`, `bool Button(Rect position, string text)`), UnityEngine.Rect (Runtime/Export/Geometry/Rect.cs: `public partial struct Rect : IEquatable<Rect>,
// IFormattable`, ctor(x, y, width, height)) and UnityEngine.Screen (Runtime/Export/Device/Screen.cs: `public static
// class Screen`, `width`/`height` get-only). Nothing is drawn: the simulated player has no screen (1920 x 1080).
using System;
using System.Globalization;
using Parley.Simulation;

namespace UnityEngine
{
    public partial class GUI
    {
        public static void Label(Rect position, string text) => Engine.MainThreadOnly("Label");

        public static void Box(Rect position, string text) => Engine.MainThreadOnly("Box");

        /// <returns>Whether the button was clicked this frame (never, without a screen).</returns>
        public static bool Button(Rect position, string text) { Engine.MainThreadOnly("Button"); return false; }
    }

    public partial struct Rect : IEquatable<Rect>, IFormattable
    {
        float m_XMin, m_YMin, m_Width, m_Height;

        public Rect(float x, float y, float width, float height) { m_XMin = x; m_YMin = y; m_Width = width; m_Height = height; }

        public float x { get => m_XMin; set => m_XMin = value; }
        public float y { get => m_YMin; set => m_YMin = value; }
        public float width { get => m_Width; set => m_Width = value; }
        public float height { get => m_Height; set => m_Height = value; }

        public bool Equals(Rect other) => m_XMin == other.m_XMin && m_YMin == other.m_YMin && m_Width == other.m_Width && m_Height == other.m_Height;
        public override bool Equals(object other) => other is Rect r && Equals(r);
        public override int GetHashCode() => m_XMin.GetHashCode() ^ (m_Width.GetHashCode() << 2) ^ (m_YMin.GetHashCode() >> 2) ^ (m_Height.GetHashCode() >> 1);
        public override string ToString() => ToString(null, null);
        public string ToString(string format) => ToString(format, null);

        public string ToString(string format, IFormatProvider formatProvider)
        {
            if (string.IsNullOrEmpty(format)) format = "F2";
            var p = formatProvider ?? CultureInfo.InvariantCulture.NumberFormat;
            return "(x:" + x.ToString(format, p) + ", y:" + y.ToString(format, p) + ", width:" + width.ToString(format, p) + ", height:" + height.ToString(format, p) + ")";
        }
    }

    public static class Screen
    {
        public static int width { get { Engine.MainThreadOnly("get_width"); return 1920; } }
        public static int height { get { Engine.MainThreadOnly("get_height"); return 1080; } }
    }
}
