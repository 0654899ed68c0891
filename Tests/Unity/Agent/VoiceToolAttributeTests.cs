using System;
using System.Linq;
using System.Threading;
using Newtonsoft.Json.Linq;
using NUnit.Framework;
using Parley.Session;
using Parley.Session.Tools;
using Parley.Unity.Agent;

namespace Parley.Tests.Unity.Agent
{
    /// <summary>
    /// [VoiceTool] (the Unity-facing name of the core's [Tool]) is discovered by the tool registry the agent fills from
    /// its ToolTargets: name, description, schema, timeout and approval as written, and the call reaches the method.
    /// </summary>
    public class VoiceToolAttributeTests
    {
        sealed class Gatekeeper
        {
            public int Opened = -1;

            [VoiceTool("Open a gate of the town wall.", Name = "open_gate", TimeoutMs = 250, RequiresApproval = true)]
            public string Open([ToolParameter("Gate number, 1 to 4.")] int gate, bool loudly = false)
            {
                Opened = gate;
                return "Gate " + gate + (loudly ? " opened with a fanfare." : " opened.");
            }

            [VoiceTool("Ring the town bell.")]
            static void RingBell() { }

            public void NotATool() { }
        }

        /// <summary>The same tools marked with the core attribute.</summary>
        sealed class CoreGatekeeper
        {
            [Tool("Open a gate of the town wall.", Name = "open_gate", TimeoutMs = 250, RequiresApproval = true)]
            public string Open([ToolParameter("Gate number, 1 to 4.")] int gate, bool loudly = false) => string.Empty;

            [Tool("Ring the town bell.")]
            static void RingBell() { }

            public void NotATool() { }
        }

        [Test]
        public void A_VoiceTool_method_is_registered_with_what_its_attribute_says()
        {
            var registry = new ToolRegistry();
            Assert.That(registry.RegisterMethods(new Gatekeeper()), Is.EqualTo(2));
            var open = registry.Get("open_gate");
            Assert.That(open, Is.Not.Null);
            Assert.That(open.Declaration.Description, Is.EqualTo("Open a gate of the town wall."));
            Assert.That(open.Timeout, Is.EqualTo(TimeSpan.FromMilliseconds(250)));
            Assert.That(open.RequiresApproval, Is.True);
            var schema = JObject.Parse(open.Declaration.ParametersJsonSchema);
            Assert.That((string)schema["properties"]["gate"]["type"], Is.EqualTo("integer"));
            Assert.That((string)schema["properties"]["gate"]["description"], Is.EqualTo("Gate number, 1 to 4."));
            Assert.That((string)schema["properties"]["loudly"]["type"], Is.EqualTo("boolean"));
            Assert.That(schema["required"].ToObject<string[]>(), Is.EqualTo(new[] { "gate" }));
            Assert.That(registry.Get("ring_bell"), Is.Not.Null, "static and non-public methods too, named in snake_case");
            Assert.That(registry.Get("not_a_tool"), Is.Null);
        }

        [Test]
        public void A_VoiceTool_is_declared_exactly_as_the_same_Tool_and_runs()
        {
            var voice = new ToolRegistry();
            var gatekeeper = new Gatekeeper();
            voice.RegisterMethods(gatekeeper);
            var core = new ToolRegistry();
            core.RegisterMethods(new CoreGatekeeper());
            string Describe(ToolRegistry r) => string.Join("\n", r.Declarations().OrderBy(d => d.Name, StringComparer.Ordinal)
                .Select(d => d.Name + "|" + d.Description + "|" + d.ParametersJsonSchema));
            Assert.That(Describe(voice), Is.EqualTo(Describe(core)));

            voice.Approval = (call, ct) => System.Threading.Tasks.Task.FromResult(true);
            var run = voice.InvokeAsync(new ToolCall { CallId = "c1", Name = "open_gate", ArgumentsJson = "{\"gate\":3}" }, new InlineDispatcher(), CancellationToken.None);
            Assert.That(run.Wait(TimeSpan.FromSeconds(10)), Is.True, "the call finished");
            Assert.That(run.Result.Outcome, Is.EqualTo(ToolOutcome.Ok));
            Assert.That(run.Result.ResultJson, Does.Contain("Gate 3 opened."));
            Assert.That(gatekeeper.Opened, Is.EqualTo(3));
        }
    }
}
