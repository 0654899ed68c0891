using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Parley.Tests.HostOnly.Audio
{
    /// <summary>One reason a kernel would not compile under Burst (or would allocate/throw on the audio thread).</summary>
    public sealed class IlFinding
    {
        public string Type;
        public string Member;
        public string Rule;
        public string Detail;
        public override string ToString() => Type + "::" + Member + " [" + Rule + "] " + Detail;
    }

    /// <summary>
    /// Reads the IL of every type in one namespace of an assembly (System.Reflection.Metadata, no loading)
    /// and reports what Burst rejects or what allocates/throws: newobj of a class, newarr, box, ldstr,
    /// throw/rethrow, callvirt/calli, delegates, casts, exception regions, reads of mutable statics, writes to
    /// statics, calls outside the allowed set, reference-typed fields, instantiable classes, and static
    /// constructors that do anything but fill primitive arrays from constant data.
    /// </summary>
    public static class KernelIlScanner
    {
        /// <summary>
        /// Methods outside the scanned namespace that kernels may call. System.Math/MathF: Burst maps them to
        /// intrinsics. System.Threading.Volatile/Interlocked: Burst compiles them to atomic loads, stores and
        /// read-modify-writes, which the lock-free ring and playout kernels need for cross-thread publication.
        /// RuntimeHelpers.InitializeArray: only inside a static constructor, where it is how the
        /// C# compiler copies a constant array initializer (Burst turns that into constant data).
        /// </summary>
        static readonly string[] AllowedTypes = { "System.Math", "System.MathF", "System.Threading.Volatile", "System.Threading.Interlocked" };
        const string InitializeArray = "System.Runtime.CompilerServices.RuntimeHelpers::InitializeArray";

        static readonly Dictionary<ushort, OpCode> OpCodesByValue = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null))
            .ToDictionary(o => unchecked((ushort)o.Value));

        /// <summary>Opcodes that are never acceptable in a kernel, with why.</summary>
        static readonly Dictionary<string, string> Forbidden = new Dictionary<string, string>
        {
            { "newarr", "allocates a managed array" },
            { "box", "boxes a value (allocation)" },
            { "ldstr", "uses a string" },
            { "throw", "throws" },
            { "rethrow", "throws" },
            { "callvirt", "virtual/interface call" },
            { "calli", "indirect call" },
            { "ldftn", "takes a method pointer (delegate)" },
            { "ldvirtftn", "takes a virtual method pointer (delegate)" },
            { "castclass", "reference cast" },
            { "isinst", "reference type test" },
            { "unbox", "unboxes" },
            { "unbox.any", "unboxes" },
            { "mkrefany", "typed reference" },
            { "refanyval", "typed reference" },
            { "ckfinite", "throws on NaN/Inf" },
            { "ldtoken", "runtime type handle" },
            { "ldelem.ref", "reference array" },
            { "stelem.ref", "reference array" },
            { "ldnull", "managed reference" },
        };

        /// <summary>Types scanned: every type whose (outermost) namespace is <paramref name="ns"/>.</summary>
        public static List<string> TypesIn(string assemblyPath, string ns)
        {
            using (var pe = new PEReader(File.OpenRead(assemblyPath)))
            {
                var md = pe.GetMetadataReader();
                return md.TypeDefinitions.Select(h => md.GetTypeDefinition(h))
                    .Where(t => NamespaceOf(md, t) == ns).Select(t => FullName(md, t)).ToList();
            }
        }

        public static List<IlFinding> Scan(string assemblyPath, string ns)
        {
            var findings = new List<IlFinding>();
            using (var pe = new PEReader(File.OpenRead(assemblyPath)))
            {
                var md = pe.GetMetadataReader();
                foreach (var th in md.TypeDefinitions)
                {
                    var type = md.GetTypeDefinition(th);
                    if (NamespaceOf(md, type) != ns) continue;
                    new TypeScan(pe, md, th, ns, findings).Run();
                }
            }
            return findings;
        }

        static string NamespaceOf(MetadataReader md, TypeDefinition t)
        {
            while (t.IsNested) t = md.GetTypeDefinition(t.GetDeclaringType());
            return md.GetString(t.Namespace);
        }

        static string FullName(MetadataReader md, TypeDefinition t)
        {
            var name = md.GetString(t.Name);
            if (t.IsNested) return FullName(md, md.GetTypeDefinition(t.GetDeclaringType())) + "+" + name;
            var n = md.GetString(t.Namespace);
            return n.Length == 0 ? name : n + "." + name;
        }

        static string FullName(MetadataReader md, TypeReference t)
        {
            var n = md.GetString(t.Namespace);
            return (n.Length == 0 ? "" : n + ".") + md.GetString(t.Name);
        }

        sealed class TypeScan
        {
            readonly PEReader _pe;
            readonly MetadataReader _md;
            readonly TypeDefinitionHandle _handle;
            readonly TypeDefinition _type;
            readonly string _ns;
            readonly string _name;
            readonly List<IlFinding> _findings;

            public TypeScan(PEReader pe, MetadataReader md, TypeDefinitionHandle handle, string ns, List<IlFinding> findings)
            {
                _pe = pe;
                _md = md;
                _handle = handle;
                _type = md.GetTypeDefinition(handle);
                _ns = ns;
                _name = FullName(md, _type);
                _findings = findings;
            }

            void Report(string member, string rule, string detail) =>
                _findings.Add(new IlFinding { Type = _name, Member = member, Rule = rule, Detail = detail });

            public void Run()
            {
                var isValueType = IsValueType(_type);
                var isStaticClass = (_type.Attributes & (TypeAttributes.Abstract | TypeAttributes.Sealed)) == (TypeAttributes.Abstract | TypeAttributes.Sealed);
                var isEnum = BaseTypeName(_type) == "System.Enum";
                if (!isValueType && !isStaticClass && !isEnum && (_type.Attributes & TypeAttributes.Interface) == 0)
                    Report("(type)", "class", "kernels are static classes or structs; an instantiable class is a managed object");
                if ((_type.Attributes & TypeAttributes.Interface) != 0)
                    Report("(type)", "class", "interfaces imply virtual dispatch");

                foreach (var fh in _type.GetFields()) CheckField(_md.GetFieldDefinition(fh));
                foreach (var mh in _type.GetMethods()) CheckMethod(mh);
            }

            bool IsValueType(TypeDefinition t) => BaseTypeName(t) == "System.ValueType" || BaseTypeName(t) == "System.Enum";

            string BaseTypeName(TypeDefinition t)
            {
                if (t.BaseType.IsNil) return null;
                switch (t.BaseType.Kind)
                {
                    case HandleKind.TypeReference: return FullName(_md, _md.GetTypeReference((TypeReferenceHandle)t.BaseType));
                    case HandleKind.TypeDefinition: return FullName(_md, _md.GetTypeDefinition((TypeDefinitionHandle)t.BaseType));
                    default: return "?";
                }
            }

            void CheckField(FieldDefinition f)
            {
                var name = _md.GetString(f.Name);
                var shape = f.DecodeSignature(new ShapeProvider(), null);
                var isStatic = (f.Attributes & FieldAttributes.Static) != 0;
                var isConst = (f.Attributes & FieldAttributes.Literal) != 0;
                if (isConst) return;
                if (isStatic)
                {
                    if ((f.Attributes & FieldAttributes.InitOnly) == 0)
                        Report(name, "static-field", "mutable static field (Burst cannot read or write managed statics)");
                    else if (!(shape.IsPrimitive || shape.IsPrimitiveArray))
                        Report(name, "static-field", "static readonly field of type " + shape.Name + " (only primitives and primitive arrays)");
                }
                else if (shape.IsReference)
                    Report(name, "instance-field", "field of reference type " + shape.Name + " (not blittable)");
            }

            void CheckMethod(MethodDefinitionHandle mh)
            {
                var m = _md.GetMethodDefinition(mh);
                var name = _md.GetString(m.Name);
                if (m.RelativeVirtualAddress == 0) return;
                var isCctor = name == ".cctor";
                if ((m.Attributes & MethodAttributes.Virtual) != 0)
                    Report(name, "virtual", "virtual method");
                var body = _pe.GetMethodBody(m.RelativeVirtualAddress);
                if (body.ExceptionRegions.Length > 0)
                    Report(name, "exception-region", "try/catch/finally");
                var il = body.GetILBytes();
                var pos = 0;
                while (pos < il.Length)
                {
                    int value = il[pos++];
                    if (value == 0xFE) value = 0xFE00 | il[pos++];
                    if (!OpCodesByValue.TryGetValue((ushort)value, out var op))
                    {
                        Report(name, "il", "unknown opcode 0x" + value.ToString("X"));
                        return;
                    }
                    var operandAt = pos;
                    pos += OperandSize(op, il, pos);
                    var token = op.OperandType == OperandType.InlineField || op.OperandType == OperandType.InlineMethod
                        || op.OperandType == OperandType.InlineTok || op.OperandType == OperandType.InlineType
                        ? BitConverter.ToInt32(il, operandAt) : 0;
                    if (isCctor) CheckCctorInstruction(name, op, token);
                    else CheckInstruction(name, op, token);
                }
            }

            void CheckInstruction(string method, OpCode op, int token)
            {
                if (Forbidden.TryGetValue(op.Name, out var why))
                {
                    var detail = why;
                    if (op == OpCodes.Callvirt || op == OpCodes.Ldftn) detail += ": " + MethodName(token);
                    Report(method, op.Name, detail);
                    return;
                }
                if (op == OpCodes.Newobj)
                {
                    var target = MethodName(token);
                    if (!DeclaringTypeIsKernelValueType(token))
                        Report(method, "newobj", "allocates a " + target.Split(new[] { "::" }, StringSplitOptions.None)[0]);
                    else CheckCall(method, op, token);
                    return;
                }
                if (op == OpCodes.Call || op == OpCodes.Jmp)
                {
                    CheckCall(method, op, token);
                    return;
                }
                if (op == OpCodes.Stsfld || op == OpCodes.Ldsflda)
                {
                    Report(method, op.Name, "writes or takes the address of a static field " + FieldName(token));
                    return;
                }
                if (op == OpCodes.Ldsfld && !FieldIsReadOnly(token))
                    Report(method, "ldsfld", "reads mutable static " + FieldName(token));
            }

            /// <summary>The only static constructor Burst can fold: newarr + InitializeArray (or ldc/stelem) + stsfld.</summary>
            void CheckCctorInstruction(string method, OpCode op, int token)
            {
                var ok = op == OpCodes.Nop || op == OpCodes.Ret || op == OpCodes.Dup || op.Name.StartsWith("ldc.", StringComparison.Ordinal)
                    || (op.Name.StartsWith("stelem.", StringComparison.Ordinal) && op != OpCodes.Stelem_Ref);
                if (op == OpCodes.Newarr) ok = TypeTokenIsPrimitive(token);
                else if (op == OpCodes.Ldtoken) ok = token >> 24 == 0x04 && FieldHasRva(token);
                else if (op == OpCodes.Call) ok = MethodName(token) == InitializeArray;
                else if (op == OpCodes.Stsfld) ok = FieldIsOwnReadOnly(token);
                if (!ok)
                    Report(method, "static-constructor", "runs code beyond constant array initialisation: " + op.Name
                        + (op.OperandType == OperandType.InlineMethod ? " " + MethodName(token) : ""));
            }

            void CheckCall(string method, OpCode op, int token)
            {
                var handle = MethodHandle(token);
                if (handle.Kind == HandleKind.MethodDefinition)
                {
                    var def = _md.GetMethodDefinition((MethodDefinitionHandle)handle);
                    // The scanned namespace, or another kernel namespace of the same assembly (held to the same rules
                    // by its own scan, e.g. Parley.Lipsync.Kernels calling Parley.Audio.Kernels.Sample).
                    var calleeNs = NamespaceOf(_md, _md.GetTypeDefinition(def.GetDeclaringType()));
                    if (calleeNs == _ns || calleeNs.EndsWith(".Kernels", StringComparison.Ordinal)) return;
                }
                var target = MethodName(token);
                var declaring = target.Split(new[] { "::" }, StringSplitOptions.None)[0];
                if (Array.IndexOf(AllowedTypes, declaring) >= 0) return;
                Report(method, "call", op.Name + " outside the allowed set: " + target);
            }

            EntityHandle MethodHandle(int token)
            {
                var h = MetadataTokens.EntityHandle(token);
                if (h.Kind == HandleKind.MethodSpecification) h = _md.GetMethodSpecification((MethodSpecificationHandle)h).Method;
                return h;
            }

            string MethodName(int token)
            {
                var h = MethodHandle(token);
                switch (h.Kind)
                {
                    case HandleKind.MethodDefinition:
                        var d = _md.GetMethodDefinition((MethodDefinitionHandle)h);
                        return FullName(_md, _md.GetTypeDefinition(d.GetDeclaringType())) + "::" + _md.GetString(d.Name);
                    case HandleKind.MemberReference:
                        var r = _md.GetMemberReference((MemberReferenceHandle)h);
                        return ParentName(r.Parent) + "::" + _md.GetString(r.Name);
                    default:
                        return "?" + h.Kind;
                }
            }

            string ParentName(EntityHandle parent)
            {
                switch (parent.Kind)
                {
                    case HandleKind.TypeReference: return FullName(_md, _md.GetTypeReference((TypeReferenceHandle)parent));
                    case HandleKind.TypeDefinition: return FullName(_md, _md.GetTypeDefinition((TypeDefinitionHandle)parent));
                    case HandleKind.TypeSpecification: return "(generic instance)";
                    default: return "?" + parent.Kind;
                }
            }

            bool DeclaringTypeIsKernelValueType(int token)
            {
                var h = MethodHandle(token);
                if (h.Kind != HandleKind.MethodDefinition) return false;
                var t = _md.GetTypeDefinition(_md.GetMethodDefinition((MethodDefinitionHandle)h).GetDeclaringType());
                return IsValueType(t) && NamespaceOf(_md, t) == _ns;
            }

            string FieldName(int token)
            {
                var h = MetadataTokens.EntityHandle(token);
                if (h.Kind == HandleKind.FieldDefinition)
                {
                    var f = _md.GetFieldDefinition((FieldDefinitionHandle)h);
                    return FullName(_md, _md.GetTypeDefinition(f.GetDeclaringType())) + "::" + _md.GetString(f.Name);
                }
                if (h.Kind == HandleKind.MemberReference)
                {
                    var r = _md.GetMemberReference((MemberReferenceHandle)h);
                    return ParentName(r.Parent) + "::" + _md.GetString(r.Name);
                }
                return "?";
            }

            bool FieldIsReadOnly(int token)
            {
                var h = MetadataTokens.EntityHandle(token);
                // Fields of other assemblies are never kernel constants.
                return h.Kind == HandleKind.FieldDefinition
                    && (_md.GetFieldDefinition((FieldDefinitionHandle)h).Attributes & FieldAttributes.InitOnly) != 0;
            }

            bool FieldIsOwnReadOnly(int token)
            {
                var h = MetadataTokens.EntityHandle(token);
                return FieldIsReadOnly(token) && _md.GetFieldDefinition((FieldDefinitionHandle)h).GetDeclaringType() == _handle;
            }

            bool FieldHasRva(int token)
            {
                var f = _md.GetFieldDefinition((FieldDefinitionHandle)MetadataTokens.EntityHandle(token));
                return (f.Attributes & FieldAttributes.HasFieldRVA) != 0;
            }

            bool TypeTokenIsPrimitive(int token)
            {
                var h = MetadataTokens.EntityHandle(token);
                if (h.Kind != HandleKind.TypeReference) return false;
                var name = FullName(_md, _md.GetTypeReference((TypeReferenceHandle)h));
                return Array.IndexOf(ShapeProvider.PrimitiveNames, name) >= 0;
            }
        }

        static int OperandSize(OpCode op, byte[] il, int pos)
        {
            switch (op.OperandType)
            {
                case OperandType.InlineNone: return 0;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar: return 1;
                case OperandType.InlineVar: return 2;
                case OperandType.InlineI8:
                case OperandType.InlineR: return 8;
                case OperandType.InlineSwitch: return 4 + 4 * BitConverter.ToInt32(il, pos);
                default: return 4;
            }
        }

        /// <summary>What a field's type is, as far as blittability goes.</summary>
        sealed class Shape
        {
            public string Name;
            public bool IsPrimitive;
            public bool IsPrimitiveArray;
            public bool IsReference;
        }

        sealed class ShapeProvider : ISignatureTypeProvider<Shape, object>
        {
            public static readonly string[] PrimitiveNames =
            {
                "System.Boolean", "System.Byte", "System.SByte", "System.Int16", "System.UInt16", "System.Int32", "System.UInt32",
                "System.Int64", "System.UInt64", "System.Single", "System.Double", "System.IntPtr", "System.UIntPtr", "System.Char",
            };

            public Shape GetPrimitiveType(PrimitiveTypeCode code) =>
                code == PrimitiveTypeCode.String || code == PrimitiveTypeCode.Object || code == PrimitiveTypeCode.TypedReference
                    ? new Shape { Name = code.ToString(), IsReference = true }
                    : new Shape { Name = code.ToString(), IsPrimitive = true };

            public Shape GetSZArrayType(Shape e) => new Shape { Name = e.Name + "[]", IsPrimitiveArray = e.IsPrimitive, IsReference = true };
            public Shape GetArrayType(Shape e, ArrayShape s) => new Shape { Name = e.Name + "[,]", IsReference = true };
            public Shape GetPointerType(Shape e) => new Shape { Name = e.Name + "*" };
            public Shape GetByReferenceType(Shape e) => new Shape { Name = e.Name + "&", IsReference = true };
            public Shape GetPinnedType(Shape e) => e;
            public Shape GetFunctionPointerType(MethodSignature<Shape> s) => new Shape { Name = "fnptr" };
            public Shape GetGenericInstantiation(Shape g, ImmutableArray<Shape> args) => new Shape { Name = g.Name + "<>", IsReference = g.IsReference };
            public Shape GetGenericMethodParameter(object c, int i) => new Shape { Name = "!!" + i, IsReference = true };
            public Shape GetGenericTypeParameter(object c, int i) => new Shape { Name = "!" + i, IsReference = true };
            public Shape GetModifiedType(Shape m, Shape u, bool required) => u;

            public Shape GetTypeFromDefinition(MetadataReader md, TypeDefinitionHandle h, byte kind) =>
                new Shape { Name = FullName(md, md.GetTypeDefinition(h)), IsReference = kind != (byte)SignatureTypeKind.ValueType };

            public Shape GetTypeFromReference(MetadataReader md, TypeReferenceHandle h, byte kind) =>
                new Shape { Name = FullName(md, md.GetTypeReference(h)), IsReference = kind != (byte)SignatureTypeKind.ValueType };

            public Shape GetTypeFromSpecification(MetadataReader md, object c, TypeSpecificationHandle h, byte kind) =>
                new Shape { Name = "(spec)", IsReference = kind != (byte)SignatureTypeKind.ValueType };
        }
    }
}
