using System;
using System.Collections.Generic;
using System.IO;
using Mono.Cecil;

namespace Parley.Tests.Mono
{
    /// <summary>
    /// Debian's mono 6.8 builds its mscorlib with mcs, which encodes a <c>ref readonly</c> return as a plain <c>ref</c>:
    /// there, <c>ReadOnlySpan&lt;T&gt;.this[int]</c> returns <c>!T&amp;</c>, while every Roslyn-compiled caller (ours, and
    /// Unity's own Roslyn-built Mono) names <c>!T&amp; modreq(InAttribute)</c>, so the call throws MissingMethodException.
    /// This copies the assemblies under test and drops that modifier from the two member references it breaks (the
    /// indexer and the enumerator's Current), a signature-only change. ReadOnlySpan's GetPinnableReference is left as
    /// compiled: <c>fixed (T* p = span)</c> must keep failing here (pin with <c>&amp;MemoryMarshal.GetReference</c>).
    /// </summary>
    public static class MonoCorlibRetarget
    {
        static readonly HashSet<string> Retargeted = new HashSet<string>(StringComparer.Ordinal)
        {
            "System.ReadOnlySpan`1::get_Item",
            "System.ReadOnlySpan`1/Enumerator::get_Current",
        };

        /// <summary>Copies every assembly beside <paramref name="testAssembly"/> except <paramref name="keep"/> (loaded from the runner's own folder) into <paramref name="into"/>, retargeted; returns the references changed per assembly.</summary>
        public static IDictionary<string, int> Copy(string testAssembly, string into, ICollection<string> keep)
        {
            var from = Path.GetDirectoryName(Path.GetFullPath(testAssembly));
            Directory.CreateDirectory(into);
            var changed = new SortedDictionary<string, int>(StringComparer.Ordinal);
            using (var resolver = new DefaultAssemblyResolver())
            {
                resolver.AddSearchDirectory(from);
                foreach (var dll in Directory.GetFiles(from, "*.dll"))
                {
                    var name = Path.GetFileName(dll);
                    if (keep.Contains(name)) continue;
                    var target = Path.Combine(into, name);
                    using (var module = ModuleDefinition.ReadModule(dll, new ReaderParameters { AssemblyResolver = resolver, InMemory = true }))
                    {
                        var count = Retarget(module);
                        if (count == 0) { File.Copy(dll, target, true); continue; }
                        module.Write(target);
                        changed[name] = count;
                    }
                }
            }
            return changed;
        }

        static int Retarget(ModuleDefinition module)
        {
            // Method bodies hold their own MethodReference objects (Cecil reads them per body), so walk the bodies.
            var changed = new HashSet<MethodReference>();
            foreach (var type in module.GetTypes())
                foreach (var method in type.Methods)
                {
                    if (!method.HasBody) continue;
                    foreach (var instruction in method.Body.Instructions)
                        if (instruction.Operand is MethodReference called && Retarget(called)) changed.Add(called);
                }
            return changed.Count;
        }

        static bool Retarget(MethodReference method)
        {
            if (!(method.ReturnType is RequiredModifierType modified)) return false;
            if (modified.ModifierType.FullName != "System.Runtime.InteropServices.InAttribute") return false;
            if (!Retargeted.Contains(method.DeclaringType.GetElementType().FullName + "::" + method.Name)) return false;
            method.ReturnType = modified.ElementType;
            return true;
        }
    }
}
