using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;
using NUnit.Framework;
using Parley.Providers;
using Parley.Providers.Auth;
using Parley.Session;
using Parley.Simulation;
using Parley.Tests.Support;
using UnityEngine;

namespace Parley.Tests.Components
{
    /// <summary>
    /// What WebGL players lack must not compile into them: Unity's Microphone, OnAudioFilterRead generators (the web
    /// audio backend has no DSP callback) and streamed clips (AudioClip.Create with a PCMReaderCallback). The Unity
    /// layer compiled as a WebGL player (Parley.NativeWebSocketCheck.WebGL: UNITY_WEBGL, no UNITY_EDITOR) names none
    /// of them, while the desktop build of the same sources does. And that WebGL build of VoiceAgent, run in the
    /// simulated player, says capture is unsupported with a typed error instead of starting.
    /// </summary>
    public class WebGLCompileOutTests
    {
        static string Built(string project)
        {
            var here = Path.GetDirectoryName(typeof(WebGLCompileOutTests).Assembly.Location);
            var configuration = Path.GetFileName(Path.GetDirectoryName(here));
            var path = Path.Combine(PackagePaths.Root, "Tools~", ".build", "bin", project, configuration, "netstandard2.1", project + ".dll");
            Assert.That(File.Exists(path), Is.True, path + " was not built (the test project builds it)");
            return path;
        }

        sealed class Metadata
        {
            public readonly HashSet<string> Types = new HashSet<string>();        // referenced or defined
            public readonly HashSet<string> Methods = new HashSet<string>();      // defined, Type::Name
            public readonly HashSet<string> MemberRefs = new HashSet<string>();   // referenced, Type::Name
        }

        static Metadata Read(string project)
        {
            var m = new Metadata();
            using (var pe = new PEReader(File.OpenRead(Built(project))))
            {
                var md = pe.GetMetadataReader();
                string Name(TypeReferenceHandle h) { var t = md.GetTypeReference(h); return md.GetString(t.Namespace) + "." + md.GetString(t.Name); }
                foreach (var h in md.TypeReferences) m.Types.Add(Name(h));
                foreach (var h in md.TypeDefinitions)
                {
                    var t = md.GetTypeDefinition(h);
                    var type = md.GetString(t.Namespace) + "." + md.GetString(t.Name);
                    m.Types.Add(type);
                    foreach (var mh in t.GetMethods()) m.Methods.Add(type + "::" + md.GetString(md.GetMethodDefinition(mh).Name));
                }
                foreach (var h in md.MemberReferences)
                {
                    var r = md.GetMemberReference(h);
                    if (r.Parent.Kind == HandleKind.TypeReference) m.MemberRefs.Add(Name((TypeReferenceHandle)r.Parent) + "::" + md.GetString(r.Name));
                }
            }
            return m;
        }

        static readonly string[] BrowserLacks = { "UnityEngine.Microphone", "UnityEngine.AudioClip.PCMReaderCallback", "UnityEngine.AudioClip.PCMSetPositionCallback", "PCMReaderCallback", "PCMSetPositionCallback" };

        [Test]
        public void The_WebGL_player_build_of_the_Unity_layer_names_no_Microphone()
        {
            var desktop = Read("Parley.NativeWebSocketCheck");
            Assert.That(desktop.Types, Does.Contain("UnityEngine.Microphone").And.Contain("Parley.Unity.Capture.MicrophoneCapture"), "the check can see it where it exists");
            var webgl = Read("Parley.NativeWebSocketCheck.WebGL");
            Assert.That(webgl.Types, Does.Contain("Parley.Unity.Agent.VoiceAgent"), "the agent is there");
            Assert.That(webgl.Types, Does.Not.Contain("UnityEngine.Microphone"));
            Assert.That(webgl.Types, Does.Not.Contain("Parley.Unity.Capture.MicrophoneCapture"));
            Assert.That(webgl.MemberRefs.Where(r => r.StartsWith("UnityEngine.Microphone::", StringComparison.Ordinal)), Is.Empty);
        }

        [Test]
        public void The_WebGL_player_build_has_no_audio_generator_and_no_streamed_clip()
        {
            var desktop = Read("Parley.NativeWebSocketCheck");
            Assert.That(desktop.Methods, Does.Contain("Parley.Unity.Voice.AgentVoice::OnAudioFilterRead"), "the check can see a generator where it exists");
            var webgl = Read("Parley.NativeWebSocketCheck.WebGL");
            Assert.That(webgl.Types, Does.Contain("Parley.Unity.Voice.AgentVoice"), "the voice component is there");
            Assert.That(webgl.Methods.Where(m => m.EndsWith("::OnAudioFilterRead", StringComparison.Ordinal)), Is.Empty, "Unity never calls it in WebGL players");
            // Nested delegate types are referenced by their own name; a streamed clip needs one of them.
            Assert.That(webgl.Types.Where(t => BrowserLacks.Any(b => t.EndsWith(b, StringComparison.Ordinal))), Is.Empty);
        }

        /// <summary>Loads the WebGL build beside the test's own Unity layer; Parley.Core and the stand-in are shared.</summary>
        sealed class WebGLBuild : AssemblyLoadContext
        {
            readonly string _dir;
            public WebGLBuild(string dir) : base("webgl-player", isCollectible: true) { _dir = dir; }

            protected override Assembly Load(AssemblyName name)
            {
                var local = Path.Combine(_dir, name.Name + ".dll");
                return name.Name.EndsWith("nativewebsocket", StringComparison.Ordinal) && File.Exists(local) ? LoadFromAssemblyPath(local) : null;
            }
        }

        [Test]
        public void The_WebGL_agent_says_capture_is_unsupported_with_a_typed_error()
        {
            var path = Built("Parley.NativeWebSocketCheck.WebGL");
            var context = new WebGLBuild(Path.GetDirectoryName(path));
            try
            {
                var agentType = context.LoadFromAssemblyPath(path).GetType("Parley.Unity.Agent.VoiceAgent", true);
                using (var player = new SimulatedPlayer(new SimulatedPlayerOptions { Seed = 3, Platform = RuntimePlatform.WebGLPlayer }))
                {
                    var errors = new List<SessionErrorEvent>();
                    var providersMade = 0;
                    var npc = new GameObject("NPC");
                    npc.SetActive(false);
                    var agent = npc.AddComponent(agentType);
                    agentType.GetEvent("Error").AddEventHandler(agent, new Action<SessionErrorEvent>(errors.Add));
                    // A provider that would be made only if the agent went past capture.
                    agentType.GetField("ProviderFactory").SetValue(agent, new Func<ICredentialSource, IVoiceProvider>(c => { providersMade++; return null; }));
                    npc.SetActive(true);
                    player.RunFrames(3);
                    if (errors.Count == 0) agentType.GetMethod("StartConversation").Invoke(agent, null);
                    player.RunFrames(3);

                    Assert.That(errors.Count, Is.EqualTo(1), string.Join("; ", errors.Select(e => e.Code + ": " + e.Message)));
                    Assert.That(errors[0].Kind, Is.EqualTo(ProviderErrorKind.Unsupported));
                    Assert.That(errors[0].Code, Is.EqualTo("capture_unsupported"));
                    Assert.That(errors[0].Message, Does.Contain("WebGL"));
                    Assert.That(providersMade, Is.Zero, "no session was started");
                    Assert.That((bool)agentType.GetProperty("IsConversing").GetValue(agent), Is.False);
                    Assert.That(npc.GetComponents<Component>().Select(c => c.GetType().Name), Has.No.Member("MicrophoneCapture"));
                    Assert.That(player.Exceptions, Is.Empty);
                }
            }
            finally { context.Unload(); }
        }
    }
}
