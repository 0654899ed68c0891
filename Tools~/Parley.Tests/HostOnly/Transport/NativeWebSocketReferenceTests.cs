using System;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.Transport
{
    /// <summary>
    /// The compile checks build Runtime/Unity with PARLEY_NATIVEWEBSOCKET against NativeWebSocket's API in an
    /// assembly named as each supported version names it (Tools~/Parley.NativeWebSocketCheck). Here: the transport
    /// really compiled into them, and the assembly names it binds to are exactly the ones Parley.asmdef references,
    /// so in Unity the reference resolves whichever version is installed (issue 10, failure 5).
    /// </summary>
    public class NativeWebSocketReferenceTests
    {
        static string BuiltCheck(string project)
        {
            // Tools~/.build/bin/<project>/<configuration>/<tfm>/ (Directory.Build.props), same configuration as this test run.
            var here = Path.GetDirectoryName(typeof(NativeWebSocketReferenceTests).Assembly.Location);
            var configuration = Path.GetFileName(Path.GetDirectoryName(here));
            var path = Path.Combine(PackagePaths.Root, "Tools~", ".build", "bin", project, configuration, "netstandard2.1", project + ".dll");
            Assert.That(File.Exists(path), Is.True, path + " was not built (the test project builds it)");
            return path;
        }

        static (string[] references, string[] types) Read(string path)
        {
            using (var pe = new PEReader(File.OpenRead(path)))
            {
                var md = pe.GetMetadataReader();
                var refs = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToArray();
                var types = md.TypeDefinitions.Select(h => md.GetTypeDefinition(h))
                    .Select(t => md.GetString(t.Namespace) + "." + md.GetString(t.Name)).ToArray();
                return (refs, types);
            }
        }

        [TestCase("Parley.NativeWebSocketCheck", "colyseus.nativewebsocket")]
        [TestCase("Parley.NativeWebSocketCheck.V1", "endel.nativewebsocket")]
        [TestCase("Parley.NativeWebSocketCheck.WebGL", "colyseus.nativewebsocket")]
        public void The_transport_compiles_against_NativeWebSocket_under_a_name_the_asmdef_references(string check, string nativeWebSocketAssembly)
        {
            var (refs, types) = Read(BuiltCheck(check));
            Assert.That(types, Does.Contain("Parley.Unity.Transport.NativeWebSocketTransport"));
            Assert.That(refs, Does.Contain(nativeWebSocketAssembly), "the transport binds to NativeWebSocket's types in that assembly");
            var asmdef = JObject.Parse(File.ReadAllText(Path.Combine(PackagePaths.Root, "Runtime", "Unity", "Parley.asmdef")));
            Assert.That(((JArray)asmdef["references"]).Select(t => (string)t), Does.Contain(nativeWebSocketAssembly));
        }

        [Test]
        public void Without_NativeWebSocket_neither_assembly_has_the_transport()
        {
            // The ordinary builds (no versionDefine) compile it out: installing nothing costs nothing.
            Assert.That(typeof(Parley.Unity.Audio.EngineAudio).Assembly.GetType("Parley.Unity.Transport.NativeWebSocketTransport"), Is.Null);
            Assert.That(typeof(Parley.Transport.IWebSocketTransport).Assembly.GetTypes().Select(t => t.Name), Does.Not.Contain("NativeWebSocketTransport"));
        }
    }
}
