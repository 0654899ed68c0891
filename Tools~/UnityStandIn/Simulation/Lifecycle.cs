// The GameObject/Component lifecycle of a running player, as the Manual's execution order describes it
// (audio-behaviour.md §6): AddComponent on an active object sends Awake then OnEnable at once; Start runs before
// the component's first Update; each frame Update then LateUpdate; Destroy is carried out at the end of the frame
// (OnDisable then OnDestroy); inactive objects get no Awake until activated. Messages are found by name on the
// script's type (any access, as Unity does) and an exception in one is logged and does not stop the others.
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Reflection;
using UnityEngine;
using Object = UnityEngine.Object;

namespace Parley.Simulation
{
    internal static class Lifecycle
    {
        static readonly List<GameObject> s_Scene = new List<GameObject>();
        static readonly List<KeyValuePair<Object, double>> s_PendingDestroy = new List<KeyValuePair<Object, double>>();
        static readonly List<MonoBehaviour> s_Pass = new List<MonoBehaviour>();
        static readonly ConcurrentDictionary<Type, Messages> s_Messages = new ConcurrentDictionary<Type, Messages>();

        static bool Playing => Engine.Player != null && Engine.Player.IsRunning;

        internal static IReadOnlyList<GameObject> Scene => s_Scene;

        internal static void Reset()
        {
            s_Scene.Clear();
            s_PendingDestroy.Clear();
        }

        internal static void Register(GameObject go) => s_Scene.Add(go);

        internal static Component AddComponent(GameObject go, Type type)
        {
            if (!typeof(Component).IsAssignableFrom(type) || type.IsAbstract)
            {
                Debug.LogError("AddComponent asking for invalid type " + type.FullName);
                return null;
            }
            if (type == typeof(Transform)) return go.TransformUnchecked;
            if (type.IsDefined(typeof(DisallowMultipleComponent), false) && go.GetComponent(type) != null)
            {
                Debug.LogWarning("The component " + type.Name + " can't be added because " + go.NameUnchecked + " already contains the same component.");
                return null;
            }
            foreach (RequireComponent r in type.GetCustomAttributes(typeof(RequireComponent), true))
                foreach (var required in new[] { r.m_Type0, r.m_Type1, r.m_Type2 })
                    if (required != null && go.GetComponent(required) == null) AddComponent(go, required);

            var c = (Component)Activator.CreateInstance(type, true);
            c.m_GameObject = go;
            c.NameUnchecked = go.NameUnchecked;
            go.m_Components.Add(c);
            if (c is AudioSource source) Engine.Audio.Register(source);
            if (c is MonoBehaviour mb) Bind(mb);
            if (Playing && go.ActiveInHierarchyUnchecked) Activate(c);
            return c;
        }

        static void Bind(MonoBehaviour mb)
        {
            var m = MessagesOf(mb.GetType());
            if (m.Update != null) mb.m_Update = (Action)Delegate.CreateDelegate(typeof(Action), mb, m.Update);
            if (m.LateUpdate != null) mb.m_LateUpdate = (Action)Delegate.CreateDelegate(typeof(Action), mb, m.LateUpdate);
            if (m.OnAudioFilterRead != null)
                mb.m_AudioFilter = (Action<float[], int>)Delegate.CreateDelegate(typeof(Action<float[], int>), mb, m.OnAudioFilterRead);
        }

        /// <summary>The component's object became active (or it was added to an active one): Awake once, then OnEnable.</summary>
        static void Activate(Component c)
        {
            if (c is MonoBehaviour mb)
            {
                if (!mb.m_Awoken)
                {
                    mb.m_Awoken = true;
                    Send(mb, MessagesOf(mb.GetType()).Awake);
                }
                if (mb.EnabledUnchecked && !mb.m_Destroyed) Send(mb, MessagesOf(mb.GetType()).OnEnable);
            }
            else if (c is AudioSource source && source.EnabledUnchecked) PlayOnAwake(source);
        }

        static void Deactivate(Component c)
        {
            if (c is MonoBehaviour mb && mb.m_Awoken && mb.EnabledUnchecked) Send(mb, MessagesOf(mb.GetType()).OnDisable);
            else if (c is AudioSource source) source.m_Voice.Stop();
        }

        static void PlayOnAwake(AudioSource source)
        {
            if (source.PlayOnAwakeUnchecked && source.ClipUnchecked != null) source.m_Voice.Play();
        }

        internal static void EnabledChanged(Behaviour b)
        {
            if (!Playing || b.m_GameObject == null || !b.m_GameObject.ActiveInHierarchyUnchecked) return;
            if (b is MonoBehaviour mb)
            {
                if (!mb.m_Awoken) return;
                Send(mb, b.EnabledUnchecked ? MessagesOf(mb.GetType()).OnEnable : MessagesOf(mb.GetType()).OnDisable);
            }
            else if (b is AudioSource source)
            {
                if (source.EnabledUnchecked) PlayOnAwake(source);
                else source.m_Voice.Stop();
            }
        }

        internal static void ActiveChanged(GameObject go)
        {
            if (!Playing) return;
            var active = go.ActiveInHierarchyUnchecked;
            foreach (var c in go.m_Components.ToArray())
            {
                if (c.m_Destroyed) continue;
                if (active) Activate(c);
                else Deactivate(c);
            }
        }

        internal static void ScheduleDestroy(Object obj, float delaySeconds)
        {
            if (!Playing)
            {
                Debug.LogError("Destroy may not be called from edit mode! Use DestroyImmediate instead.");
                return;
            }
            s_PendingDestroy.Add(new KeyValuePair<Object, double>(obj, Engine.Clock.Time + Math.Max(0f, delaySeconds)));
        }

        internal static void DestroyNow(Object obj)
        {
            if (obj.m_Destroyed) return;
            switch (obj)
            {
                case GameObject go:
                    foreach (var c in go.m_Components.ToArray()) DestroyComponent(c, force: true);
                    go.m_Destroyed = true;
                    s_Scene.Remove(go);
                    break;
                case Component c:
                    DestroyComponent(c, force: false);
                    break;
                default:
                    obj.m_Destroyed = true;
                    break;
            }
        }

        static void DestroyComponent(Component c, bool force)
        {
            if (c.m_Destroyed) return;
            if (c is Transform && !force)
            {
                Debug.LogError("Can't destroy Transform component of '" + c.NameUnchecked + "'. If you want to destroy the game object, please call 'Destroy' on the game object instead.");
                return;
            }
            var active = c.m_GameObject != null && c.m_GameObject.ActiveInHierarchyUnchecked;
            if (c is MonoBehaviour mb && mb.m_Awoken)
            {
                if (Playing && active && mb.EnabledUnchecked) Send(mb, MessagesOf(mb.GetType()).OnDisable);
                Send(mb, MessagesOf(mb.GetType()).OnDestroy);
            }
            if (c is AudioSource source)
            {
                source.m_Voice.Stop();
                Engine.Audio.Unregister(source);
            }
            c.m_Destroyed = true;
            c.m_GameObject?.m_Components.Remove(c);
        }

        /// <summary>One frame of the player loop after Time was advanced: Start, Update, LateUpdate, then pending destroys.</summary>
        internal static void RunFrame()
        {
            Collect(mb => !mb.m_Started);
            foreach (var mb in s_Pass)
                if (Live(mb) && !mb.m_Started)
                {
                    mb.m_Started = true;
                    Send(mb, MessagesOf(mb.GetType()).Start);
                }
            Collect(mb => mb.m_Started && mb.m_Update != null);
            foreach (var mb in s_Pass)
                if (Live(mb)) Invoke(mb.m_Update);
            Collect(mb => mb.m_Started && mb.m_LateUpdate != null);
            foreach (var mb in s_Pass)
                if (Live(mb)) Invoke(mb.m_LateUpdate);
            s_Pass.Clear();
            RunPendingDestroys();
        }

        static bool Live(MonoBehaviour mb) => !mb.m_Destroyed && mb.EnabledUnchecked && mb.m_GameObject.ActiveInHierarchyUnchecked;

        // Predicates are static lambdas (cached by the compiler): a frame allocates nothing in steady state.
        static void Collect(Func<MonoBehaviour, bool> include)
        {
            s_Pass.Clear();
            for (var i = 0; i < s_Scene.Count; i++)
            {
                var components = s_Scene[i].m_Components;
                for (var j = 0; j < components.Count; j++)
                    if (components[j] is MonoBehaviour mb && Live(mb) && include(mb)) s_Pass.Add(mb);
            }
        }

        static void RunPendingDestroys()
        {
            for (var i = 0; i < s_PendingDestroy.Count; i++)
            {
                var pending = s_PendingDestroy[i];
                if (pending.Value > Engine.Clock.Time) continue;
                s_PendingDestroy.RemoveAt(i--);
                DestroyNow(pending.Key);
            }
        }

        /// <summary>Sends OnApplicationFocus/OnApplicationPause(bool) or OnApplicationQuit() to every script on an active object.</summary>
        internal static void Broadcast(string message, object[] args)
        {
            foreach (var go in s_Scene.ToArray())
            {
                if (!go.ActiveInHierarchyUnchecked) continue;
                foreach (var c in go.m_Components.ToArray())
                    if (c is MonoBehaviour mb && !mb.m_Destroyed) Send(mb, MessagesOf(mb.GetType()).FindApplicationMessage(message), args);
            }
        }

        /// <summary>The scene is unloaded (SceneManager.LoadScene in Single mode, UnloadSceneAsync): every GameObject not marked DontDestroyOnLoad is destroyed (OnDisable then OnDestroy).</summary>
        internal static void DestroyScene()
        {
            foreach (var go in s_Scene.ToArray())
                if (!go.m_DontDestroyOnLoad) DestroyNow(go);
        }

        /// <summary>Quit or leaving play: every object is destroyed (OnDisable then OnDestroy).</summary>
        internal static void DestroyAll()
        {
            foreach (var go in s_Scene.ToArray()) DestroyNow(go);
            s_PendingDestroy.Clear();
        }

        static void Send(MonoBehaviour mb, MethodInfo method, object[] args = null)
        {
            if (method == null) return;
            try { method.Invoke(mb, args); }
            catch (TargetInvocationException e) { Report(e.InnerException ?? e); }
        }

        static void Invoke(Action action)
        {
            try { action(); }
            catch (Exception e) { Report(e); }
        }

        /// <summary>Unity logs an exception thrown by a message and goes on with the next object.</summary>
        internal static void Report(Exception e)
        {
            Debug.LogException(e);
            Engine.Player?.RecordException(e);
        }

        static Messages MessagesOf(Type type) => s_Messages.GetOrAdd(type, t => new Messages(t));

        sealed class Messages
        {
            readonly Type _type;
            internal readonly MethodInfo Awake, OnEnable, OnDisable, Start, Update, LateUpdate, OnDestroy, OnAudioFilterRead;

            internal Messages(Type type)
            {
                _type = type;
                Awake = Find("Awake", Type.EmptyTypes);
                OnEnable = Find("OnEnable", Type.EmptyTypes);
                OnDisable = Find("OnDisable", Type.EmptyTypes);
                Start = Find("Start", Type.EmptyTypes);
                Update = Find("Update", Type.EmptyTypes);
                LateUpdate = Find("LateUpdate", Type.EmptyTypes);
                OnDestroy = Find("OnDestroy", Type.EmptyTypes);
                OnAudioFilterRead = Find("OnAudioFilterRead", typeof(float[]), typeof(int));
            }

            internal MethodInfo FindApplicationMessage(string name) =>
                name == "OnApplicationQuit" ? Find(name, Type.EmptyTypes) : Find(name, typeof(bool));

            MethodInfo Find(string name, params Type[] parameters)
            {
                const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
                for (var t = _type; t != null && t != typeof(MonoBehaviour); t = t.BaseType)
                {
                    var m = t.GetMethod(name, flags, null, parameters, null);
                    if (m != null && m.ReturnType == typeof(void)) return m;
                }
                return null;
            }
        }
    }
}
