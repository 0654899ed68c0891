using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using NUnit.Framework;

namespace Parley.Tests.HostOnly.Audio
{
    /// <summary>
    /// `fixed (T* p = span)` compiles to a call of Span/ReadOnlySpan.GetPinnableReference, which Mono builds whose
    /// corlib lacks the `ref readonly` modifier (Debian's mono 6.8) do not have: the call throws MissingMethodException
    /// there (Documentation~/mono.md). Package code pins spans with &amp;MemoryMarshal.GetReference instead; this reads
    /// every assembly Unity compiles from the package and fails on any reference to GetPinnableReference.
    /// </summary>
    public class SpanPinningTests
    {
        static readonly string[] PackageAssemblies = { "Parley.Core.dll", "Parley.dll", "Parley.Editor.dll", "Parley.Onnx.dll", "Parley.RivaGrpc.dll" };

        static IEnumerable<string> Pinnings(string path)
        {
            using (var pe = new PEReader(File.OpenRead(path)))
            {
                var md = pe.GetMetadataReader();
                foreach (var h in md.MemberReferences)
                {
                    var r = md.GetMemberReference(h);
                    if (md.GetString(r.Name) != "GetPinnableReference") continue;
                    var parent = r.Parent.Kind == HandleKind.TypeSpecification ? "a span" : r.Parent.Kind.ToString();
                    yield return Path.GetFileName(path) + ": GetPinnableReference on " + parent;
                }
            }
        }

        [Test]
        public void No_package_assembly_pins_a_span_with_fixed()
        {
            var here = Path.GetDirectoryName(typeof(SpanPinningTests).Assembly.Location);
            var found = PackageAssemblies.Select(a => Path.Combine(here, a)).ToList();
            Assert.That(found.Where(File.Exists).Count(), Is.EqualTo(PackageAssemblies.Length), "the test output holds every package assembly");
            Assert.That(found.SelectMany(Pinnings), Is.Empty);
        }

        [Test]
        public void The_scan_sees_a_fixed_span_where_there_is_one()
        {
            // This test assembly pins a span the forbidden way below, so the scan must find it here.
            Assert.That(Pinnings(typeof(SpanPinningTests).Assembly.Location), Is.Not.Empty);
        }

        static unsafe float FirstByFixed(System.Span<float> span)
        {
            fixed (float* p = span) return span.Length > 0 ? *p : 0f;
        }

        [Test]
        public void The_sample_pinning_works_on_dotnet() => Assert.That(FirstByFixed(new[] { 2f, 3f }), Is.EqualTo(2f));
    }
}
