// Stand-in for Unity.Burst.BurstCompileAttribute (api-signatures.md §17, com.unity.burst 1.6+).
using System;

namespace Unity.Burst
{
    public enum OptimizeFor { Default = 0, Performance = 1, Size = 2, FastCompilation = 3, Balanced = 4 }
    public enum FloatMode { Default = 0, Strict = 1, Deterministic = 2, Fast = 3 }
    public enum FloatPrecision { Standard = 0, High = 1, Medium = 2, Low = 3 }

    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Method | AttributeTargets.Assembly)]
    public class BurstCompileAttribute : Attribute
    {
        public BurstCompileAttribute() { }
        public BurstCompileAttribute(FloatPrecision floatPrecision, FloatMode floatMode)
        {
            FloatPrecision = floatPrecision;
            FloatMode = floatMode;
        }
        public FloatMode FloatMode { get; set; }
        public FloatPrecision FloatPrecision { get; set; }
        public bool CompileSynchronously { get; set; }
        public bool Debug { get; set; }
        public bool DisableSafetyChecks { get; set; }
        public bool DisableDirectCall { get; set; }
        public OptimizeFor OptimizeFor { get; set; }
    }
}
