// Stand-ins for UnityEditor.SerializedObject, SerializedProperty (api-signatures.md §19) and SerializedPropertyType
// (UnityCsReference Editor/Mono/SerializedProperty.bindings.cs). Behaviour as in Unity, over the fields Unity
// serializes (public or [SerializeField], not static, const, readonly or [NonSerialized]; [Serializable] classes and
// arrays/lists nested): reads come from the first target, hasMultipleDifferentValues compares all targets, writes
// are held until ApplyModifiedProperties, which records an Undo step, writes every target and sends OnValidate to each. Paths are Unity's
// ("tokenSource.url", "toolTargets.Array.data[0]").
using System;
using System.Collections;
using System.Collections.Generic;
using System.Reflection;
using UnityEngine;
using Parley.StandIn;
using Object = UnityEngine.Object;

namespace UnityEditor
{
    public enum SerializedPropertyType
    {
        Generic = -1, Integer = 0, Boolean = 1, Float = 2, String = 3, Color = 4, ObjectReference = 5, LayerMask = 6, Enum = 7,
        Vector2 = 8, Vector3 = 9, Vector4 = 10, Rect = 11, ArraySize = 12, Character = 13, AnimationCurve = 14,
    }

    public class SerializedObject : IDisposable
    {
        readonly Object[] m_Targets;
        internal readonly Dictionary<string, object> m_Pending = new Dictionary<string, object>(StringComparer.Ordinal);

        public SerializedObject(Object obj) : this(new[] { obj }) { }
        public SerializedObject(Object[] objs)
        {
            if (objs == null || objs.Length == 0 || objs[0] == null) throw new ArgumentException("Object at index 0 is null");
            m_Targets = (Object[])objs.Clone();
        }

        public Object targetObject => m_Targets[0];
        public Object[] targetObjects => (Object[])m_Targets.Clone();
        public bool isEditingMultipleObjects => m_Targets.Length > 1;
        public bool hasModifiedProperties => m_Pending.Count > 0;

        public void Dispose() { }

        public void Update() => m_Pending.Clear();

        public SerializedProperty GetIterator() => new SerializedProperty(this, SerializedFields.Flatten(m_Targets[0]), -1);

        public SerializedProperty FindProperty(string propertyPath)
        {
            var all = SerializedFields.Flatten(m_Targets[0]);
            for (var i = 0; i < all.Count; i++)
                if (all[i].Path == propertyPath) return new SerializedProperty(this, all, i);
            return null;
        }

        public bool ApplyModifiedProperties()
        {
            if (m_Pending.Count == 0) return false;
            Undo.RecordObjects(m_Targets, "Modified Properties");
            return ApplyModifiedPropertiesWithoutUndo();
        }

        public bool ApplyModifiedPropertiesWithoutUndo()
        {
            if (m_Pending.Count == 0) return false;
            foreach (var t in m_Targets)
                foreach (var kv in m_Pending) SerializedFields.Write(t, kv.Key, kv.Value);
            m_Pending.Clear();
            foreach (var t in m_Targets) SendOnValidate(t);
            return true;
        }

        // The Inspector writes a changed value through ApplyModifiedProperties, and Unity then sends the edited
        // scripts OnValidate ("called when ... a value changes in the Inspector", Editor only: MonoBehaviour.OnValidate
        // in the Scripting Reference). A message: found by name on the script's type or a base below MonoBehaviour,
        // any access, no parameters; an exception in it is logged.
        static void SendOnValidate(Object target)
        {
            if (!(target is MonoBehaviour)) return;
            const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            for (var t = target.GetType(); t != null && t != typeof(MonoBehaviour); t = t.BaseType)
            {
                var m = t.GetMethod("OnValidate", flags, null, Type.EmptyTypes, null);
                if (m == null || m.ReturnType != typeof(void)) continue;
                try { m.Invoke(target, null); }
                catch (TargetInvocationException e) { Debug.LogException(e.InnerException ?? e); }
                return;
            }
        }

        internal object Read(Object target, string path) =>
            target == m_Targets[0] && m_Pending.TryGetValue(path, out var v) ? v : SerializedFields.Read(target, path);
    }

    public class SerializedProperty : IDisposable
    {
        readonly SerializedObject m_Owner;
        readonly List<SerializedFields.Entry> m_All;
        int m_Index;

        internal SerializedProperty(SerializedObject owner, List<SerializedFields.Entry> all, int index)
        {
            m_Owner = owner; m_All = all; m_Index = index;
        }

        SerializedFields.Entry Current => m_Index >= 0 && m_Index < m_All.Count ? m_All[m_Index] : throw new InvalidOperationException("The iterator is not on a property.");

        public SerializedObject serializedObject => m_Owner;
        public string propertyPath => Current.Path;
        public string name => Current.Name;
        public string displayName => Current.DisplayName;
        public string tooltip => string.Empty;
        public SerializedPropertyType propertyType => Current.Type;
        public bool isArray => Current.IsArray;
        public bool isExpanded { get; set; }

        public void Dispose() { }

        public SerializedProperty Copy() => new SerializedProperty(m_Owner, m_All, m_Index);

        public bool Next(bool enterChildren)
        {
            var depth = m_Index >= 0 ? m_All[m_Index].Depth : -1;
            var i = m_Index + 1;
            if (!enterChildren && m_Index >= 0)
                while (i < m_All.Count && m_All[i].Depth > depth) i++;
            m_Index = i;
            return i < m_All.Count;
        }

        public bool NextVisible(bool enterChildren) => Next(enterChildren);

        public SerializedProperty FindPropertyRelative(string relativePropertyPath)
        {
            var path = Current.Path + "." + relativePropertyPath;
            for (var i = 0; i < m_All.Count; i++)
                if (m_All[i].Path == path) return new SerializedProperty(m_Owner, m_All, i);
            return null;
        }

        public bool hasMultipleDifferentValues
        {
            get
            {
                var targets = m_Owner.targetObjects;
                var first = m_Owner.Read(targets[0], Current.Path);
                for (var i = 1; i < targets.Length; i++)
                    if (!Equals(first, m_Owner.Read(targets[i], Current.Path))) return true;
                return false;
            }
        }

        object Value => m_Owner.Read(m_Owner.targetObject, Current.Path);
        void Set(object v) => m_Owner.m_Pending[Current.Path] = v;

        public string stringValue { get => Value as string ?? string.Empty; set => Set(value ?? string.Empty); }
        public int intValue { get => Convert.ToInt32(Value); set => Set(value); }
        public long longValue { get => Convert.ToInt64(Value); set => Set(value); }
        public bool boolValue { get => Value is bool b && b; set => Set(value); }
        public float floatValue { get => Convert.ToSingle(Value); set => Set(value); }
        public double doubleValue { get => Convert.ToDouble(Value); set => Set(value); }
        public Object objectReferenceValue { get => Value as Object; set => Set(value); }
        public int enumValueIndex
        {
            get => Array.IndexOf(Enum.GetValues(Current.FieldType), Value);
            set => Set(Enum.GetValues(Current.FieldType).GetValue(value));
        }
        public string[] enumNames => Enum.GetNames(Current.FieldType);
        public string[] enumDisplayNames => Enum.GetNames(Current.FieldType);
        public int arraySize => Value is IList l ? l.Count : 0;
    }

}

namespace Parley.StandIn
{
    using UnityEditor;

    /// <summary>The stand-in's model of Unity serialization (not a Unity type, so outside Unity's namespaces).</summary>
    static class SerializedFields
    {
        internal sealed class Entry
        {
            public string Path, Name, DisplayName;
            public int Depth;
            public SerializedPropertyType Type;
            public Type FieldType;
            public bool IsArray;
        }

        internal static List<Entry> Flatten(object root)
        {
            var list = new List<Entry>();
            AddFields(list, root, root.GetType(), "", 0);
            return list;
        }

        static IEnumerable<FieldInfo> Fields(Type t)
        {
            var chain = new List<Type>();
            for (var c = t; c != null && c != typeof(Object) && c != typeof(object); c = c.BaseType) chain.Insert(0, c);
            foreach (var c in chain)
                foreach (var f in c.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (f.IsInitOnly || f.IsLiteral || f.IsNotSerialized) continue;
                    if (!f.IsPublic && f.GetCustomAttribute<SerializeField>() == null) continue;
                    if (f.Name.StartsWith("<", StringComparison.Ordinal) && f.GetCustomAttribute<SerializeField>() == null) continue;
                    yield return f;
                }
        }

        static void AddFields(List<Entry> list, object owner, Type type, string prefix, int depth)
        {
            foreach (var f in Fields(type))
            {
                if (!Serializable(f.FieldType)) continue;
                Add(list, f.GetValue(owner), f.FieldType, prefix + f.Name, f.Name, depth);
            }
        }

        static void Add(List<Entry> list, object value, Type type, string path, string name, int depth)
        {
            var elementType = type.IsArray ? type.GetElementType() : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;
            list.Add(new Entry { Path = path, Name = name, DisplayName = Nicify(name), Depth = depth, Type = Classify(type), FieldType = type, IsArray = elementType != null });
            if (elementType != null)
            {
                if (value is IList items)
                    for (var i = 0; i < items.Count; i++)
                        Add(list, items[i], elementType, path + ".Array.data[" + i + "]", "data", depth + 1);
            }
            else if (Classify(type) == SerializedPropertyType.Generic && value != null)
                AddFields(list, value, type, path + ".", depth + 1);
        }

        static bool Serializable(Type t)
        {
            if (t.IsPrimitive || t == typeof(string) || t.IsEnum || typeof(Object).IsAssignableFrom(t)) return true;
            if (t.IsArray) return Serializable(t.GetElementType());
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>)) return Serializable(t.GetGenericArguments()[0]);
            return t.IsSerializable && !typeof(Delegate).IsAssignableFrom(t) && !t.IsAbstract;
        }

        static SerializedPropertyType Classify(Type t)
        {
            if (t == typeof(string)) return SerializedPropertyType.String;
            if (t == typeof(bool)) return SerializedPropertyType.Boolean;
            if (t == typeof(float) || t == typeof(double)) return SerializedPropertyType.Float;
            if (t == typeof(char)) return SerializedPropertyType.Character;
            if (t.IsEnum) return SerializedPropertyType.Enum;
            if (t.IsPrimitive) return SerializedPropertyType.Integer;
            if (typeof(Object).IsAssignableFrom(t)) return SerializedPropertyType.ObjectReference;
            return SerializedPropertyType.Generic;
        }

        /// <summary>Unity's ObjectNames.NicifyVariableName for the common cases: "m_" and "_" dropped, words split, first letter upper.</summary>
        static string Nicify(string name)
        {
            if (name.StartsWith("m_", StringComparison.Ordinal)) name = name.Substring(2);
            name = name.TrimStart('_');
            var s = new System.Text.StringBuilder();
            for (var i = 0; i < name.Length; i++)
            {
                if (i > 0 && char.IsUpper(name[i]) && !char.IsUpper(name[i - 1])) s.Append(' ');
                s.Append(i == 0 ? char.ToUpperInvariant(name[i]) : name[i]);
            }
            return s.ToString();
        }

        internal static object Read(object root, string path)
        {
            object container = null; FieldInfo field = null; int index = -1;
            return Locate(root, path, ref container, ref field, ref index) ? (index >= 0 ? ((IList)container)[index] : field.GetValue(container)) : null;
        }

        internal static void Write(object root, string path, object value)
        {
            object container = null; FieldInfo field = null; int index = -1;
            if (!Locate(root, path, ref container, ref field, ref index)) return;
            if (index >= 0) ((IList)container)[index] = value;
            else field.SetValue(container, field.FieldType.IsEnum || value == null || field.FieldType.IsInstanceOfType(value) ? value : Convert.ChangeType(value, field.FieldType));
        }

        static bool Locate(object root, string path, ref object container, ref FieldInfo field, ref int index)
        {
            var parts = path.Split('.');
            object current = root;
            for (var p = 0; p < parts.Length; p++)
            {
                if (current == null) return false;
                if (parts[p] == "Array" && p + 1 < parts.Length && parts[p + 1].StartsWith("data[", StringComparison.Ordinal))
                {
                    var i = int.Parse(parts[p + 1].Substring(5, parts[p + 1].Length - 6));
                    var list = (IList)current;
                    p++;
                    if (p == parts.Length - 1) { container = list; index = i; field = null; return i < list.Count; }
                    current = list[i];
                    continue;
                }
                FieldInfo f = null;
                foreach (var candidate in Fields(current.GetType()))
                    if (candidate.Name == parts[p]) { f = candidate; break; }
                if (f == null) return false;
                if (p == parts.Length - 1) { container = current; field = f; index = -1; return true; }
                current = f.GetValue(current);
            }
            return false;
        }
    }
}
