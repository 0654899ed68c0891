using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using NUnit.Framework;
using Parley.Tests.Support;

namespace Parley.Tests.Components
{
    /// <summary>
    /// Unity's Microphone does not exist in WebGL players: the Unity layer compiled as a WebGL player
    /// (Parley.NativeWebSocketCheck.WebGL: UNITY_WEBGL, no UNITY_EDITOR) must not name it, while the desktop build does.
    /// </summary>
    public class WebGLCompileOutTests
    {
        static string[] TypeReferences(string project)
        {
            var here = Path.GetDirectoryName(typeof(WebGLCompileOutTests).Assembly.Location);
            var configuration = Path.GetFileName(Path.GetDirectoryName(here));
            var path = Path.Combine(PackagePaths.Root, "Tools~", ".build", "bin", project, configuration, "netstandard2.1", project + ".dll");
            Assert.That(File.Exists(path), Is.True, path + " was not built (the test project builds it)");
            using (var pe = new PEReader(File.OpenRead(path)))
            {
                var md = pe.GetMetadataReader();
                return md.TypeReferences.Select(h => md.GetTypeReference(h)).Select(t => md.GetString(t.Namespace) + "." + md.GetString(t.Name))
                    .Concat(md.TypeDefinitions.Select(h => md.GetTypeDefinition(h)).Select(t => md.GetString(t.Namespace) + "." + md.GetString(t.Name))).ToArray();
            }
        }

        [Test]
        public void The_WebGL_player_build_of_the_Unity_layer_names_no_Microphone()
        {
            var desktop = TypeReferences("Parley.NativeWebSocketCheck");
            Assert.That(desktop, Does.Contain("UnityEngine.Microphone").And.Contain("Parley.Unity.Capture.MicrophoneCapture"), "the check can see it where it exists");
            var webgl = TypeReferences("Parley.NativeWebSocketCheck.WebGL");
            Assert.That(webgl, Does.Contain("Parley.Unity.Agent.VoiceAgent"), "the agent is there");
            Assert.That(webgl, Does.Not.Contain("UnityEngine.Microphone"));
            Assert.That(webgl, Does.Not.Contain("Parley.Unity.Capture.MicrophoneCapture"));
        }
    }
}
