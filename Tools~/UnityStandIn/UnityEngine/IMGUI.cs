// Stand-ins for the IMGUI types editor code names (api-signatures.md §20; UnityCsReference Modules/IMGUI/GUIContent.cs,
// GUILayoutOption.cs, GUILayout.cs). There is no GUI here: nothing is drawn and no button is ever pressed.
namespace UnityEngine
{
    // Modules/IMGUI/GUIContent.cs (the Texture overloads are left out: nothing here draws an image).
    public class GUIContent
    {
        public GUIContent() { }
        public GUIContent(string text) { this.text = text; }
        public GUIContent(string text, string tooltip) { this.text = text; this.tooltip = tooltip; }
        public GUIContent(GUIContent src) { text = src.text; tooltip = src.tooltip; }
        public string text { get; set; }
        public string tooltip { get; set; }
        public static GUIContent none = new GUIContent("");
    }

    // Modules/IMGUI/GUILayoutOption.cs: `public sealed class GUILayoutOption` with an internal constructor.
    public sealed class GUILayoutOption
    {
        internal GUILayoutOption() { }
    }

    // Modules/IMGUI/GUILayout.cs: `public partial class GUILayout`; `static public bool Button(string text, params GUILayoutOption[] options)`.
    public partial class GUILayout
    {
        public static bool Button(string text, params GUILayoutOption[] options) => false;
    }
}
