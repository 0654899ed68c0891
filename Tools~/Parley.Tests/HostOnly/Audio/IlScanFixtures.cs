using System;
using System.Text;

// Test-only code the IL scan must reject (BadKernels) or accept (GoodKernels). It proves the scanner can
// fail: if a rule stops firing, KernelIlScanTests notices. Never called at run time.
namespace Parley.Tests.HostOnly.BadKernels
{
    public static class AllocatingKernel
    {
        public static object NewClass() => new object();
        public static int NewArray(int n) => new int[n].Length;
        public static object Boxes(int x) => x;
        public static int UsesString() => "text".Length;
        public static void Throws(int x)
        {
            if (x < 0) throw new ArgumentOutOfRangeException(nameof(x));
        }
        public static int VirtualCall(IComparable c) => c.CompareTo(null);
        public static unsafe int IndirectCall(delegate*<int, int> f) => f(1);
        public static int CallsOutside() => Environment.TickCount;
        public static int Catches(int x)
        {
            try { return 10 / x; }
            catch (DivideByZeroException) { return 0; }
        }
        public static Func<int> MakesDelegate() => Zero;
        static int Zero() => 0;
    }

    public static class MutableStaticKernel
    {
        static int s_Calls;
        public static int Count() => ++s_Calls;
    }

    /// <summary>The pattern Base64Kernel used to have: tables computed by code in the static constructor.</summary>
    public static class ComputedTableKernel
    {
        static readonly byte[] Alphabet = Encoding.ASCII.GetBytes("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
        static readonly sbyte[] Inverse = BuildInverse();

        static sbyte[] BuildInverse()
        {
            var t = new sbyte[256];
            for (var i = 0; i < 64; i++) t[Alphabet[i]] = (sbyte)i;
            return t;
        }

        public static int Lookup(int i) => Inverse[Alphabet[i & 63]];
    }

    public sealed class InstanceKernel
    {
        public string Name;
        public int Length() => Name.Length;
    }
}

namespace Parley.Tests.HostOnly.GoodKernels
{
    public struct Accumulator
    {
        public float Sum;
        public int Count;
        public Accumulator(float first) { Sum = first; Count = 1; }
    }

    /// <summary>Everything the scanner must accept: struct constructors, constant tables, Math calls, pointers, stackalloc.</summary>
    public static unsafe class AllowedKernel
    {
        static readonly short[] Table = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
        const float Half = 0.5f;

        public static float Mean(float* src, int count)
        {
            var acc = new Accumulator(0f);
            var tmp = stackalloc float[4];
            tmp[0] = Half;
            for (var i = 0; i < count; i++) acc.Sum += src[i] * Table[i & 15];
            return (float)Math.Sqrt(Math.Abs(acc.Sum)) + MathF.Floor(tmp[0]);
        }
    }
}
