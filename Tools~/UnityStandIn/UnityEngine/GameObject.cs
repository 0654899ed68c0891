// Stand-in for UnityEngine.GameObject (api-signatures.md §6; UnityCsReference Runtime/Export/Scripting/GameObject.bindings.cs).
// Components are kept in the order they were added (Inspector order, which is also the order of the
// OnAudioFilterRead chain). A GameObject has a Transform from birth, as in Unity.
using System;
using System.Collections.Generic;
using Parley.Simulation;

namespace UnityEngine
{
    public sealed partial class GameObject : Object
    {
        internal readonly List<Component> m_Components = new List<Component>();
        bool m_ActiveSelf = true;
        internal bool m_DontDestroyOnLoad;

        public GameObject() : this("New Game Object") { }

        public GameObject(string name) : this(name, Array.Empty<Type>()) { }

        public GameObject(string name, params Type[] components)
        {
            Engine.MainThreadOnly("Internal_CreateGameObject");
            NameUnchecked = name;
            var transform = Transform.CreateInternal();
            transform.m_GameObject = this;
            transform.NameUnchecked = name;
            m_Components.Add(transform);
            Lifecycle.Register(this);
            foreach (var t in components) AddComponent(t);
        }

        internal Transform TransformUnchecked => (Transform)m_Components[0];

        public Transform transform { get { Engine.MainThreadOnly("get_transform"); return TransformUnchecked; } }

        public bool activeSelf { get { Engine.MainThreadOnly("get_activeSelf"); return m_ActiveSelf; } }

        public bool activeInHierarchy { get { Engine.MainThreadOnly("get_activeInHierarchy"); return ActiveInHierarchyUnchecked; } }

        // No parenting is modelled: active in hierarchy is active self, for a live object.
        internal bool ActiveInHierarchyUnchecked => m_ActiveSelf && !m_Destroyed;

        public void SetActive(bool value)
        {
            Engine.MainThreadOnly("SetActive");
            if (m_ActiveSelf == value) return;
            m_ActiveSelf = value;
            Lifecycle.ActiveChanged(this);
        }

        public T AddComponent<T>() where T : Component => (T)AddComponent(typeof(T));

        public Component AddComponent(Type componentType)
        {
            Engine.MainThreadOnly("AddComponent");
            if (componentType == null) throw new ArgumentNullException(nameof(componentType));
            return Lifecycle.AddComponent(this, componentType);
        }

        public T GetComponent<T>()
        {
            Engine.MainThreadOnly("GetComponent");
            foreach (var c in m_Components)
                if (!c.m_Destroyed && c is T t) return t;
            return default;
        }

        public Component GetComponent(Type type)
        {
            Engine.MainThreadOnly("GetComponent");
            foreach (var c in m_Components)
                if (!c.m_Destroyed && type.IsInstanceOfType(c)) return c;
            return null;
        }

        public bool TryGetComponent<T>(out T component)
        {
            component = GetComponent<T>();
            return component != null;
        }

        public T[] GetComponents<T>()
        {
            var list = new List<T>();
            GetComponents(list);
            return list.ToArray();
        }

        public void GetComponents<T>(List<T> results)
        {
            Engine.MainThreadOnly("GetComponents");
            results.Clear();
            foreach (var c in m_Components)
                if (!c.m_Destroyed && c is T t) results.Add(t);
        }
    }
}
