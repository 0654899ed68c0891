// Stand-in for Unity.Collections.NativeArray<T> and friends (UnityEngine.CoreModule).
// Signatures: shared/unity/api-signatures.md §16 (UnityCsReference Runtime/Export/NativeArray/NativeArray.cs,
// Runtime/Export/Collections/NativeCollectionEnums.bindings.cs). ReadOnly/WriteOnly attributes:
// UnityCsReference Runtime/Export/Collections/NativeCollectionAccessPolicies.cs.
// Backed by real unmanaged memory (Marshal.AllocHGlobal) so kernels receive genuine native pointers;
// no safety handles or leak detection (Unity's DisposeSentinel/AtomicSafetyHandle are not modelled).
using System;
using System.Collections;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Unity.Collections
{
    public enum Allocator { Invalid = 0, None = 1, Temp = 2, TempJob = 3, Persistent = 4, AudioKernel = 5 }

    public enum NativeArrayOptions { UninitializedMemory = 0, ClearMemory = 1 }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Parameter | AttributeTargets.ReturnValue)]
    public sealed class ReadOnlyAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Parameter | AttributeTargets.ReturnValue)]
    public sealed class WriteOnlyAttribute : Attribute { }

    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct NativeArray<T> : IDisposable, IEnumerable<T>, IEquatable<NativeArray<T>> where T : struct
    {
        internal void* m_Buffer;
        internal int m_Length;
        internal Allocator m_AllocatorLabel;

        // Element size; AsBytes also rejects element types that hold references, as Unity does.
        static readonly int s_ElementSize = MemoryMarshal.AsBytes(new Span<T>(new T[1])).Length;

        public NativeArray(int length, Allocator allocator, NativeArrayOptions options = NativeArrayOptions.ClearMemory)
        {
            if (allocator <= Allocator.None) throw new ArgumentException("Allocator must be Temp, TempJob or Persistent", nameof(allocator));
            if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), "Length must be >= 0");
            var bytes = (long)length * s_ElementSize;
            m_Buffer = (void*)Marshal.AllocHGlobal((IntPtr)Math.Max(1, bytes));
            m_Length = length;
            m_AllocatorLabel = allocator;
            if ((options & NativeArrayOptions.ClearMemory) == NativeArrayOptions.ClearMemory)
                new Span<byte>(m_Buffer, (int)bytes).Clear();
        }

        public NativeArray(T[] array, Allocator allocator)
            : this(array == null ? throw new ArgumentNullException(nameof(array)) : array.Length, allocator, NativeArrayOptions.UninitializedMemory)
        {
            CopyFrom(array);
        }

        public int Length => m_Length;

        public bool IsCreated => m_Buffer != null;

        Span<T> Span => new Span<T>(m_Buffer, m_Length);

        public T this[int index]
        {
            get => Span[index];
            set => Span[index] = value;
        }

        public void Dispose()
        {
            if (m_Buffer == null) throw new ObjectDisposedException("The NativeArray is already disposed.");
            Marshal.FreeHGlobal((IntPtr)m_Buffer);
            m_Buffer = null;
            m_Length = 0;
            m_AllocatorLabel = Allocator.Invalid;
        }

        public void CopyFrom(T[] array)
        {
            if (array.Length != m_Length) throw new ArgumentException("source and destination length must be the same");
            new ReadOnlySpan<T>(array).CopyTo(Span);
        }

        public void CopyTo(T[] array)
        {
            if (array.Length != m_Length) throw new ArgumentException("source and destination length must be the same");
            Span.CopyTo(array);
        }

        public T[] ToArray() => Span.ToArray();

        public Enumerator GetEnumerator() => new Enumerator(ref this);
        IEnumerator<T> IEnumerable<T>.GetEnumerator() => new Enumerator(ref this);
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public bool Equals(NativeArray<T> other) => m_Buffer == other.m_Buffer && m_Length == other.m_Length;
        public override bool Equals(object obj) => obj is NativeArray<T> other && Equals(other);
        public override int GetHashCode() => unchecked(((int)(long)m_Buffer * 397) ^ m_Length);
        public static bool operator ==(NativeArray<T> left, NativeArray<T> right) => left.Equals(right);
        public static bool operator !=(NativeArray<T> left, NativeArray<T> right) => !left.Equals(right);

        public struct Enumerator : IEnumerator<T>
        {
            NativeArray<T> m_Array;
            int m_Index;

            public Enumerator(ref NativeArray<T> array)
            {
                m_Array = array;
                m_Index = -1;
            }

            public void Dispose() { }
            public bool MoveNext() => ++m_Index < m_Array.Length;
            public void Reset() => m_Index = -1;
            public T Current => m_Array[m_Index];
            object IEnumerator.Current => Current;
        }
    }
}

namespace Unity.Collections.LowLevel.Unsafe
{
    // UnityCsReference Runtime/Export/NativeArray/NativeArray.cs (class NativeArrayUnsafeUtility).
    public static class NativeArrayUnsafeUtility
    {
        public static unsafe void* GetUnsafePtr<T>(this NativeArray<T> nativeArray) where T : struct => nativeArray.m_Buffer;

        public static unsafe void* GetUnsafeReadOnlyPtr<T>(this NativeArray<T> nativeArray) where T : struct => nativeArray.m_Buffer;
    }
}
