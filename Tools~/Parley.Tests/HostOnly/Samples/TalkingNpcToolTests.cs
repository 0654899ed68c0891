using System.Linq;
using NUnit.Framework;
using Parley.Samples.TalkingNpc;
using Parley.Servers.OpenAI;
using Parley.Session;
using Parley.Tests.Components;
using UnityEngine;

namespace Parley.Tests.HostOnly.Samples
{
    /// <summary>
    /// The Talking NPC's give_item tool through a real session: the OpenAI emulator answers a request for a lantern with
    /// a function call, the agent runs ItemGiver.GiveItem on the main thread, and the result goes back to the model.
    /// </summary>
    public class TalkingNpcToolTests
    {
        [Test]
        public void Asking_for_a_lantern_makes_the_model_call_give_item_and_the_player_holds_it()
        {
            var emulator = new OpenAIRealtimeEmulatorOptions { ToolKeyword = "lantern", ToolName = "give_item", ToolArgumentsJson = "{\"item\":\"Lantern\"}" };
            using (var scene = new AgentScene(new float[48000 * 20], emulator))
            {
                var items = scene.Npc.AddComponent<ItemGiver>();
                var player = new GameObject("Player");
                items.Player = player.transform;
                scene.Agent.ToolTargets = new MonoBehaviour[] { items };
                scene.Agent.StartOnEnable = true;
                scene.Npc.SetActive(true);
                Assert.That(scene.RunUntil(() => scene.Agent.State == SessionState.Listening, 30), Is.True);
                Assert.That(string.Join("\n", scene.Emulator.ClientEvents), Does.Contain("\"give_item\""), "the tool is declared to the model");

                scene.Agent.SendText("It is dark out there. Could I have a lantern?");
                Assert.That(scene.RunUntil(() => items.Inventory.Count == 1, 30), Is.True, string.Join(" ", scene.Events.Select(e => e.Name)));
                Assert.That(items.Inventory, Is.EqualTo(new[] { "lantern" }), "matched without regard to case, named as stocked");
                Assert.That(items.Stock, Does.Not.Contain("lantern"));
                Assert.That(scene.RunUntil(() => string.Join("\n", scene.Emulator.ClientEvents).Contains("function_call_output"), 10), Is.True);
                Assert.That(string.Join("\n", scene.Emulator.ClientEvents), Does.Contain("The player now holds the lantern."), "the result went back to the model");
            }
        }

        [Test]
        public void An_item_not_in_stock_is_refused_with_what_there_is()
        {
            var go = new GameObject("NPC");
            var items = go.AddComponent<ItemGiver>();
            Assert.That(items.GiveItem("sword"), Is.EqualTo("You do not have \"sword\". You have: lantern, bread, map, healing potion."));
            Assert.That(items.Inventory, Is.Empty);
        }
    }
}
