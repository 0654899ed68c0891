using System.Collections.Generic;
using UnityEditor;

namespace Parley.Editor.Inspectors
{
    /// <summary>Every serialized string of an object (arrays and nested classes included), as property path → value.</summary>
    static class SerializedStrings
    {
        public static void Collect(SerializedObject so, string prefix, List<KeyValuePair<string, string>> into)
        {
            var it = so.GetIterator();
            while (it.Next(true))
                if (it.propertyType == SerializedPropertyType.String)
                    into.Add(new KeyValuePair<string, string>(prefix + it.propertyPath, it.stringValue));
        }
    }
}
