using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.SelfHosted
{
    /// <summary>
    /// Unity compiles Parley.RivaGrpc against only the DLLs its asmdef lists (overrideReferences on), not the NuGet
    /// graph the .NET build restores. Parley.RivaGrpc.AsmdefCheck compiles the same sources that way; this checks
    /// that its references are exactly the asmdef's list and that it was built (the test project builds it).
    /// </summary>
    public class RivaGrpcAsmdefCheckTests
    {
        [Test]
        public void The_check_compiles_against_exactly_the_asmdefs_precompiled_references()
        {
            var asmdef = JObject.Parse(File.ReadAllText(Path.Combine(PackagePaths.Root, "Runtime", "RivaGrpc", "Parley.RivaGrpc.asmdef")));
            var listed = ((JArray)asmdef["precompiledReferences"]).Select(t => (string)t).OrderBy(x => x, StringComparer.Ordinal).ToArray();
            Assert.That((bool)asmdef["overrideReferences"], Is.True);
            Assert.That(((JArray)asmdef["references"]).Select(t => (string)t), Is.EqualTo(new[] { "Parley.Core" }));

            var project = XDocument.Load(Path.Combine(PackagePaths.Root, "Tools~", "Parley.RivaGrpc.AsmdefCheck", "Parley.RivaGrpc.AsmdefCheck.csproj"));
            var referenced = project.Descendants("Reference").Select(r => Path.GetFileName(((string)r.Attribute("HintPath")).Replace('\\', '/')))
                .OrderBy(x => x, StringComparer.Ordinal).ToArray();
            Assert.That(referenced, Is.EqualTo(listed));
            Assert.That(project.Descendants("PackageReference").Select(p => (string)p.Attribute("ExcludeAssets")), Is.All.EqualTo("all"), "nothing else flows in");
            Assert.That(project.Descendants("DefineConstants").Single().Value, Does.Contain("PARLEY_GRPC"));

            var here = Path.GetDirectoryName(typeof(RivaGrpcAsmdefCheckTests).Assembly.Location);
            var configuration = Path.GetFileName(Path.GetDirectoryName(here));
            var built = Path.Combine(PackagePaths.Root, "Tools~", ".build", "bin", "Parley.RivaGrpc.AsmdefCheck", configuration, "netstandard2.1", "Parley.RivaGrpc.AsmdefCheck.dll");
            Assert.That(File.Exists(built), Is.True, built);
            Assert.That(File.Exists(Path.Combine(Path.GetDirectoryName(built), "Grpc.Net.Common.dll")), Is.False, "only the listed DLLs were referenced");
        }
    }
}
