using System.Linq;
using NUnit.Framework;
using Parley.Audio.Kernels;
using Parley.Tests.HostOnly.BadKernels;

namespace Parley.Tests.HostOnly.Audio
{
    /// <summary>Burst-friendliness of Parley.Audio.Kernels, checked on the compiled IL rather than claimed.</summary>
    public class KernelIlScanTests
    {
        const string KernelNamespace = "Parley.Audio.Kernels";
        static string CoreDll => typeof(Base64Kernel).Assembly.Location;
        static string TestsDll => typeof(AllocatingKernel).Assembly.Location;

        [Test]
        public void Scan_covers_every_kernel_type()
        {
            var types = KernelIlScanner.TypesIn(CoreDll, KernelNamespace);
            // Guards against a scan that passes because it looked at nothing.
            Assert.That(types, Is.SupersetOf(new[]
            {
                "Parley.Audio.Kernels.Base64Kernel", "Parley.Audio.Kernels.ChannelKernel", "Parley.Audio.Kernels.Pcm16Kernel",
                "Parley.Audio.Kernels.DitherState", "Parley.Audio.Kernels.G711Kernel", "Parley.Audio.Kernels.LevelKernel",
                "Parley.Audio.Kernels.FadeKernel", "Parley.Audio.Kernels.Sample",
                // The resampler's and the buffers' kernels live in the same namespace and are held to the same rules.
                "Parley.Audio.Kernels.PolyphaseKernel", "Parley.Audio.Kernels.PolyphaseState",
                "Parley.Audio.Kernels.SpscRingKernel", "Parley.Audio.Kernels.SpscRingState",
                "Parley.Audio.Kernels.PlayoutKernel", "Parley.Audio.Kernels.PlayoutState", "Parley.Audio.Kernels.PlayoutMemory",
                "Parley.Audio.Kernels.PlayoutPeekKernel",
                "Parley.Audio.Kernels.StretchKernel",
                "Parley.Audio.Kernels.FftKernel", "Parley.Audio.Kernels.EchoKernel", "Parley.Audio.Kernels.EchoState",
                "Parley.Audio.Kernels.EchoDelayKernel", "Parley.Audio.Kernels.EchoSuppressorKernel",
                "Parley.Audio.Kernels.EchoReseedKernel", "Parley.Audio.Kernels.EchoDriftKernel", "Parley.Audio.Kernels.EchoTrimKernel", "Parley.Audio.Kernels.EchoCoherenceKernel", "Parley.Audio.Kernels.EchoGainFilterKernel",
                "Parley.Audio.Kernels.EchoFilterKernel", "Parley.Audio.Kernels.EchoTwoPathKernel",
                "Parley.Audio.Kernels.DriftEstimateKernel", "Parley.Audio.Kernels.DriftEstimateState",
                "Parley.Audio.Kernels.EnergyVadKernel", "Parley.Audio.Kernels.EnergyVadState", "Parley.Audio.Kernels.EnergyVadBand",
            }));
        }

        [Test]
        public void Every_kernel_is_burst_friendly()
        {
            var findings = KernelIlScanner.Scan(CoreDll, KernelNamespace);
            Assert.That(findings.Select(f => f.ToString()), Is.Empty);
        }

        [Test]
        public void Lipsync_kernel_is_burst_friendly()
        {
            const string ns = "Parley.Lipsync.Kernels";
            Assert.That(KernelIlScanner.TypesIn(CoreDll, ns), Is.SupersetOf(new[]
            {
                "Parley.Lipsync.Kernels.LipsyncKernel", "Parley.Lipsync.Kernels.LipsyncState", "Parley.Lipsync.Kernels.LipsyncMemory",
            }));
            Assert.That(KernelIlScanner.Scan(CoreDll, ns).Select(f => f.ToString()), Is.Empty);
        }

        [TestCase("NewClass", "newobj")]
        [TestCase("NewArray", "newarr")]
        [TestCase("Boxes", "box")]
        [TestCase("UsesString", "ldstr")]
        [TestCase("Throws", "throw")]
        [TestCase("Throws", "newobj")]
        [TestCase("VirtualCall", "callvirt")]
        [TestCase("IndirectCall", "calli")]
        [TestCase("CallsOutside", "call")]
        [TestCase("Catches", "exception-region")]
        [TestCase("MakesDelegate", "ldftn")]
        [TestCase("Count", "stsfld")]
        [TestCase("Count", "ldsfld")]
        [TestCase("s_Calls", "static-field")]
        [TestCase(".cctor", "static-constructor")]
        [TestCase("(type)", "class")]
        [TestCase("Name", "instance-field")]
        public void A_bad_kernel_is_flagged(string member, string rule)
        {
            var findings = KernelIlScanner.Scan(TestsDll, "Parley.Tests.HostOnly.BadKernels");
            Assert.That(findings.Where(f => f.Member == member && f.Rule == rule).Select(f => f.ToString()), Is.Not.Empty,
                "all findings:\n" + string.Join("\n", findings));
        }

        [Test]
        public void Computed_tables_in_a_static_constructor_are_flagged_by_what_they_call()
        {
            var findings = KernelIlScanner.Scan(TestsDll, "Parley.Tests.HostOnly.BadKernels")
                .Where(f => f.Type.EndsWith("ComputedTableKernel") && f.Rule == "static-constructor").Select(f => f.Detail).ToList();
            Assert.That(findings, Has.Some.Contains("System.Text.Encoding::get_ASCII"));
            Assert.That(findings, Has.Some.Contains("BuildInverse"));
        }

        [Test]
        public void Allowed_patterns_are_not_flagged()
        {
            var findings = KernelIlScanner.Scan(TestsDll, "Parley.Tests.HostOnly.GoodKernels");
            Assert.That(KernelIlScanner.TypesIn(TestsDll, "Parley.Tests.HostOnly.GoodKernels"), Has.Count.EqualTo(2));
            Assert.That(findings.Select(f => f.ToString()), Is.Empty);
        }
    }
}
