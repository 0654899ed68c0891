// Stand-in for UnityEngine.Object and the component hierarchy (api-signatures.md §6; UnityCsReference
// Runtime/Export/Scripting/UnityEngineObject.bindings.cs, Component.bindings.cs, Behaviour.bindings.cs,
// MonoBehaviour.bindings.cs). Behaviour as in Unity: a destroyed object compares equal to null; Destroy is
// deferred to the end of the frame, DestroyImmediate is not; enabling and disabling send OnEnable/OnDisable
// while the player runs (the lifecycle itself lives in Parley.Simulation.Lifecycle).
using System;
using System.Collections.Generic;
using System.Threading;
using Parley.Simulation;

namespace UnityEngine
{
    public partial class Object
    {
        static int s_NextInstanceId;
        readonly int m_InstanceId = Interlocked.Increment(ref s_NextInstanceId);
        string m_Name;
        internal bool m_Destroyed;

        public string name
        {
            get { Engine.MainThreadOnly("get_name"); return m_Name; }
            set { Engine.MainThreadOnly("set_name"); m_Name = value; }
        }

        internal string NameUnchecked { get => m_Name; set => m_Name = value; }

        public int GetInstanceID() => m_InstanceId;

        public override int GetHashCode() => m_InstanceId;

        public override bool Equals(object other) => other is Object o ? CompareBaseObjects(this, o) : other == null && IsNullOrDestroyed(this);

        public static implicit operator bool(Object exists) => !IsNullOrDestroyed(exists);

        public static bool operator ==(Object x, Object y) => CompareBaseObjects(x, y);

        public static bool operator !=(Object x, Object y) => !CompareBaseObjects(x, y);

        static bool IsNullOrDestroyed(Object o) => (object)o == null || o.m_Destroyed;

        static bool CompareBaseObjects(Object a, Object b)
        {
            bool aNull = IsNullOrDestroyed(a), bNull = IsNullOrDestroyed(b);
            if (aNull || bNull) return aNull && bNull;
            return ReferenceEquals(a, b);
        }

        public static void Destroy(Object obj) => Destroy(obj, 0f);

        public static void Destroy(Object obj, float t)
        {
            Engine.MainThreadOnly("Destroy");
            if (IsNullOrDestroyed(obj)) return;
            Lifecycle.ScheduleDestroy(obj, t);
        }

        public static void DestroyImmediate(Object obj) => DestroyImmediate(obj, false);

        public static void DestroyImmediate(Object obj, bool allowDestroyingAssets)
        {
            Engine.MainThreadOnly("DestroyImmediate");
            if (IsNullOrDestroyed(obj)) return;
            Lifecycle.DestroyNow(obj);
        }

        // api-signatures.md §6 (UnityCsReference Runtime/Export/Scripting/UnityEngineObject.bindings.cs:
        // `public static void DontDestroyOnLoad([NotNull] Object target)`). The object's GameObject (a component's
        // too) survives a scene unload (Parley.Simulation.SimulatedPlayer.UnloadScene); no hierarchy is modelled,
        // so every GameObject is a root.
        public static void DontDestroyOnLoad(Object target)
        {
            Engine.MainThreadOnly("DontDestroyOnLoad");
            if ((object)target == null) throw new ArgumentNullException(nameof(target));
            var go = target as GameObject ?? (target as Component)?.m_GameObject;
            if (go != null) go.m_DontDestroyOnLoad = true;
        }

        // api-signatures.md §6 (UnityCsReference Runtime/Export/Scripting/UnityEngineObject.bindings.cs:
        // `public static T FindObjectOfType<T>() where T : Object`; [Obsolete] only from 2023.1). As documented: the
        // first loaded object of the type on an active GameObject, in scene order; inactive objects are not returned.
        public static T FindObjectOfType<T>() where T : Object
        {
            Engine.MainThreadOnly("FindObjectOfType");
            foreach (var go in Lifecycle.Scene)
            {
                if (!go.ActiveInHierarchyUnchecked) continue;
                if (go is T self) return self;
                foreach (var c in go.m_Components)
                    if (!c.m_Destroyed && c is T t) return t;
            }
            return null;
        }

        public override string ToString() => (m_Name ?? "") + " (" + GetType().FullName + ")";
    }

    public partial class Component : Object
    {
        internal GameObject m_GameObject;

        public GameObject gameObject { get { Engine.MainThreadOnly("get_gameObject"); return m_GameObject; } }

        public Transform transform { get { Engine.MainThreadOnly("get_transform"); return m_GameObject?.TransformUnchecked; } }

        public T GetComponent<T>() => m_GameObject.GetComponent<T>();

        public Component GetComponent(Type type) => m_GameObject.GetComponent(type);

        public bool TryGetComponent<T>(out T component) => m_GameObject.TryGetComponent(out component);

        public T[] GetComponents<T>() => m_GameObject.GetComponents<T>();

        public void GetComponents<T>(List<T> results) => m_GameObject.GetComponents(results);
    }

    public class Behaviour : Component
    {
        bool m_Enabled = true;

        public bool enabled
        {
            get { Engine.MainThreadOnly("get_enabled"); return m_Enabled; }
            set
            {
                Engine.MainThreadOnly("set_enabled");
                if (m_Enabled == value) return;
                m_Enabled = value;
                Lifecycle.EnabledChanged(this);
            }
        }

        internal bool EnabledUnchecked => m_Enabled;

        public bool isActiveAndEnabled
        {
            get { Engine.MainThreadOnly("get_isActiveAndEnabled"); return m_Enabled && m_GameObject != null && m_GameObject.ActiveInHierarchyUnchecked; }
        }
    }

    public class MonoBehaviour : Behaviour
    {
        public MonoBehaviour() { }

        // Lifecycle bookkeeping of the simulated player (Unity keeps the same state natively).
        internal bool m_Awoken;
        internal bool m_Started;
        internal Action m_Update;
        internal Action m_LateUpdate;
        internal Action<float[], int> m_AudioFilter;
    }
}
