// Stand-ins for what the samples build their scenes from in code. UnityCsReference 2021.3:
// Camera (Runtime/Export/Camera/Camera.bindings.cs: `public sealed partial class Camera : Behaviour`),
// Light and LightType (Runtime/Export/Graphics/Light.bindings.cs: `public sealed partial class Light : Behaviour`;
// GraphicsComponents.bindings.cs: `type`, `intensity`; GraphicsEnums.cs: `enum LightType { Spot = 0, Directional = 1,
// Point = 2, ... }`), PrimitiveType (Runtime/Export/BaseClass.cs) and GameObject.CreatePrimitive
// (Runtime/Export/Scripting/GameObject.bindings.cs: `public static GameObject CreatePrimitive(PrimitiveType type)`),
// MeshRenderer (Runtime/Export/Graphics/GraphicsRenderers.bindings.cs: `public partial class MeshRenderer : Renderer`).
// Nothing is rendered; a primitive gets a MeshRenderer with its own default material, as in Unity (no collider).
using Parley.Simulation;

namespace UnityEngine
{
    public sealed partial class Camera : Behaviour { }

    public sealed partial class Light : Behaviour
    {
        LightType m_Type = LightType.Point;
        float m_Intensity = 1f;

        public LightType type { get { Engine.MainThreadOnly("get_type"); return m_Type; } set { Engine.MainThreadOnly("set_type"); m_Type = value; } }
        public float intensity { get { Engine.MainThreadOnly("get_intensity"); return m_Intensity; } set { Engine.MainThreadOnly("set_intensity"); m_Intensity = value; } }
    }

    public enum LightType { Spot = 0, Directional = 1, Point = 2, Area = 3, Rectangle = 3, Disc = 4 }

    public enum PrimitiveType { Sphere = 0, Capsule = 1, Cylinder = 2, Cube = 3, Plane = 4, Quad = 5 }

    public partial class MeshRenderer : Renderer { }

    public sealed partial class GameObject
    {
        public static GameObject CreatePrimitive(PrimitiveType type)
        {
            Engine.MainThreadOnly("CreatePrimitive");
            var go = new GameObject(type.ToString());
            go.AddComponent<MeshRenderer>().sharedMaterial = new Material();
            return go;
        }
    }
}
