using System;
using System.Collections.Generic;
using Parley.Session.Tools;
using Parley.Unity.Agent;
using UnityEngine;

namespace Parley.Samples.TalkingNpc
{
    /// <summary>
    /// The NPC's stock and the tool the model calls to hand the player something: the item appears in front of the
    /// player and joins the inventory shown on screen. Runs on the main thread (the agent's tools do).
    /// </summary>
    [AddComponentMenu("Parley Samples/Item Giver")]
    public sealed class ItemGiver : MonoBehaviour
    {
        [SerializeField, Tooltip("What the NPC can give, one of each.")]
        string[] stock = { "lantern", "bread", "map", "healing potion" };
        [SerializeField, Tooltip("Where the player stands (the item appears in front of them).")]
        Transform player;

        readonly List<string> _inventory = new List<string>();

        public string[] Stock { get => stock; set => stock = value ?? new string[0]; }
        public Transform Player { get => player; set => player = value; }
        public IReadOnlyList<string> Inventory => _inventory;

        /// <summary>What the NPC still has, for its instructions.</summary>
        public string StockList() => string.Join(", ", stock);

        [VoiceTool("Hand the player one item from your stock. Only call it when you decide to give something.", Name = "give_item")]
        public string GiveItem([ToolParameter("The item, as named in your stock, e.g. \"lantern\".")] string item)
        {
            var wanted = (item ?? string.Empty).Trim();
            var index = Array.FindIndex(stock, s => string.Equals(s, wanted, StringComparison.OrdinalIgnoreCase));
            if (index < 0) return "You do not have \"" + wanted + "\". You have: " + StockList() + ".";
            var name = stock[index];
            var rest = new List<string>(stock);
            rest.RemoveAt(index);
            stock = rest.ToArray();
            _inventory.Add(name);
            Spawn(name);
            return "The player now holds the " + name + ".";
        }

        void Spawn(string name)
        {
            var item = GameObject.CreatePrimitive(PrimitiveType.Cube);
            item.name = "Item: " + name;
            var at = player != null ? player.position : new Vector3(0f, 1.6f, -2f);
            item.transform.position = new Vector3(at.x + 0.25f - 0.12f * _inventory.Count, at.y - 0.35f, at.z + 0.6f);
            item.transform.localScale = new Vector3(0.1f, 0.1f, 0.1f);
            item.GetComponent<Renderer>().material.color = new Color(0.9f, 0.75f, 0.2f);
        }
    }
}
