// Stand-in for UnityEngine.Events (api-signatures.md §10; UnityCsReference Runtime/Export/UnityEvent/UnityEvent.cs
// and the generated UnityEvent_0.cs / UnityEvent_1.cs). Runtime listeners only: persistent (inspector) listeners
// need the serializer, which the stand-in does not have, so GetPersistentEventCount is always 0.
using System;
using System.Collections.Generic;
using System.Reflection;

namespace UnityEngine.Events
{
    public delegate void UnityAction();
    public delegate void UnityAction<T0>(T0 arg0);
    public delegate void UnityAction<T0, T1>(T0 arg0, T1 arg1);

    [Serializable]
    public abstract class UnityEventBase
    {
        internal readonly List<Delegate> m_Calls = new List<Delegate>();
        protected UnityEventBase() { }
        public int GetPersistentEventCount() => 0;
        public void RemoveAllListeners() => m_Calls.Clear();
        protected abstract MethodInfo FindMethod_Impl(string name, Type targetObjType);
    }

    [Serializable]
    public class UnityEvent : UnityEventBase
    {
        public UnityEvent() { }
        public void AddListener(UnityAction call) => m_Calls.Add(call);
        public void RemoveListener(UnityAction call) => m_Calls.Remove(call);
        protected override MethodInfo FindMethod_Impl(string name, Type targetObjType) => targetObjType.GetMethod(name, Type.EmptyTypes);

        public void Invoke()
        {
            for (var i = 0; i < m_Calls.Count; i++) ((UnityAction)m_Calls[i])();
        }
    }

    [Serializable]
    public class UnityEvent<T0> : UnityEventBase
    {
        public UnityEvent() { }
        public void AddListener(UnityAction<T0> call) => m_Calls.Add(call);
        public void RemoveListener(UnityAction<T0> call) => m_Calls.Remove(call);
        protected override MethodInfo FindMethod_Impl(string name, Type targetObjType) => targetObjType.GetMethod(name, new[] { typeof(T0) });

        public void Invoke(T0 arg0)
        {
            for (var i = 0; i < m_Calls.Count; i++) ((UnityAction<T0>)m_Calls[i])(arg0);
        }
    }
}
