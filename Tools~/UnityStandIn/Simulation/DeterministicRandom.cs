// SplitMix64: the same sequence for a seed on every runtime (System.Random's seeded sequence is an implementation
// detail of each runtime), so a simulated run with a seed is reproducible on .NET and Mono alike.
namespace Parley.Simulation
{
    internal sealed class DeterministicRandom
    {
        ulong _state;

        internal DeterministicRandom(ulong seed) { _state = seed; }

        internal ulong NextUInt64()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>Uniform in [0, 1).</summary>
        internal double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

        /// <summary>Uniform in [-1, 1).</summary>
        internal double NextSigned() => NextDouble() * 2.0 - 1.0;
    }
}
