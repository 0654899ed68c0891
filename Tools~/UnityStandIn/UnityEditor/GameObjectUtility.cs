// UnityEditor.GameObjectUtility.SetParentAndAlign as UnityCsReference declares it (Editor/Mono/GameObjectUtility.bindings.cs:
// `public sealed partial class GameObjectUtility`, `public static void SetParentAndAlign(GameObject child, GameObject parent)`):
// nothing for a null parent, else SetParent(parent.transform, false), local position zero, local scale one. The
// stand-in has no rotation or layers, so localRotation = identity and the recursive layer copy have nothing to set.
using UnityEngine;

namespace UnityEditor
{
    public sealed partial class GameObjectUtility
    {
        public static void SetParentAndAlign(GameObject child, GameObject parent)
        {
            if (parent == null) return;
            child.transform.SetParent(parent.transform, false);
            child.transform.localPosition = Vector3.zero;
            child.transform.localScale = new Vector3(1f, 1f, 1f);
        }
    }
}
